"""Forms of the plan workflow. Counts are whole numbers, dates typed or picked."""
from __future__ import annotations

from wtforms import RadioField, SelectField, StringField

from coop.dividends.models import PayoutMethod, WeightBasis
from coop.dividends.rules import DEFAULT_NOTICE_DAYS
from coop.forms import ChoiceField, CoopForm, CountField, DateInput, VersionedForm


class YearField(SelectField):
    """A year picked from the list; any other text gets a message in Chinese."""

    def process_formdata(self, valuelist):
        text = (valuelist[0] if valuelist else "").strip()
        self.data = None
        if not text:
            return
        if not (text.isascii() and text.isdigit() and len(text) == 4):
            raise ValueError("年度应为四位数字，例如 2025")
        self.data = int(text)

    def pre_validate(self, form):
        pass  # the service says what is wrong with a year


class ComputeForm(CoopForm):
    year = YearField("年度", coerce=int)
    weight_basis = RadioField("按股分配的依据", choices=WeightBasis.choices(),
                              default="record_date", validate_choice=False)
    record_date = DateInput("股权登记日", description="默认该年 12 月 31 日；按持股天数时只用于统计持股和土地")

    def __init__(self, *args, years: list[int] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.year.choices = [(y, f"{y} 年度") for y in years]


class RecordDateForm(VersionedForm):
    record_date = DateInput("股权登记日")


class ApproveForm(VersionedForm):
    assembly_date = DateInput("成员（代表）大会日期")
    households_total = CountField("有表决权的户数", description="一户一票；默认按花名册中有在册成员的户数")
    households_present = CountField("到会户数")
    votes_for = CountField("赞成")
    votes_against = CountField("反对")
    votes_abstain = CountField("弃权")
    resolution_no = StringField("决议文号", description="例如 乌三股合〔2026〕2号")


class PublishForm(VersionedForm):
    notice_start = DateInput("公示开始日期")
    notice_days = CountField("公示天数", default=DEFAULT_NOTICE_DAYS)


class PayForm(CoopForm):
    paid_on = DateInput("发放日期")
    method = ChoiceField("发放方式", choices=[("", "请选择")] + PayoutMethod.choices())
