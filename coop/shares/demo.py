"""The share register of wljs, exactly as the README's demo paragraph states it.

1,000,000 shares at 1 yuan: collective 650,000 (machinery in kind), villagers
310,000 (180,000 cash + 130,000 machinery in kind), cadres 40,000 cash; so
65.00 % / 31.00 % / 4.00 %, cash 220,000 and machinery 780,000. Subscriptions
are dated 2023: the founding batch on the founding day (the collective, the
cadres and the 31 party-member households; recorded under the founding
assembly's resolution, as that day alone is outside the charter's bands: the
assembly is recorded through coop.governance, a meeting on the founding day
that every one entitled attended and carried), then the households that
joined in spring, one entry each; a few transfers and one inheritance in
2024-2025 move shares inside their classes, so the ratios stay as they are.

The in-kind entries link the machines of the machinery demo step when it has
run (collective_in_kind and member_in_kind machines); without it they name the
machinery in words. Deterministic: a seeded generator.
"""
from __future__ import annotations

import random
from datetime import date
from typing import Callable

from sqlalchemy import select

from coop import clock
from coop.auth.api import Role, User
from coop.cooperatives.api import Cooperative
from coop.extensions import db
from coop.governance.api import ItemKind, record_unanimous_resolution
from coop.idcodes import resident_id_check_char
from coop.machinery.api import Machine
from coop.members.api import Member, change_status
from coop.shares import founding, movements, plans, register

SEED = 20230315
FOUNDED = date(2023, 3, 15)
COLLECTIVE_FEN = 650_000_00
VILLAGER_CASH_FEN = 180_000_00
VILLAGER_KIND_FEN = 130_000_00
TRANSFER_1, TRANSFER_2, TRANSFER_3 = date(2024, 4, 10), date(2024, 9, 2), date(2025, 3, 20)
DIED, INHERITED = date(2025, 2, 8), date(2025, 6, 16)
FOUNDING_RESOLUTION = "乌兰计三村股份经济合作社成立大会决议〔2023〕1号"
CADRE_FEN = (10_000_00, 8_000_00, 6_000_00, 6_000_00, 6_000_00, 4_000_00)  # 40,000 yuan


def _machines(coop: Cooperative, source: str) -> list:
    return list(db.session.scalars(
        select(Machine).where(Machine.cooperative_id == coop.id, Machine.source == source)
        .order_by(Machine.id)))


def _in_kind(coop: Cooperative, source: str, total_fen: int,
             fallback: list[tuple[str, int]]) -> list[tuple[str, int, int | None]]:
    """(asset name, value, machine id) adding up to ``total_fen``."""
    machines = _machines(coop, source)
    if machines and sum(m.original_value_fen for m in machines) == total_fen:
        return [(m.name, m.original_value_fen, m.id) for m in machines]
    return [(name, value, None) for name, value in fallback]


