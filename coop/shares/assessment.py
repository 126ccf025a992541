"""Assessing a plan against the register before it is written (or previewed):
no holding or contributed land below zero on any date (a hard refusal); the
charter's class bands and the single-holding cap (soft: a resolution of the
members' assembly may allow them), on the entry's date and on the
register's latest date."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from coop.cooperatives.api import ShareClass
from coop.errors import ServiceError
from coop.extensions import db
from coop.members.api import Member, MemberKind
from coop.money import format_mu
from coop.shares.land import land_below_zero
from coop.shares.plans import Plan
from coop.shares.register import (
    CLASSES,
    class_totals,
    latest_date,
    member_class_deltas_from,
    member_holdings,
    top_holder,
)
from coop.shares.rules import (
    band_errors,
    cap_error,
    cap_hint,
    entry_order_hint,
    first_negative,
    ratio_bp,
)
from coop.shares.structure import charter_bands


@dataclass
class ClassImpact:
    share_class: str
    label: str
    before: int
    after: int
    before_bp: int | None
    after_bp: int | None
    target_bp: int
    min_bp: int
    max_bp: int

    @property
    def in_band(self) -> bool:
        return self.after_bp is None or self.min_bp <= self.after_bp <= self.max_bp

    @property
    def change(self) -> int:
        return self.after - self.before


@dataclass
class MemberImpact:
    member_id: int | None
    member_no: str
    name: str
    before: dict[str, int]
    after: dict[str, int]
    after_bp: int | None

    @property
    def before_total(self) -> int:
        return sum(self.before.values())

    @property
    def after_total(self) -> int:
        return sum(self.after.values())


@dataclass
class Assessment:
    plan: Plan
    classes: list[ClassImpact]
    members: list[MemberImpact]
    total_before: int
    total_after: int
    needs_resolution: list[str]  # band and cap messages a resolution may override
    later_entries: bool  # entries dated after this one exist
    founding: bool = False  # a founding batch, checked on its end state


def _deltas(plan: Plan) -> tuple[dict[str, int], dict[int | None, dict[str, int]]]:
    by_class = {sc: 0 for sc in CLASSES}
    by_member: dict[int | None, dict[str, int]] = {}
    for d in plan.drafts:
        by_class[d.share_class] += d.shares
        by_member.setdefault(d.member_id, {sc: 0 for sc in CLASSES})[d.share_class] += d.shares
    return by_class, by_member


def _member_label(plan: Plan, member_id: int | None) -> tuple[str, str, str]:
    """(member_no, name, kind) of a member of the plan, or of the heir to be created."""
    m = plan.members.get(member_id)
    if member_id is None:
        info = m or {}
        return (info.get("member_no") or "", (info.get("name") or "").strip() or "继承人",
                info.get("kind") or MemberKind.VILLAGER)
    if m is None:
        m = db.session.get(Member, member_id)
    return m.member_no, m.name, m.kind


def assess(plan: Plan) -> Assessment:
    """What the plan does to the register; raises ServiceError for a hard refusal.

    Hard: a holding below zero, on the date or on any later date. Soft (a
    charter resolution may allow them): a class taken out of its band, or
    further out; a member other than the collective entity taken over the cap.
    Both are checked on the entry's date and on the register's latest date.
    """
    coop, on = plan.coop, plan.effective_on
    class_delta, member_delta = _deltas(plan)

    # no holding below zero, now or later
    for member_id, per_class in member_delta.items():
        if member_id is None:
            continue
        for sc, delta in per_class.items():
            if delta >= 0:
                continue
            opening, later = member_class_deltas_from(member_id, sc, on)
            merged: dict[date, int] = dict(later)
            merged[on] = merged.get(on, 0) + delta
            bad = first_negative(opening, sorted(merged.items()))
            if bad is not None:
                _, name, _ = _member_label(plan, member_id)
                label = ShareClass(sc).label
                held_then = opening + dict(later).get(on, 0)
                if bad[0] == on:
                    raise ServiceError(
                        f"{name}在 {on.isoformat()} 持有{label} {held_then:,} 股，"
                        f"不足 {-delta:,} 股；持股不能小于零", field="shares")
                raise ServiceError(
                    f"{name}在 {on.isoformat()} 之后还有登记：按此登记，其{label}在 "
                    f"{bad[0].isoformat()} 将变为 {bad[1]:,} 股；持股不能小于零",
                    field="shares")

    # no land below zero either: the land a redemption or transfer takes is
    # worked out on its date; an entry back-dated before later ones can't
    # take land that a later entry already moved
    for d in plan.drafts:
        if d.member_id is None or not d.land_mu or d.land_mu > 0:
            continue
        bad = land_below_zero(d.member_id, d.share_class, on, d.land_mu)
        if bad is not None:
            _, name, _ = _member_label(plan, d.member_id)
            raise ServiceError(
                f"{name}在 {on.isoformat()} 之后还有涉及入股土地的登记：按此登记，其"
                f"{ShareClass(d.share_class).label}所附入股土地在 "
                f"{bad[0].isoformat()} 将变为 {format_mu(bad[1])} 亩；入股土地不能小于零，"
                "请按时间顺序登记", field="effective_on")

    bands = charter_bands(coop)
    latest = latest_date(coop.id)
    check_dates = [on] + ([latest] if latest and latest > on else [])
    needs_resolution: list[str] = []
    first_before = first_after = None
    for when in check_dates:
        before = class_totals(coop.id, when)
        after = {sc: before[sc] + class_delta[sc] for sc in CLASSES}
        if first_before is None:
            first_before, first_after = before, after
        band_messages = band_errors(before, after, bands, when if when != on else None)
        if band_messages and (hint := entry_order_hint(before, after, bands)):
            band_messages.append(hint)
        for msg in band_messages:
            if msg not in needs_resolution:
                needs_resolution.append(msg)
        total_before, total_after = sum(before.values()), sum(after.values())
        # every member of the plan whose part of all shares grows, and when
        # the total shrinks, everyone else's part grows: the largest of them
        # is over the cap if anyone is
        held = {m: sum(member_holdings(m, when).values()) if m is not None else 0
                for m in member_delta}
        over = [(m, held[m], held[m] + sum(member_delta[m].values())) for m in member_delta]
        if total_after < total_before:
            top = top_holder(coop.id, when, [m for m in member_delta if m is not None])
            if top is not None:
                over.append((top[0], top[1], top[1]))
        for member_id, held_before, held_after in over:
            _, name, kind = _member_label(plan, member_id)
            if kind == MemberKind.COLLECTIVE:
                continue
            msg = cap_error(name, held_before, total_before, held_after, total_after,
                            coop.member_cap_bp)
            if msg and total_before > 0:
                msg += "；" + cap_hint(held_after, total_after, coop.member_cap_bp)
            if msg and msg not in needs_resolution:
                needs_resolution.append(msg)

    total_before, total_after = sum(first_before.values()), sum(first_after.values())
    classes = []
    for band in bands:
        sc = band.share_class.value
        classes.append(ClassImpact(
            sc, band.share_class.label, first_before[sc], first_after[sc],
            ratio_bp(first_before[sc], total_before), ratio_bp(first_after[sc], total_after),
            band.target_bp, band.min_bp, band.max_bp))
    members = []
    for member_id, per_class in member_delta.items():
        no, name, _ = _member_label(plan, member_id)
        before = member_holdings(member_id, on) if member_id else {sc: 0 for sc in CLASSES}
        after = {sc: before[sc] + per_class[sc] for sc in CLASSES}
        members.append(MemberImpact(member_id, no, name, before, after,
                                    ratio_bp(sum(after.values()), total_after)))
    return Assessment(plan, classes, members, total_before, total_after, needs_resolution,
                      later_entries=bool(latest and latest > on))


