"""The meeting itself: the sign-in sheet (one row per entitled person,
swapped by htmx), the votes on an item person by person or a secret ballot's
tally, and the decision with every reason and its article."""
from __future__ import annotations

from flask import request

from coop.auth.api import current_coop, roles_required
from coop.governance.agenda_sources import recorded_disclosure
from coop.governance.attendance import forecast, record_attendance, withdraw_attendance
from coop.governance.blueprint import READ, RUN, bp, can_run, coop_id, user_id
from coop.governance.by_charter import charter_of, forecast_charter
from coop.governance.constants import AttendanceMode, ItemKind, MeetingStatus, Regime
from coop.governance.decisions import decide_item, record_tally, record_vote
from coop.governance.forms import AttendanceForm, DecideForm, TallyForm, VoteForm, messages
from coop.governance.models import AgendaItem, Meeting
from coop.governance.sheets import (SignInRow, VoteRow, VotingSheet, member_id_by_no,
                                    reason_lines, sign_in_rows, vote_row, voting_sheet)
from coop.web import is_htmx, owned, redirect_to, render, save

ATTENDANCE_ALIASES = {"proxy_holder_id": "proxy_holder", "status": "mode", "member_id": "mode"}


# -- the sign-in sheet -------------------------------------------------------------------

def _attendance_form(row: SignInRow) -> AttendanceForm:
    record = row.attendance
    form = AttendanceForm(formdata=None, prefix=f"m{row.member.id}", version=row.version)
    if record is not None:
        form.mode.data = record.mode
        form.proxy_form.data = record.proxy_form
        form.proxy_holder.data = row.proxy_holder.member_no if row.proxy_holder else ""
    return form


def _sheet_context(meeting: Meeting) -> dict:
    return dict(meeting=meeting, forecast=forecast(meeting, forecast_charter(current_coop(), meeting)),
                can_run=can_run(),
                fsc=meeting.regime == Regime.SPECIALIZED,
                recordable=meeting.status == MeetingStatus.PLANNED)


@bp.get("/<int:meeting_id>/attendance")
@roles_required(*READ)
def attendance(meeting_id: int):
    meeting = owned(Meeting, meeting_id)
    q = request.args.get("q", "").strip()[:40]
    rows = sign_in_rows(meeting, q)
    return render("governance/attendance.html", rows=rows, q=q,
                  forms={row.member.id: _attendance_form(row) for row in rows},
                  **_sheet_context(meeting))


@bp.post("/<int:meeting_id>/attendance/<int:member_id>")
@roles_required(*RUN)
def sign_in(meeting_id: int, member_id: int):
    meeting = owned(Meeting, meeting_id)
    form = AttendanceForm(prefix=f"m{member_id}")
    action = request.form.get("action")
    present = action == "sign"

    def record():
        if action == "withdraw":
            return withdraw_attendance(meeting, member_id, form.version.data)
        proxy = form.mode.data == AttendanceMode.PROXY
        return record_attendance(
            meeting, member_id, mode=form.mode.data, present=present,
            proxy_holder_id=member_id_by_no(coop_id(), form.proxy_holder.data, "proxy_holder")
            if proxy else None,
            proxy_form=form.proxy_form.data or "", user_id=user_id(), expected_version=form.version.data)

    def row_page(status: int, row_form: AttendanceForm | None = None, stale: str = ""):
        rows = sign_in_rows(meeting)
        forms = {row.member.id: _attendance_form(row) for row in rows}
        if row_form is not None:
            forms[member_id] = row_form
        one = [row for row in rows if row.member.id == member_id]
        context = dict(status=status, stale={member_id: stale}, **_sheet_context(meeting))
        if is_htmx() and one:
            return render("governance/attendance.html", block="sign_row", oob=("sign_counts",),
                          row=one[0], form=forms[member_id], **context)
        # a person not on the sheet (not entitled): the refusal above the sheet
        page_errors = () if one or row_form is None else messages(row_form)
        return render("governance/attendance.html", rows=rows, forms=forms,
                      page_errors=page_errors, **context)

    def done(recorded):
        if is_htmx():
            return row_page(200)
        return redirect_to("governance.attendance", meeting_id=meeting.id, _anchor=f"m{member_id}")

    return save(form, record, field="mode", aliases=ATTENDANCE_ALIASES,
                message=lambda a: (f"已撤销 {a.name} 的参会登记" if action == "withdraw"
                                   else f"已登记：{a.status_label}（{a.mode_label}）"),
                again=lambda status, stale="": row_page(status, form, stale), done=done)


# -- an item: votes, tally, decision ----------------------------------------------------

