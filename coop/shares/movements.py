"""Recording movements: a plan, once assessed, is written as one movement
of entries (flush only; the request commits). Nothing is written when a rule
refuses; a band or cap message needs a resolution number."""
from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from coop import clock
from coop.cooperatives.api import Cooperative, ensure_date_open
from coop.errors import ServiceError, ValidationFailed
from coop.extensions import db
from coop.members.api import Member, create_member
from coop.shares.assessment import Assessment, assess
from coop.shares.citing import clean_resolution
from coop.shares.models import ShareEntry
from coop.shares.plans import (
    Plan,
    plan_contribution,
    plan_inheritance,
    plan_redemption,
    plan_reversal,
    plan_transfer,
)
from coop.shares.rules import EntryKind

RESOLUTION_HINT = ("否则须经成员（代表）大会决议同意突破章程的规定：请在“决议文号”中选择该决议后再保存"
                   "（还没有决议的，先在“会议”中召开大会表决）。")
FOUNDING_CHARTER_HINT = ("设立时的股权结构以设立大会通过的章程为准：请核对各行的股数；章程中的股份类别区间或"
                         "单一成员持股上限与设立大会通过的不一致的，先在“章程”页面改正后再登记"
                         "（设立大会另有决议同意的，在“决议文号”中选择该决议）。")
FOUNDING_HINT = ("股权登记簿还没有股份：新设立合作社的首批入股请在“设立登记”页面一次登记"
                 "（或导入表格），按全部登记完成后的股权结构检查。")


def clean_note(note: str | None) -> str:
    text = (note or "").strip()
    if len(text) > 200:
        raise ValidationFailed({"note": "备注不能超过 200 个字"})
    return text


def resolution_refusal(assessment: Assessment) -> ServiceError:
    """The refusal of an assessment whose band or cap messages need a resolution.
    A founding batch comes before any meeting of the members it founds: its
    bands and cap are the founding charter's, mended on the charter page."""
    if assessment.founding:
        return ServiceError("；".join(assessment.needs_resolution) + "。" + FOUNDING_CHARTER_HINT,
                            field="resolution_no")
    hint = FOUNDING_HINT if assessment.total_before == 0 else ""
    return ServiceError("；".join(assessment.needs_resolution) + "。" + hint + RESOLUTION_HINT,
                        field="resolution_no")


def commit_plan(plan: Plan, *, resolution_no: str = "", note: str = "",
                recorded_by_id: int | None = None) -> list[ShareEntry]:
    """Assess the plan and write its entries; nothing is written when a rule refuses."""
    ensure_date_open(plan.coop.id, plan.effective_on, field="effective_on")
    resolution_no = clean_resolution(plan.coop.id, resolution_no)
    note = clean_note(note)
    assessment = assess(plan)
    if assessment.needs_resolution and not resolution_no:
        raise resolution_refusal(assessment)
    return write_plan(plan, resolution_no=resolution_no, note=note,
                      recorded_by_id=recorded_by_id)


def write_plan(plan: Plan, *, resolution_no: str, note: str,
               recorded_by_id: int | None) -> list[ShareEntry]:
    """Write an assessed plan's entries as one movement (no rule is checked here)."""
    heir_id = None
    if plan.new_heir is not None:
        heir_id = _create_heir(plan).id
    movement = uuid.uuid4().hex
    now = clock.utcnow()
    entries = []
    for d in plan.drafts:
        entry = ShareEntry(
            cooperative_id=plan.coop.id,
            member_id=d.member_id if d.member_id is not None else heir_id,
            share_class=d.share_class, effective_on=plan.effective_on, shares=d.shares,
            entry_kind=d.entry_kind, contribution_kind=d.contribution_kind,
            value_fen=d.value_fen, land_mu=d.land_mu, unit_price_fen=d.unit_price_fen,
            labour_days=d.labour_days, asset_name=d.asset_name, machine_id=d.machine_id,
            counterparty_id=d.counterparty_id if d.counterparty_id is not None
            else (heir_id if d.entry_kind == EntryKind.INHERIT_OUT else None),
            movement=movement, resolution_no=resolution_no, note=note,
            reverses_id=d.reverses_id, recorded_by_id=recorded_by_id, recorded_at=now,
        )
        db.session.add(entry)
        entries.append(entry)
    db.session.flush()
    return entries


def _create_heir(plan: Plan) -> Member:
    values = dict(plan.new_heir or {})
    try:
        return create_member(plan.coop, **values)
    except ValidationFailed as exc:  # checked in the plan; only a race gets here
        raise ValidationFailed({f"heir_{k}": v for k, v in exc.errors.items()}) from None


def record_contribution(coop: Cooperative, *, resolution_no: str = "", note: str = "",
                        recorded_by_id: int | None = None, **values: Any) -> ShareEntry:
    plan = plan_contribution(coop, **values)
    return commit_plan(plan, resolution_no=resolution_no, note=note,
                       recorded_by_id=recorded_by_id)[0]


def record_transfer(coop: Cooperative, *, resolution_no: str = "", note: str = "",
                    recorded_by_id: int | None = None, **values: Any) -> list[ShareEntry]:
    return commit_plan(plan_transfer(coop, **values), resolution_no=resolution_no, note=note,
                       recorded_by_id=recorded_by_id)


def record_redemption(coop: Cooperative, *, resolution_no: str = "", note: str = "",
                      recorded_by_id: int | None = None, **values: Any) -> ShareEntry:
    return commit_plan(plan_redemption(coop, **values), resolution_no=resolution_no,
                       note=note, recorded_by_id=recorded_by_id)[0]


def record_inheritance(coop: Cooperative, *, resolution_no: str = "", note: str = "",
                       recorded_by_id: int | None = None, **values: Any) -> list[ShareEntry]:
    return commit_plan(plan_inheritance(coop, **values), resolution_no=resolution_no,
                       note=note, recorded_by_id=recorded_by_id)


def reverse_entry(coop: Cooperative, entry_id: int, *, effective_on: date | None,
                  resolution_no: str = "", note: str = "",
                  recorded_by_id: int | None = None) -> list[ShareEntry]:
    return commit_plan(plan_reversal(coop, entry_id=entry_id, effective_on=effective_on),
                       resolution_no=resolution_no, note=note, recorded_by_id=recorded_by_id)


