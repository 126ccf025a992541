"""The secretary's pages of disputes over membership (《农村集体经济组织法》
第五十六条) and of distribution rights granted to non-members (第十五条):
the secretary records, the accountant and the supervisor read. The routes
are on the membership blueprint (coop.membership.blueprint)."""
from __future__ import annotations

from flask import request
from flask_login import current_user
from sqlalchemy import select

from coop import clock
from coop.auth.api import Role, current_coop, current_coop_id, roles_required
from coop.errors import ValidationFailed
from coop.extensions import db
from coop.governance.api import resolutions
from coop.members.api import Member
from coop.membership import disputes as dispute_services
from coop.membership import rights as right_services
from coop.membership.blueprint import READ, RECORD, bp, is_rceo
from coop.membership.models import Dispute
from coop.membership.people_forms import (CloseDisputeForm, DisputeFilterForm, DisputeForm,
                                          DisputeStepForm, RightForm)
from coop.membership.people_rules import dispute_notes
from coop.membership.standing import PeoplePanel, people_panel
from coop.web import owned, redirect_to, render, save

__all__ = ["bp"]


def _coop_id() -> int:
    return current_coop_id()


def _can_record() -> bool:
    return current_user.role == Role.ADMIN


# -- disputes ------------------------------------------------------------------------


@bp.get("/disputes")
@roles_required(*READ)
def disputes():
    form = DisputeFilterForm(request.args)
    status = form.status.data if form.validate() else ""
    return render("membership/disputes.html", block="dispute_list", form=form, can_record=_can_record(),
                  rceo=is_rceo(),
                  disputes=dispute_services.dispute_list(_coop_id(), status or ""))


def _new_dispute_page(form: DisputeForm, status: int = 200):
    form.claim.description = f"当事人的主张，例如：{current_coop().words.dispute_example}"
    return render("membership/dispute_new.html", block="dispute_form", status=status, form=form,
                  rceo=is_rceo())


@bp.get("/disputes/new")
@roles_required(*RECORD)
def new_dispute():
    form = DisputeForm(formdata=None, opened_on=clock.today(),
                       member_no=request.args.get("member_no", "")[:20])
    return _new_dispute_page(form)


def _member_by_no(member_no: str | None) -> Member | None:
    member_no = (member_no or "").strip()
    if not member_no:
        return None
    member = db.session.scalar(select(Member).where(Member.cooperative_id == _coop_id(),
                                                    Member.member_no == member_no))
    if member is None:
        raise ValidationFailed({"member_no": f"本社没有成员编号为 {member_no} 的成员"})
    return member


@bp.post("/disputes")
@roles_required(*RECORD)
def create_dispute():
    form = DisputeForm()

    def record() -> Dispute:
        return dispute_services.open_dispute(
            _coop_id(), member=_member_by_no(form.member_no.data), claimant=form.claimant.data or "",
            claim=form.claim.data or "", opened_on=form.opened_on.data,
            concerns_women=bool(form.concerns_women.data) and is_rceo(), user_id=current_user.id)

    return save(form, record, message=lambda d: f"已登记 {d.claimant} 的成员身份争议",
                again=lambda status, stale="": _new_dispute_page(form, status),
                done=lambda d: redirect_to("membership.dispute", dispute_id=d.id))


def _dispute_page(dispute: Dispute, *, block: str | None = None, status: int = 200,
                  step_form: DisputeStepForm | None = None,
                  close_form: CloseDisputeForm | None = None, stale: str = ""):
    if step_form is None:
        step_form = DisputeStepForm(formdata=None, on=clock.today())
    if close_form is None:
        close_form = CloseDisputeForm(formdata=None, version=dispute.version, closed_on=clock.today())
    member = db.session.get(Member, dispute.member_id) if dispute.member_id else None
    return render("membership/dispute.html", block=block, status=status, dispute=dispute,
                  member=member, steps=dispute_services.steps_of(dispute),
                  notes=dispute_notes(dispute.concerns_women), can_record=_can_record(),
                  is_open=dispute.status == "open", step_form=step_form, close_form=close_form,
                  stale=stale)


@bp.get("/disputes/<int:dispute_id>")
@roles_required(*READ)
def dispute(dispute_id: int):
    return _dispute_page(owned(Dispute, dispute_id))


@bp.post("/disputes/<int:dispute_id>/steps")
@roles_required(*RECORD)
def add_dispute_step(dispute_id: int):
    dispute = owned(Dispute, dispute_id)
    form = DisputeStepForm()
    return save(form, lambda: dispute_services.add_step(
                    dispute, stage=form.stage.data, on=form.on.data, note=form.note.data or "",
                    user_id=current_user.id),
                message=lambda s: f"已登记{s.stage_label}（{s.on:%Y-%m-%d}）",
                again=lambda status, stale="": _dispute_page(dispute, block="step_panel",
                                                             status=status, step_form=form),
                done=lambda s: redirect_to("membership.dispute", dispute_id=dispute.id))


@bp.post("/disputes/<int:dispute_id>/close")
@roles_required(*RECORD)
def close_dispute(dispute_id: int):
    dispute = owned(Dispute, dispute_id)
    form = CloseDisputeForm()
    return save(form, lambda: dispute_services.close_dispute(
                    dispute, outcome=form.outcome.data or "", closed_on=form.closed_on.data,
                    user_id=current_user.id, expected_version=form.version.data),
                message="争议已结案",
                again=lambda status, stale="": _dispute_page(dispute, block="close_panel", status=status,
                                                             close_form=form, stale=stale),
                done=lambda d: redirect_to("membership.dispute", dispute_id=d.id))


# -- distribution rights (art 15) ---------------------------------------------------------


@bp.get("/rights")
@roles_required(*READ)
def rights():
    return render("membership/rights.html", rows=right_services.rights_list(_coop_id()),
                  can_record=_can_record(), rceo=is_rceo())


def _right_form(submitted: bool) -> RightForm:
    form = RightForm() if submitted else RightForm(formdata=None, granted_on=clock.today())
    form.item_id.choices = [("", "（决议不在会议记录中，手工登记）")] + [
        (str(r.item_id), r.label) for r in resolutions(_coop_id())]
    return form


def _new_right_page(form: RightForm, status: int = 200):
    return render("membership/right_new.html", block="right_form", status=status, form=form)


@bp.get("/rights/new")
@roles_required(*RECORD)
def new_right():
    return _new_right_page(_right_form(submitted=False))


@bp.post("/rights")
@roles_required(*RECORD)
def grant_right():
    form = _right_form(submitted=True)

    def grant():
        person = right_services.Person(
            member_no=(form.member_no.data or "").strip(), name=(form.name.data or "").strip(),
            id_number=(form.id_number.data or "").strip() or None,
            household_no=(form.household_no.data or "").strip(),
            village_group=(form.village_group.data or "").strip(), phone=(form.phone.data or "").strip())
        recorded = right_services.RecordedResolution(
            form.resolution_no.data or "", form.resolved_on.data, form.votes_for.data,
            form.all_members.data)
        return right_services.grant_rights(current_coop(), person,
                                           item_id=form.item_id.data or None, recorded=recorded,
                                           granted_on=form.granted_on.data, user_id=current_user.id)

    return save(form, grant, message=lambda r: "已登记非成员的收益分配权（《农村集体经济组织法》第十五条）",
                again=lambda status, stale="": _new_right_page(form, status),
                done=lambda r: redirect_to("members.detail", member_id=r.member_id))


@bp.app_template_global("membership_people")
def membership_people(member: Member) -> PeoplePanel:
    """The data of the member page's panel (templates/membership/_people_panel.html)."""
    return people_panel(member)
