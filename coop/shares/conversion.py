"""Surplus turned into capital (盈余转增, 农民专业合作社法第四十四条第三款):
when a specialized cooperative pays a plan whose assembly turned part of the
distributable surplus into members' capital, each member's converted part
becomes a subscription of whole shares at par, citing the resolution that
approved the plan. One movement per payment; the register stays append-only
and the closed-year rule holds. Flush only; the request commits."""
from __future__ import annotations

import uuid
from datetime import date
from typing import NamedTuple, Sequence

from sqlalchemy import func, select

from coop import clock
from coop.cooperatives.api import Cooperative, ensure_date_open
from coop.errors import ServiceError
from coop.extensions import db
from coop.governance.api import find_resolution
from coop.members.api import Member, MemberKind, MemberStatus
from coop.shares.models import ShareEntry
from coop.shares.assessment import assess
from coop.shares.movements import clean_note, write_plan
from coop.shares.plans import Draft, Plan
from coop.shares.register import CLASSES
from coop.shares.rules import ContributionKind, EntryKind

FSC_ART_44 = "《农民专业合作社法》第四十四条"


class SurplusConversion(NamedTuple):
    """One member's converted part: whole shares at par."""

    member_id: int
    shares: int


def _class_of(kind: str, held: dict[str, int]) -> str:
    """The class a member's new shares go to: the one they hold most of (ties
    in the charter's order), else the class of their kind."""
    if any(held.values()):
        return max(CLASSES, key=lambda c: (held.get(c, 0), -CLASSES.index(c)))
    return "collective" if kind == MemberKind.COLLECTIVE else "villager"


def _holdings(coop_id: int, member_ids: list[int], on: date) -> dict[int, dict[str, int]]:
    held: dict[int, dict[str, int]] = {}
    total = func.sum(ShareEntry.shares)
    for start in range(0, len(member_ids), 500):
        for member_id, share_class, shares in db.session.execute(
                select(ShareEntry.member_id, ShareEntry.share_class, total)
                .where(ShareEntry.cooperative_id == coop_id, ShareEntry.effective_on <= on,
                       ShareEntry.member_id.in_(member_ids[start:start + 500]))
                .group_by(ShareEntry.member_id, ShareEntry.share_class)):
            held.setdefault(member_id, {})[share_class] = int(shares or 0)
    return held


def _members(coop_id: int, member_ids: list[int]) -> dict[int, Member]:
    found: dict[int, Member] = {}
    for start in range(0, len(member_ids), 500):
        found.update((m.id, m) for m in db.session.scalars(select(Member).where(
            Member.cooperative_id == coop_id, Member.id.in_(member_ids[start:start + 500]))))
    return found


def record_surplus_conversions(coop: Cooperative, conversions: Sequence[SurplusConversion], *,
                               effective_on: date, resolution_no: str | None, year: int,
                               recorded_by_id: int | None = None) -> list[ShareEntry]:
    """Subscribe each member's converted shares on ``effective_on`` (the
    payment day), of contribution kind 盈余转增, citing ``resolution_no`` (the
    passed resolution that approved the year's plan). Refused, with nothing
    written, for a closed date, a resolution that is not recorded as passed,
    or a member who is not (any longer) a member of the cooperative."""
    conversions = [c for c in conversions if c.shares]
    if not conversions:
        return []
    if any(c.shares < 0 for c in conversions):
        raise ServiceError("转增的股数不能为负数")
    ensure_date_open(coop.id, effective_on, field="paid_on")
    resolution = find_resolution(coop.id, resolution_no)
    if resolution is None:
        raise ServiceError(
            f"{FSC_ART_44}：盈余转为成员出资须依据成员大会已通过的决议登记股权；"
            f"{year} 年度分配方案的决议文号“{resolution_no or ''}”不是本社已记录通过的决议，"
            "不能登记转增的股份")
    ids = [c.member_id for c in conversions]
    members = _members(coop.id, ids)
    for member_id in ids:
        member = members.get(member_id)
        if member is None or member.status != MemberStatus.ACTIVE:
            who = f"{member.name}（{member.member_no}）状态为{member.status_label}" if member \
                else "有一位转增对象不是本社成员"
            raise ServiceError(f"{who}，不能登记盈余转增的股份（{FSC_ART_44}：转为本社成员的出资）；"
                               "请另立新版本分配方案，把其应分盈余改为现金发放")
    held = _holdings(coop.id, ids, effective_on)
    movement, now, par = uuid.uuid4().hex, clock.utcnow(), coop.par_value_fen
    entries = [ShareEntry(
        cooperative_id=coop.id, member_id=c.member_id,
        share_class=_class_of(members[c.member_id].kind, held.get(c.member_id, {})),
        effective_on=effective_on, shares=c.shares, entry_kind=EntryKind.SUBSCRIBE.value,
        contribution_kind=ContributionKind.SURPLUS.value, value_fen=c.shares * par,
        movement=movement, resolution_no=resolution.resolution_no,
        note=f"{year} 年度可分配盈余转为出资", recorded_by_id=recorded_by_id, recorded_at=now)
        for c in conversions]
    db.session.add_all(entries)
    db.session.flush()
    return entries


