"""The secretary's meeting pages: the meetings, convening one, a meeting's
agenda with its forecast, minutes and cancellation, and the representatives.
The sign-in sheet, the votes and the decision are in views_sitting, the
printed papers in views_papers; all register their routes on ``bp``
(coop.governance.blueprint)."""
from __future__ import annotations

from datetime import time, timedelta


from coop import clock
from coop.auth.api import current_coop, roles_required
from coop.governance import views_papers, views_sitting  # noqa: F401  (their routes are on bp)
from coop.governance.agenda_sources import list_choices, plan_choices
from coop.governance.attendance import forecast
from coop.governance.blueprint import READ, RUN, bp, can_run, coop_id, user_id
from coop.governance.by_charter import (add_representative_under_charter, bodies_of, convene_under_charter,
                                        extra_rule_text, forecast_charter, regime_of, representative_warnings)
from coop.governance.forms import CancelForm, ConveneForm, EndTermForm, MinutesForm, RepresentativeForm
from coop.governance.meetings import cancel_meeting, record_minutes
from coop.governance.member_votes import member_votes
from coop.governance.constants import MeetingStatus
from coop.governance.models import Meeting
from coop.governance.papers import Paper
from coop.governance.terms import end_term
from coop.governance.sheets import (meeting_lists, member_id_by_no, reason_lines,
                                    representative_rows)
from coop.web import owned, redirect_to, render, save

__all__ = ["bp"]

bp.add_app_template_global(member_votes, "member_votes")

DEFAULT_NOTICE_DAYS = 15  # enough for the RCEO's ten days and the FSC's fifteen of disclosure
DEFAULT_HOUR = time(9, 0)  # the convening form's hour until the secretary types another


@bp.get("/")
@roles_required(*READ)
def index():
    return render("governance/index.html", lists=meeting_lists(coop_id()), can_run=can_run())


# -- convening --------------------------------------------------------------------

def _convene_form(submitted: bool) -> ConveneForm:
    form = ConveneForm() if submitted else ConveneForm(formdata=None)
    form.set_plans(plan_choices(coop_id()))
    form.set_lists([(str(c.list_id), c.label) for c in list_choices(coop_id())])
    form.use_words(current_coop().words)
    return form


def _convene_page(form: ConveneForm, status: int = 200):
    form.body.choices = [(b.value, b.label) for b in bodies_of(current_coop())]
    return render("governance/new.html", block="convene_form", status=status, form=form,
                  regime=regime_of(current_coop()), words=current_coop().words,
                  extra_rule=extra_rule_text(current_coop()))


@bp.get("/new")
@roles_required(*RUN)
def new():
    form = _convene_form(submitted=False)
    today = clock.today()
    form.notice_on.data = today
    form.meeting_on.data = today + timedelta(days=DEFAULT_NOTICE_DAYS)
    form.starts_at.data = DEFAULT_HOUR
    form.convened_by.data = "理事会"
    return _convene_page(form)


@bp.post("/")
@roles_required(*RUN)
def create():
    form = _convene_form(submitted=True)

    def convene() -> Meeting:
        return convene_under_charter(
            current_coop(), body=form.body.data, title=form.title.data,
            meeting_on=form.meeting_on.data, starts_at=form.starts_at.data, place=form.place.data,
            convened_by=form.convened_by.data, notice_on=form.notice_on.data,
            items=[spec for _, spec in form.specs()], user_id=user_id())

    return save(form, convene, again=lambda status, stale="": _convene_page(form, status),
                check_anyway=True, message=lambda m: f"已召集“{m.title}”（{m.meeting_on:%Y-%m-%d}）",
                done=lambda m: redirect_to("governance.detail", meeting_id=m.id))


# -- one meeting ---------------------------------------------------------------------

