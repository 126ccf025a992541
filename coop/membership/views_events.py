"""The membership events pages: the events list (the membership hub),
recording a gain or a loss, an event with its evidence and its art 8
review, and the panel on the member's page. The secretary records; the supervisor reviews (art 8) and reads; the
accountant reads."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import current_app, request, send_file
from flask_login import current_user

from coop import clock
from coop.auth.api import Role, current_coop, current_coop_id, roles_required
from coop.errors import RecordNotFound
from coop.members.api import Member, MemberStatus
from coop.membership import events, queries
from coop.membership.constants import EventStatus
from coop.membership.blueprint import READ, RECORD, bp, is_rceo
from coop.membership.evidence import MIMETYPES, scan_path
from coop.membership.forms import (
    CancelForm,
    EventFilterForm,
    EvidenceForm,
    GainForm,
    LossForm,
    ReviewForm,
)
from coop.membership.models import MembershipEvent
from coop.membership.rules import RULES, WOMEN_REVIEW_NOTE, LossFacts
from coop.web import is_htmx, owned, page_number, redirect_to, render, save

REVIEW = (Role.ADMIN.value, Role.SUPERVISOR.value)


def _coop_id() -> int:
    return current_coop_id()


def _can_record() -> bool:
    return current_user.role == Role.ADMIN


def _can_review() -> bool:
    return current_user.role in REVIEW


def _folder() -> Path:
    """Where the scans are kept (in membership_files/ beneath it): the
    instance folder, outside the web root, unless MEMBERSHIP_FILES_DIR says."""
    return Path(current_app.config.get("MEMBERSHIP_FILES_DIR") or current_app.instance_path)


def _evidence(form: Any) -> events.Evidence:
    return events.Evidence(doc_type=form.doc_type.data or "", doc_no=form.doc_no.data or "",
                           doc_date=form.doc_date.data, scan=form.scan_upload())


# -- the list -------------------------------------------------------------------------

@bp.get("/")
@roles_required(*READ)
def index():
    if not is_rceo():
        # a specialized cooperative records no membership events: its members
        # join and leave on the member pages, and this section is its roster
        return redirect_to("membership.rosters_index")
    form = EventFilterForm(request.args)
    filters = queries.EventFilters(status=form.status.data or "", direction=form.direction.data or "",
                                   review=form.review.data or "")
    page = queries.event_page(_coop_id(), filters, page=page_number())
    context = dict(form=form, page=page, can_record=_can_record(), rceo=is_rceo())
    if is_htmx():
        return render("membership/index.html", block="results", **context)
    return render("membership/index.html", counts=queries.open_counts(_coop_id()), **context)


# -- recording --------------------------------------------------------------------------

def _gain_page(form: GainForm, status: int = 200):
    return render("membership/gain.html", block="gain_form", status=status, form=form,
                  rceo=is_rceo(), suggested=events.suggest_member_no(_coop_id()))


@bp.get("/gains/new")
@roles_required(*RECORD)
def new_gain():
    form = GainForm(formdata=None)
    form.reason.data = request.args.get("reason", "birth")
    form.relative_no.data = request.args.get("relative", "")
    return _gain_page(form)


@bp.post("/gains")
@roles_required(*RECORD)
def create_gain():
    form = GainForm()

    def record() -> MembershipEvent:
        person = events.Person(
            name=form.name.data or "", id_number=form.id_number.data or "",
            member_no=form.member_no.data or "", household_no=form.household_no.data or "",
            village_group=form.village_group.data or "",
            relation_to_head=form.relation_to_head.data or "", phone=form.phone.data or "")
        return events.record_gain(
            current_coop(), reason=form.reason.data, occurs_on=form.occurs_on.data,
            person=person, relative_no=form.relative_no.data or "", detail=form.detail.data or "",
            marital=bool(form.marital.data), evidence=_evidence(form), user_id=current_user.id,
            folder=_folder())

    return save(form, record, again=lambda status, stale="": _gain_page(form, status),
                message=lambda e: f"已登记 {e.reason_label}：待成员大会确认",
                done=lambda e: redirect_to("membership.detail", event_id=e.id))


def _loss_page(member: Member, form: LossForm, status: int = 200):
    return render("membership/loss.html", block="loss_form", status=status, form=form,
                  member=member, rceo=is_rceo(), open_event=events.open_event_of(member.id))


@bp.get("/members/<int:member_id>/loss")
@roles_required(*RECORD)
def new_loss(member_id: int):
    member = owned(Member, member_id)
    form = LossForm(formdata=None)
    form.occurs_on.data = clock.today()
    return _loss_page(member, form)


@bp.post("/members/<int:member_id>/loss")
@roles_required(*RECORD)
def create_loss(member_id: int):
    member = owned(Member, member_id)
    form = LossForm()

    def record() -> MembershipEvent:
        facts = LossFacts(
            reason=form.reason.data or "", membership_elsewhere=form.membership_elsewhere.data or "",
            detail=form.detail.data or "", withdrawal_terms=form.withdrawal_terms.data or "",
            rights_kept_until=form.rights_kept_until.data, occurs_on=form.occurs_on.data,
            doc_type=form.doc_type.data or "", doc_date=form.doc_date.data,
            contract_civil_servant=bool(form.contract_civil_servant.data))
        return events.record_loss(member, current_coop(), facts=facts,
                                  marital=bool(form.marital.data), evidence=_evidence(form),
                                  user_id=current_user.id, folder=_folder())

    return save(form, record, again=lambda status, stale="": _loss_page(member, form, status),
                message=lambda e: f"已登记 {member.name} {e.reason_label}：待成员大会确认",
                done=lambda e: redirect_to("membership.detail", event_id=e.id))


# -- one event --------------------------------------------------------------------------

def _detail_page(event: MembershipEvent, *, status: int = 200, block: str | None = None,
                 review: ReviewForm | None = None, evidence: EvidenceForm | None = None,
                 cancel: CancelForm | None = None, stale: str = ""):
    def versioned(form_class, form=None):
        if form is not None:
            return form
        form = form_class(formdata=None)
        form.version.data = event.version
        return form

    evidence_form = versioned(EvidenceForm, evidence)
    if evidence is None:
        evidence_form.doc_type.data = event.doc_type
        evidence_form.doc_no.data = event.doc_no
        evidence_form.doc_date.data = event.doc_date
    return render("membership/detail.html", block=block, status=status, event=event,
                  member=db_member(event), rule=RULES[event.reason],
                  review_form=versioned(ReviewForm, review), evidence_form=evidence_form,
                  cancel_form=versioned(CancelForm, cancel), stale=stale,
                  recorded_by=queries.user_name(event.recorded_by_id),
                  reviewed_by=queries.user_name(event.reviewed_by_id),
                  can_record=_can_record(), can_review=_can_review(),
                  is_open=event.status in events.OPEN, women_note=WOMEN_REVIEW_NOTE)


def db_member(event: MembershipEvent) -> Member:
    return owned(Member, event.member_id)


@bp.get("/events/<int:event_id>")
@roles_required(*READ)
def detail(event_id: int):
    return _detail_page(owned(MembershipEvent, event_id))


def _event_step(event: MembershipEvent, form, action, *, panel: str | None, forms: dict, message: str,
                field: str | None = None):
    """One form of an event's page: ``save`` it; on an error the event's
    ``panel`` (the whole page when None) again with ``forms``, on success
    back to the event."""
    return save(form, action, field=field, message=message,
                again=lambda status, stale="": _detail_page(event, status=status, block=panel,
                                                            stale=stale, **forms),
                done=lambda e: redirect_to("membership.detail", event_id=e.id))


@bp.post("/events/<int:event_id>/cancel")
@roles_required(*RECORD)
def cancel(event_id: int):
    event = owned(MembershipEvent, event_id)
    form = CancelForm()
    return _event_step(event, form, lambda: events.cancel_event(event, form.version.data),
                       panel=None, forms={"cancel": form}, field="_form", message="已撤回此项登记")


@bp.post("/events/<int:event_id>/review")
@roles_required(*REVIEW)
def review(event_id: int):
    event = owned(MembershipEvent, event_id)
    form = ReviewForm()
    return _event_step(event, form, lambda: events.review_event(event, form.review_note.data or "",
                                                                current_user.id, form.version.data),
                       panel="review_panel", forms={"review": form}, message="已记录妇女权益复核意见")


@bp.post("/events/<int:event_id>/evidence")
@roles_required(*RECORD)
def evidence(event_id: int):
    event = owned(MembershipEvent, event_id)
    form = EvidenceForm()
    return _event_step(event, form, lambda: events.update_evidence(event, _evidence(form), _folder(),
                                                                   form.version.data),
                       panel="evidence_panel", forms={"evidence": form}, message="已保存证明材料")


@bp.get("/events/<int:event_id>/scan")
@roles_required(*READ)
def scan(event_id: int):
    event = owned(MembershipEvent, event_id)
    path = scan_path(_folder(), event.scan_file)
    if path is None:
        raise RecordNotFound("扫描件")
    ext = path.suffix.lstrip(".")
    name = f"membership-event-{event.id}.{ext}"
    return send_file(path, mimetype=MIMETYPES[ext], as_attachment=True, download_name=name)


# -- the panel on the member's page --------------------------------------------------------

@bp.app_template_global("member_membership")
def member_membership(member: Member) -> dict[str, Any]:
    """What the member page's membership panel shows (templates/membership/_member_panel.html)."""
    rceo = is_rceo()
    history = queries.member_events(member.id)
    open_event = next((e for e in history if e.status in events.OPEN), None)
    return {
        "events": history,
        "open_event": open_event,
        "rceo": rceo,
        "can_record_loss": (_can_record() and rceo and member.status == MemberStatus.ACTIVE
                            and member.kind != "collective" and open_event is None),
        "pending": member.status == MemberStatus.PENDING,
        "statuses": EventStatus,
    }