def standing_conversions(coop_id: int, member_ids: Sequence[int], *, effective_on: date,
                         resolution_no: str | None) -> list[ShareEntry]:
    """The 盈余转增 entries a payment on ``effective_on`` wrote for
    ``member_ids`` under ``resolution_no`` that no entry reverses yet."""
    if not member_ids:
        return []
    reversed_ids = select(ShareEntry.reverses_id).where(
        ShareEntry.cooperative_id == coop_id, ShareEntry.reverses_id.is_not(None))
    found: list[ShareEntry] = []
    ids = list(member_ids)
    for start in range(0, len(ids), 500):
        found += db.session.scalars(select(ShareEntry).where(
            ShareEntry.cooperative_id == coop_id, ShareEntry.member_id.in_(ids[start:start + 500]),
            ShareEntry.contribution_kind == ContributionKind.SURPLUS.value,
            ShareEntry.entry_kind == EntryKind.SUBSCRIBE.value, ShareEntry.shares > 0,
            ShareEntry.effective_on == effective_on,
            ShareEntry.resolution_no == (resolution_no or ""),
            ShareEntry.reverses_id.is_(None), ShareEntry.id.not_in(reversed_ids))
            .order_by(ShareEntry.id))
    return found


def reverse_surplus_conversions(coop: Cooperative, entries: Sequence[ShareEntry], *, reason: str,
                                recorded_by_id: int | None = None) -> list[ShareEntry]:
    """Undo the conversion of a payment that is reversed: one reversing entry
    per entry (the opposite number of shares and value, pointing at it), on the
    original's date, since the payment it came with is undone as if it had not
    been made. The register stays append-only and its rules hold: nothing is
    written when the date is closed or a holding would fall below zero on any
    date (the shares were transferred or redeemed since). Like the conversion
    itself, it answers to the assembly's resolution, not to the charter's
    class bands and holding cap: it only restores the holdings as they were."""
    if not entries:
        return []
    on = entries[0].effective_on
    plan = Plan(coop, on, [Draft(e.member_id, e.share_class, -e.shares, e.entry_kind,
                                 contribution_kind=e.contribution_kind, value_fen=-e.value_fen,
                                 reverses_id=e.id) for e in entries],
                f"冲销盈余转增（{on.isoformat()}）", {e.member_id: e.member for e in entries})
    try:
        ensure_date_open(coop.id, on, field="paid_on")
        assess(plan)
        return write_plan(plan, resolution_no=entries[0].resolution_no or "",
                          note=clean_note(f"撤销分红发放：{reason}"[:200]),
                          recorded_by_id=recorded_by_id)
    except ServiceError as exc:
        raise ServiceError(
            f"这次发放已把应分盈余登记为出资（盈余转增，{FSC_ART_44}第三款），撤销发放须同时冲销这些股权登记，"
            f"但股权登记簿不允许：{exc.message}") from None