def _detail_page(meeting: Meeting, *, block: str | None = None, status: int = 200,
                 minutes_form: MinutesForm | None = None, cancel_form: CancelForm | None = None,
                 stale: str = ""):
    if minutes_form is None:
        minutes_form = MinutesForm(formdata=None, version=meeting.version, minutes=meeting.minutes,
                                   chair=meeting.chair, recorder=meeting.recorder)
    if cancel_form is None:
        cancel_form = CancelForm(formdata=None, version=meeting.version)
    planned = meeting.status == MeetingStatus.PLANNED
    return render("governance/detail.html", block=block, status=status, meeting=meeting,
                  reasons={item.id: reason_lines(item) for item in meeting.items},
                  forecast=forecast(meeting, forecast_charter(current_coop(), meeting))
                  if planned else None, can_run=can_run(),
                  minutes_form=minutes_form, cancel_form=cancel_form, stale=stale, papers=list(Paper))


@bp.get("/<int:meeting_id>")
@roles_required(*READ)
def detail(meeting_id: int):
    return _detail_page(owned(Meeting, meeting_id))


@bp.post("/<int:meeting_id>/minutes")
@roles_required(*RUN)
def minutes(meeting_id: int):
    meeting = owned(Meeting, meeting_id)
    form = MinutesForm()
    return save(form, lambda: record_minutes(meeting, form.minutes.data, form.version.data,
                                             chair=form.chair.data, recorder=form.recorder.data),
                field="minutes", message="会议记录已保存",
                again=lambda status, stale="": _detail_page(
                    meeting, block="minutes_panel", status=status, minutes_form=form, stale=stale),
                done=lambda m: redirect_to("governance.detail", meeting_id=m.id))


@bp.post("/<int:meeting_id>/cancel")
@roles_required(*RUN)
def cancel(meeting_id: int):
    meeting = owned(Meeting, meeting_id)
    form = CancelForm()
    return save(form, lambda: cancel_meeting(meeting, form.version.data),
                message=lambda m: f"“{m.title}”已取消",
                again=lambda status, stale="": _detail_page(
                    meeting, block="cancel_panel", status=status, cancel_form=form, stale=stale),
                done=lambda m: redirect_to("governance.detail", meeting_id=m.id))


# -- representatives -----------------------------------------------------------------

def _representatives_page(form: RepresentativeForm | None = None, status: int = 200, *,
                          end_form: EndTermForm | None = None):
    block = "end_term_form" if end_form is not None else "representative_form"
    return render("governance/representatives.html", block=block, status=status,
                  form=form or RepresentativeForm(formdata=None),
                  end_form=end_form or EndTermForm(formdata=None, prefix="end"),
                  representatives=representative_rows(coop_id()), can_run=can_run(),
                  regime=regime_of(current_coop()),
                  has_assembly=current_coop().representative_assembly,
                  warnings=representative_warnings(current_coop()))


@bp.get("/representatives")
@roles_required(*READ)
def representatives():
    return _representatives_page()


@bp.post("/representatives")
@roles_required(*RUN)
def new_representative():
    form = RepresentativeForm()

    def add():
        return add_representative_under_charter(
            current_coop(), member_id_by_no(coop_id(), form.member_no.data, "member_no", required=True),
            term_start=form.term_start.data, term_end=form.term_end.data,
            households=form.households.data or "")

    return save(form, add, aliases={"member_id": "member_no"},
                message=lambda r: "已登记成员代表",
                again=lambda status, stale="": _representatives_page(form, status),
                done=lambda r: redirect_to("governance.representatives"))


@bp.post("/representatives/end")
@roles_required(*RUN)
def end_representative():
    """A representative's term ends before its elected end (卸任)."""
    form = EndTermForm(prefix="end")

    def end():
        return end_term(coop_id(), member_id_by_no(coop_id(), form.member_no.data, "member_no", required=True),
                        last_day=form.last_day.data, reason=form.reason.data or "")

    return save(form, end, aliases={"member_id": "member_no"},
                message=lambda r: "已登记代表卸任",
                again=lambda status, stale="": _representatives_page(status=status, end_form=form),
                done=lambda r: redirect_to("governance.representatives"))
