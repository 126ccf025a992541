"""Reopening a closed year: one person (the secretary or the accountant) asks
with a reason, the supervisor confirms; the one who asked cannot confirm.

Reopening undoes exactly what the close froze: the ``YearClose`` row with its
figures and the part retained (carry forward). The next year's carried
figures are then computed again from the ledger (``years.year_figures``).
Only the latest closed year can be reopened (a later close froze what this
one carried), and not once a plan of the year is approved: the approval
recorded what the close had to distribute, and the plan is frozen. Each step
is a change of a ``YearReopening`` row (audited), and the removed close is
audited as a deletion with all its figures. Services flush; the caller commits.
"""
from __future__ import annotations

from sqlalchemy import select

from coop import clock
from coop.cooperatives.api import YearReopening, latest_closed_year
from coop.errors import ServiceError, ValidationFailed
from coop.extensions import db
from coop.labels import LabelledEnum
from coop.machinery.periods import added, get_year_close
from coop.money import format_yuan

REASON_MAX = 200


class ReopenStatus(LabelledEnum):
    PENDING = "pending", "待监事确认"
    CONFIRMED = "confirmed", "已重新开账"
    CANCELLED = "cancelled", "已撤回"


def reopen_error(coop_id: int, year: int) -> str | None:
    """Why ``year`` cannot be reopened now, or None."""
    close = get_year_close(coop_id, year)
    if close is None:
        return f"{year} 年度没有结账，无需重新开账"
    latest = latest_closed_year(coop_id)
    if latest is not None and latest > year:
        return (f"{latest} 年度也已结账，它结转的数字依据 {year} 年度的结账；"
                f"须先重新开账 {latest} 年度（按年度从后往前）")
    if close.distributed_fen is not None:
        return (f"{year} 年度的分配方案已经表决通过（分配 {format_yuan(close.distributed_fen)} 元），"
                "结账数字已被方案冻结，不能重新开账。如需修改方案，请先在分配方案页面“另立新版本”；"
                "已结账年度的账目更正请在未结账年度登记冲销")
    return None


def pending_request(coop_id: int, year: int) -> YearReopening | None:
    return db.session.scalar(select(YearReopening).where(
        YearReopening.cooperative_id == coop_id, YearReopening.year == year,
        YearReopening.status == ReopenStatus.PENDING))


def year_reopenings(coop_id: int, year: int) -> list[YearReopening]:
    """Every request for ``year``, newest first."""
    return list(db.session.scalars(select(YearReopening).where(
        YearReopening.cooperative_id == coop_id, YearReopening.year == year)
        .order_by(YearReopening.id.desc())))


def request_reopen(coop_id: int, year: int, user_id: int | None,
                   reason: str | None) -> YearReopening:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed({"reason": "请填写重新开账的原因"})
    if len(reason) > REASON_MAX:
        raise ValidationFailed({"reason": f"原因不能超过 {REASON_MAX} 个字"})
    if message := reopen_error(coop_id, year):
        raise ServiceError(message)
    if pending_request(coop_id, year) is not None:
        raise ServiceError(f"{year} 年度已有待监事确认的重新开账申请")
    return added(YearReopening(cooperative_id=coop_id, year=year, reason=reason,
                               status=ReopenStatus.PENDING, requested_by_id=user_id,
                               requested_at=clock.utcnow()))


def _pending(coop_id: int, year: int) -> YearReopening:
    request = pending_request(coop_id, year)
    if request is None:
        raise ServiceError(f"{year} 年度没有待确认的重新开账申请（可能已被确认或撤回）")
    return request


def confirm_reopen(coop_id: int, year: int, user_id: int | None) -> YearReopening:
    """The supervisor's confirmation: the close is removed, the request keeps
    what it was."""
    request = _pending(coop_id, year)
    if user_id is not None and user_id == request.requested_by_id:
        raise ServiceError("提出重新开账申请的人不能自己确认，须由监事确认")
    if message := reopen_error(coop_id, year):
        raise ServiceError(message)
    close = get_year_close(coop_id, year)
    request.closed_at = close.closed_at
    request.surplus_fen = close.surplus_fen
    request.carry_forward_fen = close.carry_forward_fen
    request.status = ReopenStatus.CONFIRMED
    request.decided_by_id = user_id
    request.decided_at = clock.utcnow()
    db.session.delete(close)
    db.session.flush()
    return request


def cancel_reopen(coop_id: int, year: int, user_id: int | None) -> YearReopening:
    """The request withdrawn by who asked, or not agreed by the supervisor."""
    request = _pending(coop_id, year)
    request.status = ReopenStatus.CANCELLED
    request.decided_by_id = user_id
    request.decided_at = clock.utcnow()
    db.session.flush()
    return request
