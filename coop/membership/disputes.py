"""The dispute log over membership (《农村集体经济组织法》第五十六条): one
dispute per person and claim, a member or a claimant who is not one (by
name), the steps it went through (township mediation, arbitration, a court,
each with its date and note) and its outcome.

An open dispute is shown on the member's page, in the confirmation list
(``open_disputes_by_member``) and to the member on /me/. A closed dispute is
a fact: it takes no more steps and is not reopened (a new dispute is logged).
Services only flush."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import bindparam, func, select

from coop import clock
from coop.audit.api import check_version
from coop.errors import ServiceError, ValidationFailed
from coop.extensions import db
from coop.members.api import Member
from coop.membership.constants import DisputeStage, DisputeStatus
from coop.membership.models import Dispute, DisputeStep
from coop.membership.people_rules import check_close, check_opened, check_step

CLAIMANT_MAX = 60
CLAIM_MAX = 2000

FIELD_LABELS = {"claimant": "当事人", "claim": "争议事项", "opened_on": "争议日期",
                "status": "状态", "outcome": "处理结果", "closed_on": "结案日期",
                "concerns_women": "涉及妇女成员身份"}


def describe_field(field: str, value: Any) -> tuple[str, str]:
    if field == "status":
        return FIELD_LABELS[field], DisputeStatus.label_of(value)
    if field == "concerns_women":
        return FIELD_LABELS[field], "是" if value else "否"
    return FIELD_LABELS.get(field, field), "—" if value in (None, "") else str(value)


def open_dispute(coop_id: int, *, member: Member | None, claimant: str, claim: str,
                 opened_on: date | None, concerns_women: bool = False,
                 user_id: int | None = None) -> Dispute:
    """Log a dispute over ``member``'s membership, or over that of a
    ``claimant`` who is not a member (then ``member`` is None)."""
    claimant = (claimant or "").strip() or (member.name if member is not None else "")
    claim = (claim or "").strip()
    errors = check_opened(opened_on, clock.today())
    if not claimant:
        errors["claimant"] = "请填写当事人姓名（是本社成员的，填成员编号即可）"
    elif len(claimant) > CLAIMANT_MAX:
        errors["claimant"] = f"当事人姓名不能超过 {CLAIMANT_MAX} 个字"
    if not claim:
        errors["claim"] = "请写明争议事项（当事人的主张）"
    elif len(claim) > CLAIM_MAX:
        errors["claim"] = f"争议事项不能超过 {CLAIM_MAX} 个字"
    if errors:
        raise ValidationFailed(errors)
    dispute = Dispute(cooperative_id=coop_id, member_id=member.id if member is not None else None,
                      claimant=claimant, claim=claim, opened_on=opened_on,
                      status=DisputeStatus.OPEN.value, concerns_women=bool(concerns_women),
                      recorded_by_id=user_id)
    db.session.add(dispute)
    db.session.flush()
    return dispute


def steps_of(dispute: Dispute) -> list[DisputeStep]:
    return list(db.session.scalars(select(DisputeStep).where(DisputeStep.dispute_id == dispute.id)
                                   .order_by(DisputeStep.on, DisputeStep.id)))


def _last_step_on(dispute: Dispute) -> date | None:
    return db.session.scalar(select(func.max(DisputeStep.on)).where(
        DisputeStep.dispute_id == dispute.id))


def add_step(dispute: Dispute, *, stage: str, on: date | None, note: str,
             user_id: int | None = None) -> DisputeStep:
    """A step the dispute went through: township mediation, arbitration, a court."""
    errors = check_step(on, opened_on=dispute.opened_on, today=clock.today(),
                        is_open=dispute.status == DisputeStatus.OPEN)
    if stage not in {s.value for s in DisputeStage}:
        errors["stage"] = "请选择处理途径（乡镇调解、仲裁、诉讼或其他）"
    note = (note or "").strip()
    if not note:
        errors["note"] = "请写明经过（受理机构、文书编号、结果等）"
    elif len(note) > CLAIM_MAX:
        errors["note"] = f"经过不能超过 {CLAIM_MAX} 个字"
    if errors:
        raise ValidationFailed(errors)
    step = DisputeStep(cooperative_id=dispute.cooperative_id, dispute_id=dispute.id, stage=stage,
                       on=on, note=note, recorded_by_id=user_id)
    db.session.add(step)
    db.session.flush()
    return step


def close_dispute(dispute: Dispute, *, outcome: str, closed_on: date | None,
                  user_id: int | None = None, expected_version: int | None = None) -> Dispute:
    """The dispute's outcome and the day it ended; closed, it is final."""
    check_version(dispute, expected_version, describe_field)
    outcome = (outcome or "").strip()
    errors = check_close(closed_on, outcome, opened_on=dispute.opened_on,
                         last_step_on=_last_step_on(dispute), today=clock.today(),
                         is_open=dispute.status == DisputeStatus.OPEN)
    if not errors and len(outcome) > CLAIM_MAX:
        errors["outcome"] = f"处理结果不能超过 {CLAIM_MAX} 个字"
    if errors:
        raise ValidationFailed(errors)
    dispute.outcome = outcome
    dispute.closed_on = closed_on
    dispute.status = DisputeStatus.CLOSED.value
    db.session.flush()
    return dispute


