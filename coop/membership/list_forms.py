"""The forms of the confirmation list and roster pages: they carry the text
and show the errors; the rules are in coop.membership.lists / rosters."""
from __future__ import annotations

from wtforms import SelectMultipleField, StringField, TextAreaField
from wtforms.validators import ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from coop.forms import ChoiceField, CoopForm, CountField, DateInput, VersionedForm


class EventChoices(SelectMultipleField):
    """Checkboxes, one per pending event; only the offered ids get through."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form):
        values = {str(value) for value, *_ in self.iter_choices()}
        if any(str(v) not in values for v in self.data or ()):
            raise ValidationError("所选的变动已不是待确认状态，请刷新页面后重新选择")


class NewListForm(CoopForm):
    event_ids = EventChoices("列入名单的变动", choices=[])
    title = StringField("名单标题", description="留空则自动命名，例如“2026年第1批成员身份确认名单”")


class AddEventsForm(VersionedForm):
    event_ids = EventChoices("增加到名单的变动", choices=[])


class PublishForm(VersionedForm):
    notice_start = DateInput("公示开始日期", description="张贴公示的日子，不能早于今天")
    notice_days = CountField("公示天数", description="一般为 7 日；期满后才能提交成员大会表决")


class ListActionForm(VersionedForm):
    """A button on a list (withdraw the notice, take an event off): the list's version only."""


class ObjectionForm(CoopForm):
    raised_by = StringField("异议人", description="提出异议的成员或村民姓名")
    raised_on = DateInput("提出日期")
    event_id = ChoiceField("涉及的变动", choices=[("", "（整份名单）")], default="")
    content = TextAreaField("异议内容")


class OutcomeForm(CoopForm):
    outcome = TextAreaField("处理结果", description="例如：经核实异议不成立；或撤回该项，另行确认")
    outcome_on = DateInput("处理日期")


class FirstVersionForm(CoopForm):
    """Make roster version 1 (a button)."""


class FilingForm(VersionedForm):
    filed_on = DateInput("备案日期")
    filed_with = StringField("受理机关", description="例如：某某镇人民政府；某某县农业农村局")
    receipt_no = StringField("回执编号", description="受理机关出具的回执或登记编号，没有可留空")
