"""A household's page for the household changes that do not change who is
a member: a member moving in (a marriage between two members), splitting
off a new household, merging into another (coop.membership.households).
The secretary changes; the staff read."""
from __future__ import annotations

from flask_login import current_user

from coop.auth.api import current_coop_id, roles_required
from coop.errors import RecordNotFound, ServiceError
from coop.members.api import Member, household_members
from coop.membership import households
from coop.membership.blueprint import READ, RECORD, bp
from coop.membership.forms import MergeForm, MoveForm, SplitForm
from coop.web import redirect_to, render, save


def _members(household_no: str) -> list[Member]:
    members = household_members(current_coop_id(), household_no)
    if not members:
        raise RecordNotFound("户")
    return members


def _choices(members: list[Member], split: SplitForm, move: MoveForm) -> None:
    people = [(m.id, f"{m.name}（{m.member_no}）") for m in members]
    split.member_ids.choices = people
    split.head_id.choices = [("", "（请选择）")] + [(str(i), label) for i, label in people]
    move.member_id.choices = [(str(i), label) for i, label in people]


def _page(household_no: str, members: list[Member], *, split: SplitForm | None = None,
          merge: MergeForm | None = None, move: MoveForm | None = None, status: int = 200):
    split = split or SplitForm(formdata=None)
    move = move or MoveForm(formdata=None)
    _choices(members, split, move)
    return render("membership/household.html", block="household_page", status=status, household_no=household_no,
                  members=members, split_form=split, merge_form=merge or MergeForm(formdata=None),
                  move_form=move, can_record=current_user.role in RECORD)


@bp.get("/households/<household_no>")
@roles_required(*READ)
def household(household_no: str):
    return _page(household_no, _members(household_no))


@bp.post("/households/<household_no>/split")
@roles_required(*RECORD)
def split_household(household_no: str):
    members = _members(household_no)
    form = SplitForm()
    _choices(members, form, MoveForm(formdata=None))
    head = int(form.head_id.data) if (form.head_id.data or "").isdigit() else None
    return save(form, lambda: households.split_household(
                    current_coop_id(), household_no, list(form.member_ids.data or []),
                    head, form.new_no.data or ""),
                validate=False, field="member_ids",
                again=lambda status, stale="": _page(household_no, members, split=form,
                                                     status=status),
                message=lambda c: f"已分户：{c.moved} 人迁入新户 {c.household_no}",
                done=lambda c: redirect_to("membership.household", household_no=c.household_no))


@bp.post("/households/<household_no>/merge")
@roles_required(*RECORD)
def merge_household(household_no: str):
    members = _members(household_no)
    form = MergeForm()
    return save(form, lambda: households.merge_households(
                    current_coop_id(), form.into_no.data or "", household_no),
                validate=False, field="into_no",
                again=lambda status, stale="": _page(household_no, members, merge=form,
                                                     status=status),
                message=lambda c: f"已合户：{c.moved} 人并入户 {c.household_no}",
                done=lambda c: redirect_to("membership.household", household_no=c.household_no))


@bp.post("/households/<household_no>/move")
@roles_required(*RECORD)
def move_member(household_no: str):
    members = _members(household_no)
    form = MoveForm()
    _choices(members, SplitForm(formdata=None), form)
    chosen = next((m for m in members if str(m.id) == (form.member_id.data or "")), None)

    def move():
        if chosen is None:
            raise ServiceError("请选择这一户的成员", field="member_id")
        return households.move_member(chosen, form.household_no.data or "",
                                      form.relation_to_head.data or "")

    return save(form, move, validate=False, field="household_no",
                again=lambda status, stale="": _page(household_no, members, move=form,
                                                     status=status),
                message=lambda c: f"已迁入户 {c.household_no}",
                done=lambda c: redirect_to("membership.household", household_no=c.household_no))
