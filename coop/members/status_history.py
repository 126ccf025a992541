"""A member's status history: every change of status writes a row
(``set_status``), shown on the member's page; a change entered in error is
reversed with a reason (``reverse_change``), which puts the previous status
back. Services flush, never commit.

What may be reversed:
- only a change made on the member page (a farmers' specialized cooperative)
  or filled in from an old record; a membership event is the member
  assembly's decision (RCEO arts 12, 17): an event recorded in error is
  withdrawn on the membership page before it is confirmed;
- only the member's latest change still standing (a later change rests on it);
- not one dated in a closed year;
- not when a later fact rests on it: the domains above answer through
  ``coop.members.signals.reversal_refusals`` (a share entry of the member
  after it, an approved plan that left the member out, a roster made since).
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import bindparam, select

from coop import clock
from coop.audit.api import check_version
from coop.cooperatives.api import Cooperative, LegalRegime, closed_date_error
from coop.errors import ServiceError
from coop.extensions import db
from coop.members.constants import StatusChangeSource
from coop.members.models import Member, MemberStatusChange
from coop.members.signals import announce_reversal, announce_status_change, reversal_refusals

REASON_MAX = 200


def set_status(member: Member, status: str, on_date: date | None, *,
               source: str = StatusChangeSource.ROSTER.value, reason: str = "",
               user_id: int | None = None, dated: bool = True) -> MemberStatusChange:
    """Change ``member``'s status to ``status`` from ``on_date`` and write the
    change into the history (``dated``: the member's status date becomes
    ``on_date``; a pending person's withdrawal keeps none)."""
    change = MemberStatusChange(
        cooperative_id=member.cooperative_id, member_id=member.id, from_status=member.status,
        to_status=status, on_date=on_date, previous_changed_on=member.status_changed_on,
        reason=(reason or "").strip()[:REASON_MAX], source=source, recorded_by_id=user_id,
        recorded_at=clock.utcnow())
    member.status = status
    if dated:
        member.status_changed_on = on_date
    db.session.add(change)
    return change


# built once: the member page reads it on every view
_CHANGES_OF = (select(MemberStatusChange).where(MemberStatusChange.member_id == bindparam("member_id"))
               .order_by(MemberStatusChange.id.desc()))


def changes_of(member: Member) -> list[MemberStatusChange]:
    """The member's status changes, newest first."""
    return list(db.session.scalars(_CHANGES_OF, {"member_id": member.id}))


def latest_standing(member: Member) -> MemberStatusChange | None:
    """The member's latest change that has not been reversed."""
    return db.session.scalar(select(MemberStatusChange).where(
        MemberStatusChange.member_id == member.id, MemberStatusChange.reversed_at.is_(None))
        .order_by(MemberStatusChange.id.desc()).limit(1))


def _describe(field: str, value: object) -> tuple[str, str]:
    label = MemberStatusChange.__audit_labels__.get(field, field)
    return (label if isinstance(label, str) else label.label,
            "（空）" if value in (None, "") else str(value))


EVENT_REFUSAL = ("此变更是成员身份变动经成员大会确认（或撤回）的结果，属于成员大会的决定"
                 "（《农村集体经济组织法》第十二条、第十七条），不能作为录入错误撤销。"
                 "尚未确认的变动如登记有误，请在“成员身份”中撤回该变动。")
RCEO_REFUSAL = ("依照《农村集体经济组织法》第十二条、第十七条，本社成员名册的变更须经成员大会确认，"
                "不能在成员页面撤销状态变更；请在“成员身份”中办理。")


def refusal(coop: Cooperative, member: Member, change: MemberStatusChange) -> str | None:
    """Why ``change`` may not be reversed as an error, or None."""
    if change.is_reversed:
        return f"此变更已于 {clock.local(change.reversed_at):%Y-%m-%d} 撤销"
    if change.source == StatusChangeSource.EVENT:
        return EVENT_REFUSAL
    if coop.legal_regime != LegalRegime.SPECIALIZED:
        return RCEO_REFUSAL
    latest = latest_standing(member)
    if latest is None or latest.id != change.id or member.status != change.to_status:
        later = f"（{latest.on_date:%Y-%m-%d} {latest.from_label}→{latest.to_label}）" \
            if latest is not None and latest.on_date else ""
        return (f"{member.name} 在此之后又有状态变更{later}，后面的变更以此为前提；"
                "只能撤销最近一次状态变更，请先撤销后面的变更")
    if message := closed_date_error(member.cooperative_id, change.on_date):
        return f"此变更的日期在已结账年度内，不能撤销：{message}"
    refusals = reversal_refusals(member, change)
    return "；".join(refusals) if refusals else None


def reverse_change(coop: Cooperative, member: Member, change: MemberStatusChange, reason: str,
                   user_id: int | None, expected_version: int | None = None) -> Member:
    """Reverse ``change`` (entered in error): the member's previous status
    and its date come back, the change is marked reversed with ``reason``;
    a login the change had disabled is enabled again (coop.portal.receivers)."""
    text = (reason or "").strip()
    if len(text) < 2:
        raise ServiceError("请写明撤销原因（例如：误将本人登记为已故，实际健在）", field="reason")
    if len(text) > REASON_MAX:
        raise ServiceError(f"撤销原因不能超过 {REASON_MAX} 个字", field="reason")
    check_version(change, expected_version, _describe)
    if message := refusal(coop, member, change):
        raise ServiceError(message, field="reason")
    member.status = change.from_status
    member.status_changed_on = change.previous_changed_on
    change.reversed_at = clock.utcnow()
    change.reversed_by_id = user_id
    change.reversed_reason = text
    db.session.flush()
    announce_status_change(member)
    announce_reversal(member, change)
    return member