def _split(rng: random.Random, total: int, n: int, step: int) -> list[int]:
    """``n`` positive multiples of ``step`` adding up to ``total`` (itself a multiple)."""
    units = total // step
    weights = [rng.randint(5, 30) for _ in range(n)]
    parts = [max(1, units * w // sum(weights)) for w in weights]
    parts[-1] += units - sum(parts)
    i = 0
    while parts[-1] < 1:  # keep every part positive
        if parts[i] > 1:
            parts[i] -= 1
            parts[-1] += 1
        i = (i + 1) % (n - 1)
    return [p * step for p in parts]


def load(coop: Cooperative) -> None:
    rng = random.Random(SEED)
    members = list(db.session.scalars(
        select(Member).where(Member.cooperative_id == coop.id).order_by(Member.member_no)))
    collective = next((m for m in members if m.kind == "collective"), None)
    cadres = [m for m in members if m.kind == "cadre"]
    villagers = [m for m in members if m.kind == "villager"]
    if collective is None or not cadres or len(villagers) < 10:
        return  # the members step did not run: nothing to hold the shares
    secretary = db.session.scalar(select(User.id).where(
        User.cooperative_id == coop.id, User.role == Role.ADMIN.value).order_by(User.id))

    def book(on: date, make_plan: Callable[[], plans.Plan], note: str = "") -> list:
        """Record the plan ``make_plan`` makes, on the day ``on`` it happened."""
        with clock.replaying(on):
            return movements.commit_plan(make_plan(), note=note, recorded_by_id=secretary)

    # -- 2023: the founding batch, then the households that joined later ----------
    founding_rows: list[dict] = []
    collective_kind = _in_kind(coop, "collective_in_kind", COLLECTIVE_FEN,
                               [("村集体农机具一批（评估作价）", COLLECTIVE_FEN)])
    for name, value, machine_id in collective_kind:
        founding_rows.append(dict(
            member_id=collective.id, share_class="collective", contribution_kind="in_kind",
            effective_on=FOUNDED, amount_fen=value, asset_name=name, machine_id=machine_id))
    cadre_amounts = CADRE_FEN if len(cadres) == len(CADRE_FEN) else _split(
        rng, sum(CADRE_FEN), len(cadres), 100_00)  # another roster: still 40,000 in all
    for cadre, value in zip(cadres, cadre_amounts):
        founding_rows.append(dict(
            member_id=cadre.id, share_class="cadre", contribution_kind="cash",
            effective_on=FOUNDED, amount_fen=value))

    party_households = {m.household_no for m in members if m.is_party_member}
    # one buyer per party household (a villager of it, else its cadre already holds),
    # then some heads of the other households
    first_buyers: list[Member] = []
    for household in sorted(party_households):
        people = [m for m in villagers if m.household_no == household]
        party_people = [m for m in people if m.is_party_member] or people
        if party_people:
            first_buyers.append(party_people[0])
    others: dict[str, Member] = {}
    for m in villagers:
        if m.household_no not in party_households and m.household_no not in others:
            others[m.household_no] = m
    later_buyers = rng.sample(sorted(others.values(), key=lambda m: m.member_no),
                              k=min(60, len(others)))
    later_buyers.sort(key=lambda m: (m.joined_on or FOUNDED, m.member_no))

    kind_assets = _in_kind(coop, "member_in_kind", VILLAGER_KIND_FEN,
                           [("东方红中型拖拉机", 78_000_00), ("旋耕机", 22_000_00),
                            ("植保无人机", 30_000_00)])
    kind_givers = first_buyers[:len(kind_assets)]
    for member, (name, value, machine_id) in zip(kind_givers, kind_assets):
        founding_rows.append(dict(
            member_id=member.id, share_class="villager", contribution_kind="in_kind",
            effective_on=FOUNDED, amount_fen=value, asset_name=name, machine_id=machine_id))

    cash_buyers = first_buyers + later_buyers
    amounts = _split(rng, VILLAGER_CASH_FEN, len(cash_buyers), 100_00)
    later = []
    for member, value in zip(cash_buyers, amounts):
        values = dict(member_id=member.id, share_class="villager", contribution_kind="cash",
                      effective_on=FOUNDED, amount_fen=value)
        if member in first_buyers:
            founding_rows.append(values)
        else:
            later.append(dict(values, effective_on=max(member.joined_on or FOUNDED, FOUNDED)))
    # the founding day alone is out of the bands (collective 74.23 %, villagers
    # 21.21 %) until the households joining in spring buy in: the founding
    # assembly's resolution allows it
    with clock.replaying(FOUNDED):
        record_unanimous_resolution(
            coop, meeting_on=FOUNDED, meeting_title="合作社成立大会",
            item_title="首批入股：成立之日的股权结构暂超出章程比例区间，春季入社农户入股后恢复",
            kind=ItemKind.OTHER.value, resolution_no=FOUNDING_RESOLUTION,
            place="村委会会议室", convened_by="村股份经济合作社筹备组", user_id=secretary)
        founding.record_founding(coop, list(enumerate(founding_rows, start=1)),
                                 resolution_no=FOUNDING_RESOLUTION, note="合作社成立，首批入股",
                                 recorded_by_id=secretary)
    for values in later:
        book(values["effective_on"], lambda v=values: plans.plan_contribution(coop, **v))

    # -- 2024-2025: movements inside the classes (the ratios stay 65/31/4) -------
    holders = [m for m in later_buyers if register.member_total_shares(m.id) >= 1_000]
    giver, taker = holders[0], holders[1]
    book(TRANSFER_1, lambda: plans.plan_transfer(
        coop, from_member_id=giver.id, to_member_id=taker.id, share_class="villager",
        shares=500, effective_on=TRANSFER_1), note="亲属间转让")
    book(TRANSFER_2, lambda: plans.plan_transfer(
        coop, from_member_id=cadres[2].id, to_member_id=cadres[5].id, share_class="cadre",
        shares=2_000, effective_on=TRANSFER_2))
    book(TRANSFER_3, lambda: plans.plan_transfer(
        coop, from_member_id=first_buyers[-1].id, to_member_id=holders[2].id,
        share_class="villager", shares=300, effective_on=TRANSFER_3))
    _inheritance(coop, holders[3], book)


def _inheritance(coop: Cooperative, deceased: Member, book) -> None:
    """A holder died in 2025; his son, not yet a member, inherits and joins."""
    with clock.replaying(DIED):
        change_status(deceased, "deceased", DIED)
    first17 = f"150203{1988:04d}0612{37:03d}"
    heir = {
        "member_no": "CY9001", "name": deceased.name[0] + "继业", "kind": "villager",
        "household_no": deceased.household_no, "village_group": deceased.village_group,
        "id_number": first17 + resident_id_check_char(first17), "phone": "",
    }
    book(INHERITED, lambda: plans.plan_inheritance(
        coop, deceased_id=deceased.id, new_heir=heir, effective_on=INHERITED), note="依法继承")
