"""The accounts page's search: a GET form, no CSRF (it changes nothing)."""
from __future__ import annotations

from wtforms import StringField

from coop.forms import CoopForm, SelectField


class AccountFilterForm(CoopForm):
    class Meta:
        csrf = False

    q = StringField("搜索", description="成员编号、姓名或拼音首字母（如 zs）")
    year = SelectField("年度", choices=[], validate_choice=False)

    def chosen_year(self, years: list[int], default: int) -> int:
        """The year asked for when it is one of ``years``, else ``default``;
        the select shows the year used."""
        self.year.choices = [(str(y), f"{y} 年") for y in years]
        asked = (self.year.data or "").strip()
        year = int(asked) if asked.isascii() and asked.isdigit() and int(asked) in years else default
        self.year.data = str(year)
        return year
