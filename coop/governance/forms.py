"""The forms of the meeting pages. They carry the text and show the errors;
every rule is in the services (meetings, attendance, decisions)."""
from __future__ import annotations

from wtforms import Form, FormField, StringField, TextAreaField, TimeField
from wtforms.validators import InputRequired

from coop.cooperatives.api import Wording
from coop.errors import ServiceError, ValidationFailed
from coop.forms import ChoiceField, CoopForm, CountField, DateInput, NumberedRows, VersionedForm
from coop.governance.agenda_sources import PlanChoice
from coop.governance.constants import AttendanceMode, Body, ItemKind
from coop.governance.meetings import ItemSpec

AGENDA_ROWS = 4


def messages(form: CoopForm) -> tuple[str, ...]:
    """Every error of ``form``: its fields' and its own."""
    return tuple(e for f in form for e in f.errors) + tuple(form.form_errors)


class ItemRow(Form):
    """One agenda line of the convening form (a sub-form: no CSRF of its own)."""

    class Meta:
        locales = ("zh",)

    kind = ChoiceField("议题类别", choices=[("", "（不填）")] + ItemKind.choices(), default="")
    title = StringField("议题")
    # the choices are the plans and lists on offer (ConveneForm.set_plans / set_lists):
    # no other id gets through
    plan_id = ChoiceField("分配方案", choices=[("", "（不是分配方案）")], default="",
                          description="议题留空则用方案的名称")
    membership_list_id = ChoiceField("成员身份确认名单", choices=[("", "（不是确认名单）")], default="",
                                     description="公示期满的名单；议题留空则用名单的标题")

    @property
    def is_blank(self) -> bool:
        return not (self.kind.data or (self.title.data or "").strip() or self.plan_id.data
                    or self.membership_list_id.data)

    def spec(self, plan_titles: dict[str, str] | None = None) -> ItemSpec:
        """The line as the service takes it: a title left empty is the chosen
        list's or plan's (``plan_titles``: plan id -> its agenda title), and
        a plan chosen with no kind is a distribution item."""
        list_id = int(self.membership_list_id.data) if self.membership_list_id.data else None
        title = (self.title.data or "").strip()
        kind = self.kind.data or ""
        if not title and list_id is not None:
            title = dict(self.membership_list_id.choices).get(self.membership_list_id.data, "")
        if self.plan_id.data:
            title = title or (plan_titles or {}).get(self.plan_id.data, "")
            kind = kind or ItemKind.DISTRIBUTION.value
        return ItemSpec(kind=kind, title=title,
                        plan_id=int(self.plan_id.data) if self.plan_id.data else None,
                        membership_list_id=list_id)


class ConveneForm(CoopForm):
    body = ChoiceField("会议机构", choices=Body.choices())
    title = StringField("会议名称", description="例如：2025 年度成员大会")
    meeting_on = DateInput("会议日期")
    starts_at = TimeField("开会时间", description="例如 09:00；通知写明开会的日期和时间",
                          validators=[InputRequired(message="请填写开会时间")])
    place = StringField("会议地点", description="例如：村委会会议室")
    convened_by = StringField("召集人", description="例如：理事会")
    notice_on = DateInput("通知日期", description="通知全体成员（时间、地点、议题）的日期")
    items = NumberedRows(FormField(ItemRow), row_label="议题 {n}", min_entries=AGENDA_ROWS,
                         max_entries=AGENDA_ROWS)

    plan_titles: dict[str, str] = {}

    def set_plans(self, choices: list[PlanChoice]) -> None:
        """The plans on offer, each listed with how far it has come."""
        self.plan_titles = {str(c.plan_id): c.agenda_title for c in choices}
        for row in self.items:
            row.plan_id.choices = [("", "（不是分配方案）")] + [(str(c.plan_id), c.option_label)
                                                           for c in choices]

    def use_words(self, words: Wording) -> None:
        """The kinds of item in the words of the cooperative's law, and why
        the notice gives the hour."""
        for row in self.items:
            row.kind.choices = [("", "（不填）")] + words.kind_choices()
        self.starts_at.validators = [InputRequired(message=words.meeting_time_required)]

    def set_lists(self, choices: list[tuple[str, str]]) -> None:
        for row in self.items:
            row.membership_list_id.choices = [("", "（不是确认名单）")] + choices

    def specs(self) -> list[tuple[int, ItemSpec]]:
        """(row index, item) of the rows filled in."""
        return [(n, row.spec(self.plan_titles)) for n, row in enumerate(self.items) if not row.is_blank]

    def add_service_errors(self, exc: ServiceError, default: str | None = None,
                           aliases: dict[str, str] | None = None, only_filled: bool = False,
                           skip_refused: bool = False) -> None:
        """The service names an agenda line by its place among the filled ones
        (``items-0-title``); put it on that row's field."""
        if not isinstance(exc, ValidationFailed):
            return super().add_service_errors(exc, default, aliases, only_filled, skip_refused)
        rows = [n for n, _ in self.specs()]
        rest = {}
        for name, message in exc.errors.items():
            parts = name.split("-")
            if len(parts) == 3 and parts[0] == "items" and parts[1].isdigit() \
                    and int(parts[1]) < len(rows):
                field = getattr(self.items[rows[int(parts[1])]].form, parts[2])
                if skip_refused and field.errors:
                    continue
                field.errors = [*field.errors, message] if isinstance(field.errors, list) else [message]
            else:
                rest[name] = message
        if rest:
            super().add_service_errors(ValidationFailed(rest), default, aliases, only_filled,
                                       skip_refused)


class AttendanceForm(VersionedForm):
    """One row of the sign-in sheet (prefixed by the member: ``m12-mode``)."""

    mode = ChoiceField("参会方式", choices=AttendanceMode.choices())
    proxy_holder = StringField("受托人编号")
    proxy_form = StringField("委托书编号")


class VoteForm(VersionedForm):
    """One person's vote on an item (prefixed by the member); the choice is
    the button pressed."""


class TallyForm(VersionedForm):
    votes_for = CountField("同意票数")
    votes_against = CountField("反对票数")
    votes_abstain = CountField("弃权票数")
    invalid = CountField("废票数")


class DecideForm(VersionedForm):
    disclosed_on = DateInput("方案公开日期",
                             description="收益分配方案、财务报告向成员公开（供查阅）的日期")
    resolution_no = StringField("决议编号", description="留空则自动编号，例如 2025-001")


class MinutesForm(VersionedForm):
    chair = StringField("主持人", description="主持会议的人的姓名，例如理事长")
    recorder = StringField("记录人", description="记录会议的人的姓名")
    minutes = TextAreaField("会议记录", description="会议经过、发言要点、表决情况；出席人签名在打印稿上")


class CancelForm(VersionedForm):
    """Call a meeting off (the meeting's version only)."""


class EndTermForm(CoopForm):
    member_no = StringField("成员编号", description="卸任代表的成员编号")
    last_day = DateInput("卸任日期", description="担任代表的最后一天")
    reason = StringField("卸任原因", description="例如：去世、迁出本村、辞去代表职务")


class RepresentativeForm(CoopForm):
    member_no = StringField("成员编号", description="当选代表的成员编号")
    term_start = DateInput("任期开始")
    term_end = DateInput("任期结束", description="任期五年，例如 2025-01-01 至 2029-12-31")
    households = StringField("代表的户", description="户号，用逗号或顿号隔开（每五户至十五户选一名代表）")
