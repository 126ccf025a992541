"""Every form's select (coop.forms.SelectField) writes the HTML WTForms'
own select writes, option for option, whatever the choices hold."""
from __future__ import annotations

import pytest
import wtforms
from wtforms.form import Form

from coop.forms import ChoiceField, SelectField

CHOICES = [
    [("", "全部"), ("villager", "村民"), ("cadre", "干部")],
    [(str(i), f"农机{i}号") for i in range(41)],
    [("a&b", "<甲>"), ('"q"', "引号 \" ' &amp;"), ("0", ""), (3, 0), (4, None)],
    [(True, "是"), (False, "否")],
    [("x", "带属性", {"disabled": True}), ("y", "普通")],
]


@pytest.mark.parametrize("choices", CHOICES)
@pytest.mark.parametrize("data", ["", "villager", "3", "a&b", True, "x", "2"])
def test_a_select_is_written_as_wtforms_writes_it(choices, data):
    class Ours(Form):
        field = SelectField("项", choices=choices)

    class Theirs(Form):
        field = wtforms.SelectField("项", choices=choices)

    ours, theirs = Ours(data={"field": data}), Theirs(data={"field": data})
    assert str(ours.field(class_="wide")) == str(theirs.field(class_="wide"))
    assert str(ours.field()) == str(theirs.field())


def test_a_choice_field_is_such_a_select():
    class F(Form):
        field = ChoiceField("项", choices=[("1", "一"), ("2", "<二>")])

    html = str(F(data={"field": "2"}).field())
    assert html == ('<select id="field" name="field"><option value="1">一</option>'
                    '<option selected value="2">&lt;二&gt;</option></select>')