def _item_page(item: AgendaItem, *, block: str | None = None, status: int = 200,
               sheet: VotingSheet | None = None, vote_forms: dict | None = None,
               tally_form: TallyForm | None = None, decide_form: DecideForm | None = None,
               stale: str = "", oob: tuple[str, ...] = (), row: VoteRow | None = None,
               page_errors: tuple[str, ...] = ()):
    sheet = sheet or voting_sheet(item)
    if tally_form is None:
        tally = sheet.tally
        tally_form = TallyForm(formdata=None, version=tally.version if tally else 0, obj=tally)
    if decide_form is None:
        decide_form = DecideForm(formdata=None, version=item.version)
    forms = {row.member.id: VoteForm(formdata=None, prefix=f"v{row.member.id}", version=row.version)
             for row in sheet.rows}
    forms.update(vote_forms or {})
    is_open = not item.is_decided and item.meeting.status != MeetingStatus.CANCELLED
    distribution = item.kind == ItemKind.DISTRIBUTION
    if not is_open:  # the forms are not shown: their refusals go above the item
        page_errors = (*page_errors, *messages(tally_form), *messages(decide_form),
                       *([stale] if stale else []))
    return render("governance/item.html", block=block, status=status, oob=oob, item=item, row=row,
                  page_errors=page_errors,
                  meeting=item.meeting, sheet=sheet, vote_forms=forms, tally_form=tally_form,
                  decide_form=decide_form, reasons=reason_lines(item), can_run=can_run(),
                  distribution=distribution, stale=stale, open=is_open,
                  # the plan's own record when the item names its plan: not asked again
                  disclosure=recorded_disclosure(item) if distribution and is_open else None)


@bp.get("/items/<int:item_id>")
@roles_required(*READ)
def item(item_id: int):
    return _item_page(owned(AgendaItem, item_id))


@bp.post("/items/<int:item_id>/votes/<int:member_id>")
@roles_required(*RUN)
def vote(item_id: int, member_id: int):
    agenda_item = owned(AgendaItem, item_id)
    form = VoteForm(prefix=f"v{member_id}")

    def again(status: int, stale: str = ""):
        sheet = voting_sheet(agenda_item)
        row = vote_row(sheet, member_id)
        if stale:
            form.form_errors.append(stale)
        if is_htmx() and row is not None:
            return _item_page(agenda_item, block="vote_row", status=status, sheet=sheet, row=row,
                              vote_forms={member_id: form})
        return _item_page(agenda_item, status=status, sheet=sheet,
                          page_errors=tuple(form.form_errors))

    def done(_vote):
        sheet = voting_sheet(agenda_item)
        row = vote_row(sheet, member_id)
        if is_htmx() and row is not None:
            return _item_page(agenda_item, block="vote_row", oob=("vote_counts",), sheet=sheet,
                              row=row)
        return redirect_to("governance.item", item_id=agenda_item.id, _anchor=f"v{member_id}")

    return save(form, lambda: record_vote(agenda_item, member_id, request.form.get("choice", ""),
                                          user_id=user_id(), expected_version=form.version.data),
                again=again, done=done,
                message=lambda v: f"已记录表决：{v.choice_label}")


@bp.post("/items/<int:item_id>/tally")
@roles_required(*RUN)
def tally(item_id: int):
    agenda_item = owned(AgendaItem, item_id)
    form = TallyForm()
    return save(form, lambda: record_tally(
        agenda_item, votes_for=form.votes_for.data, votes_against=form.votes_against.data,
        votes_abstain=form.votes_abstain.data, invalid=form.invalid.data or 0,
        user_id=user_id(), expected_version=form.version.data),
        field="votes_for", message="已记录无记名投票的计票结果",
        again=lambda status, stale="": _item_page(agenda_item, block="tally_panel", status=status,
                                                  tally_form=form, stale=stale),
        done=lambda _t: redirect_to("governance.item", item_id=agenda_item.id))


def _verdict_message(decision) -> str:
    item = decision.item
    if decision.verdict.passed:
        return f"表决结果：通过，决议编号 {item.resolution_no}"
    return "表决结果：未通过（原因见下方各项依据）"


@bp.post("/items/<int:item_id>/decide")
@roles_required(*RUN)
def decide(item_id: int):
    agenda_item = owned(AgendaItem, item_id)
    form = DecideForm()
    return save(form, lambda: decide_item(
        agenda_item, disclosed_on=form.disclosed_on.data, resolution_no=form.resolution_no.data,
        charter=charter_of(current_coop()), user_id=user_id(), expected_version=form.version.data),
        field="resolution_no", message=_verdict_message,
        again=lambda status, stale="": _item_page(agenda_item, block="decide_panel", status=status,
                                                  decide_form=form, stale=stale),
        done=lambda _d: redirect_to("governance.item", item_id=agenda_item.id))