# -- reading ---------------------------------------------------------------------------


@dataclass(frozen=True)
class OpenDispute:
    """An open dispute as another page shows it beside a person."""

    dispute_id: int
    claimant: str
    claim: str
    opened_on: date
    concerns_women: bool
    last_stage: str  # the label of the latest step, "" before any

    @property
    def summary(self) -> str:
        stage = f"，{self.last_stage}" if self.last_stage else ""
        return f"{self.opened_on:%Y-%m-%d} 起有成员身份争议（{self.claim[:40]}{stage}）"


def _latest_stages(dispute_ids: list[int]) -> dict[int, str]:
    if not dispute_ids:
        return {}
    rows = db.session.execute(select(DisputeStep.dispute_id, DisputeStep.stage)
                              .where(DisputeStep.dispute_id.in_(dispute_ids))
                              .order_by(DisputeStep.on, DisputeStep.id))
    return {dispute_id: DisputeStage.label_of(stage) for dispute_id, stage in rows}


# the open disputes of a cooperative (``coop_id``), oldest first; built once:
# a member's own pages and the member page read a member's on every view
_OPEN = (select(Dispute).where(Dispute.cooperative_id == bindparam("coop_id"),
                               Dispute.status == DisputeStatus.OPEN.value)
         .order_by(Dispute.opened_on, Dispute.id))
_OPEN_OF_MEMBERS = _OPEN.where(Dispute.member_id.is_not(None))
_OPEN_OF_MEMBER = _OPEN.where(Dispute.member_id == bindparam("member_id"))
_ALL_OF_MEMBER = (select(Dispute).where(
    Dispute.cooperative_id == bindparam("coop_id"), Dispute.member_id == bindparam("member_id"))
    .order_by(Dispute.opened_on.desc(), Dispute.id.desc()))


def _open_rows(statement: Any, values: dict) -> list[tuple[int | None, OpenDispute]]:
    return _as_open_rows(list(db.session.scalars(statement, values)))


def _as_open_rows(disputes: list[Dispute]) -> list[tuple[int | None, OpenDispute]]:
    """(member id, row) of open ``disputes``, in their order, with their latest stage."""
    stages = _latest_stages([d.id for d in disputes])
    return [(d.member_id, OpenDispute(d.id, d.claimant, d.claim, d.opened_on, d.concerns_women,
                                      stages.get(d.id, ""))) for d in disputes]


def open_disputes_by_member(coop_id: int) -> dict[int, list[OpenDispute]]:
    """The open disputes of the cooperative by the member they concern
    (disputes of claimants who are not members are not in it)."""
    out: dict[int, list[OpenDispute]] = {}
    for member_id, row in _open_rows(_OPEN_OF_MEMBERS, {"coop_id": coop_id}):
        out.setdefault(member_id, []).append(row)
    return out


def open_disputes_of(member: Member) -> list[OpenDispute]:
    """``member``'s open disputes, oldest first."""
    return [row for _, row in _open_rows(_OPEN_OF_MEMBER, {"coop_id": member.cooperative_id,
                                                            "member_id": member.id})]


def open_of(disputes: list[Dispute]) -> list[OpenDispute]:
    """The open ones of a member's ``disputes`` (``disputes_of``), oldest
    first, as ``open_disputes_of`` gives them."""
    still_open = sorted((d for d in disputes if d.status == DisputeStatus.OPEN.value),
                        key=lambda d: (d.opened_on, d.id))
    return [row for _, row in _as_open_rows(still_open)]


def disputes_of(member: Member) -> list[Dispute]:
    """Every dispute over ``member``'s membership, latest first."""
    return list(db.session.scalars(_ALL_OF_MEMBER, {"coop_id": member.cooperative_id,
                                                    "member_id": member.id}))


def dispute_list(coop_id: int, status: str = "") -> list[Dispute]:
    """The cooperative's disputes, open first, then latest first."""
    query = select(Dispute).where(Dispute.cooperative_id == coop_id)
    if status in {s.value for s in DisputeStatus}:
        query = query.where(Dispute.status == status)
    return list(db.session.scalars(query.order_by(
        (Dispute.status == DisputeStatus.OPEN.value).desc(), Dispute.opened_on.desc(), Dispute.id.desc())))


def open_count(coop_id: int) -> int:
    return db.session.scalar(select(func.count()).select_from(Dispute).where(
        Dispute.cooperative_id == coop_id, Dispute.status == DisputeStatus.OPEN.value)) or 0


def ensure_not_closed(dispute: Dispute) -> None:
    if dispute.status != DisputeStatus.OPEN:
        raise ServiceError("争议已经结案")
