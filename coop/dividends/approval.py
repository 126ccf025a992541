"""A draft plan's way to approval (RCEO arts 27, 46; FSC arts 30, 40):
the supervisor's review (监事审核: signed off with a note, or returned with a
reason), its disclosure to the members from a recorded day (公开), and the
meeting's resolution. The plan is approved when governance reports that the
agenda item naming it passed (``item_decided``, coop/dividends/receivers.py):
the plan takes the meeting's date and resolution number. A draft changed
after its review needs a new review, and after disclosure a new disclosure:
the law's days count from the disclosure of what is voted on. Services only
flush; the caller commits once.
"""
from __future__ import annotations

from datetime import date

from coop import clock
from coop.audit.api import check_version
from coop.cooperatives.api import Cooperative
from coop.dividends import quantification
from coop.dividends.constants import PlanStatus
from coop.dividends.models import DividendPlan
from coop.dividends.reading import describe_field, effective_plan
from coop.errors import ServiceError, ValidationFailed
from coop.extensions import db
from coop.governance.api import AgendaItem, disclosure_wait, regime_of
from coop.machinery.api import is_year_closed, record_distribution

MAX_NOTE = 500


def _ensure_open_draft(plan: DividendPlan) -> None:
    if plan.status != PlanStatus.DRAFT:
        raise ServiceError(f"此方案{plan.status_label}，不能再审核或公开")
    if plan.is_preview:
        raise ServiceError("此草案是在年度结账前计算的预览，请先“重新计算”再送审")


def _note(field: str, text: str | None, label: str, *, required: bool) -> str:
    text = (text or "").strip()
    if required and not text:
        raise ValidationFailed({field: f"请填写{label}"})
    if len(text) > MAX_NOTE:
        raise ValidationFailed({field: f"{label}不能超过 {MAX_NOTE} 个字"})
    return text


def review_plan(plan: DividendPlan, *, note: str | None, user_id: int | None,
                expected_version: int | None = None) -> DividendPlan:
    """The supervisor signs the draft off (监事审核通过), with a note."""
    _ensure_open_draft(plan)
    check_version(plan, expected_version, describe_field)
    if plan.awaits_change:
        raise ServiceError(f"此方案已退回修改（{plan.returned_reason}），须修改（重新计算或改登记日）"
                           "后才能再审核", field="note")
    note = _note("note", note, "审核意见", required=True)
    plan.reviewed_at, plan.reviewed_by_id, plan.review_note = clock.utcnow(), user_id, note
    plan.returned_at = plan.returned_reason = None
    db.session.flush()
    return plan


def return_plan(plan: DividendPlan, *, reason: str | None, user_id: int | None,
                expected_version: int | None = None) -> DividendPlan:
    """The supervisor returns the draft with a reason: it is a draft again,
    neither reviewed nor disclosed."""
    _ensure_open_draft(plan)
    check_version(plan, expected_version, describe_field)
    reason = _note("reason", reason, "退回理由", required=True)
    reopen(plan)
    plan.returned_at, plan.returned_reason, plan.reviewed_by_id = clock.utcnow(), reason, user_id
    db.session.flush()
    return plan


def disclose_plan(plan: DividendPlan, *, disclosed_on: date | None,
                  expected_version: int | None = None) -> DividendPlan:
    """Open the reviewed draft, the year's figures and the operating report
    to the members from ``disclosed_on`` (not before today: the days count
    from when the members can read it)."""
    _ensure_open_draft(plan)
    check_version(plan, expected_version, describe_field)
    if not plan.is_reviewed:
        raise ServiceError("方案须经监事审核通过后才能向成员公开")
    if disclosed_on is None:
        raise ValidationFailed({"disclosed_on": "请填写向成员公开的日期"})
    if disclosed_on < clock.today():
        raise ValidationFailed({"disclosed_on": (
            f"公开日期不能早于今天 {clock.today():%Y-%m-%d}：成员从公开之日起才能查阅，不能补登已过去的日期")})
    plan.disclosed_on, plan.disclosed_at = disclosed_on, clock.utcnow()
    db.session.flush()
    return plan


def reopen(plan: DividendPlan) -> None:
    """The draft changed: its review and disclosure no longer hold, and a
    return has been answered (its reason is kept until the next review)."""
    plan.reviewed_at = plan.reviewed_by_id = plan.review_note = None
    plan.disclosed_on = plan.disclosed_at = None
    plan.returned_at = None


def ready_for_vote(coop: Cooperative, plan: DividendPlan) -> date:
    """The day ``plan`` was disclosed, when a meeting may vote on it; a
    ServiceError says why not."""
    if plan.status != PlanStatus.DRAFT:
        raise ServiceError(f"此方案{plan.status_label}，不能再表决")
    if plan.is_preview or not is_year_closed(coop.id, plan.year):
        raise ServiceError(f"{plan.year} 年度还没有结账或方案只是预览，请结账并重新计算后再表决")
    current = effective_plan(coop.id, plan.year)
    if current is not None and current.id != plan.supersedes_id:
        raise ServiceError(f"{plan.year} 年度已有通过的方案（第 {current.version_no} 版）；"
                           "修改须在该方案上“另立新版本”")
    if not plan.is_reviewed:
        raise ServiceError("分配方案尚未经监事审核，不能提交会议表决")
    if not plan.is_disclosed:
        raise ValidationFailed({"disclosed_on": (
            f"{disclosure_wait(regime_of(coop)).law}：收益分配方案应当在会议召开前"
            "提供成员查阅；请先在分配方案页面记录向成员公开的日期")})
    return plan.disclosed_on


def approve_by_resolution(coop: Cooperative, plan: DividendPlan, item: AgendaItem) -> DividendPlan:
    """The meeting's ``item`` passed: the plan is approved on the meeting day
    with the item's resolution number, and frozen."""
    ready_for_vote(coop, plan)
    current = effective_plan(coop.id, plan.year)
    record_distribution(coop.id, plan.year, plan.distributed_fen)
    quantification.record_on_approval(plan, current, item.decided_by_id)
    plan.assembly_date = item.meeting.meeting_on
    plan.resolution_no = item.resolution_no
    plan.resolution_item_id = item.id
    plan.votes_for, plan.votes_against, plan.votes_abstain = (
        item.votes_for, item.votes_against, item.votes_abstain)
    plan.approved_at = clock.utcnow()
    plan.status = PlanStatus.APPROVED
    if current is not None:
        current.superseded_by_id = plan.id
    db.session.flush()
    return plan
