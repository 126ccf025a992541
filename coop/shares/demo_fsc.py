"""The members' capital (出资) of hxnj, the second demo cooperative (README,
"Demo cooperative hxnj").

Par value 1 yuan. At the founding assembly of 2023-11-18 (recorded through
coop.governance under the FSC: every founder attended and voted for) the
village collective put in its tractor and plough (220,000 yuan in kind),
four farmers their machines (230,000 yuan in kind) and the 32 founding
farmers 540,000 yuan in cash; each farmer who joined in 2024 or 2025 paid
10,000 yuan in cash on the day he or she joined; in 2025 one farmer passed
3,000 shares to another. The collective holds about a fifth, every farmer
much less than the charter's cap of a quarter.

The in-kind entries link the machines of the machinery step. Deterministic:
a seeded generator.
"""
from __future__ import annotations

import random
from datetime import date

from sqlalchemy import select

from coop import clock
from coop.auth.api import Role, User
from coop.cooperatives.api import Cooperative
from coop.extensions import db
from coop.governance.api import ItemKind, record_unanimous_resolution
from coop.machinery.api import Machine
from coop.members.api import Member, MemberKind
from coop.shares import founding, movements, plans
from coop.shares.demo import _split

SEED = 20231118
FOUNDED = date(2023, 11, 18)
FOUNDERS_CASH_FEN = 540_000_00
JOINER_CASH_FEN = 10_000_00
TRANSFERRED_ON, TRANSFERRED = date(2025, 6, 10), 3_000
FOUNDING_RESOLUTION = "红星农机合作社设立大会决议〔2023〕1号"
IN_KIND_GIVERS = ("HX009", "HX010", "HX011", "HX012")  # their machines, in the machinery's order


def _machines(coop: Cooperative, source: str) -> list[Machine]:
    return list(db.session.scalars(
        select(Machine).where(Machine.cooperative_id == coop.id, Machine.source == source)
        .order_by(Machine.id)))


def load(coop: Cooperative) -> None:
    rng = random.Random(SEED)
    members = list(db.session.scalars(
        select(Member).where(Member.cooperative_id == coop.id).order_by(Member.member_no)))
    collective = next((m for m in members if m.kind == MemberKind.COLLECTIVE), None)
    farmers = [m for m in members if m.kind == MemberKind.VILLAGER]
    if collective is None or len(farmers) < len(IN_KIND_GIVERS):
        return  # the members step did not run: nothing to hold the capital
    secretary = db.session.scalar(select(User.id).where(
        User.cooperative_id == coop.id, User.role == Role.ADMIN.value).order_by(User.id))
    founders = [m for m in farmers if m.joined_on == FOUNDED]
    by_no = {m.member_no: m for m in farmers}

    rows: list[dict] = []
    for machine in _machines(coop, "collective_in_kind"):
        rows.append(dict(member_id=collective.id, share_class="collective",
                         contribution_kind="in_kind", effective_on=FOUNDED,
                         amount_fen=machine.original_value_fen, asset_name=machine.name,
                         machine_id=machine.id))
    for number, machine in zip(IN_KIND_GIVERS, _machines(coop, "member_in_kind")):
        rows.append(dict(member_id=by_no[number].id, share_class="villager",
                         contribution_kind="in_kind", effective_on=FOUNDED,
                         amount_fen=machine.original_value_fen, asset_name=machine.name,
                         machine_id=machine.id))
    cash = [m for m in founders if m.member_no not in IN_KIND_GIVERS]
    for member, value in zip(cash, _split(rng, FOUNDERS_CASH_FEN, len(cash), 1_000_00)):
        rows.append(dict(member_id=member.id, share_class="villager", contribution_kind="cash",
                         effective_on=FOUNDED, amount_fen=value))
    with clock.replaying(FOUNDED):
        record_unanimous_resolution(
            coop, meeting_on=FOUNDED, meeting_title="红星农机专业合作社设立大会",
            item_title="通过合作社章程，确认设立时成员的出资（货币和农机具作价）",
            kind=ItemKind.OTHER.value, resolution_no=FOUNDING_RESOLUTION,
            place="红星村村委会会议室", convened_by="合作社设立人", user_id=secretary)
        founding.record_founding(coop, list(enumerate(rows, start=1)),
                                 resolution_no=FOUNDING_RESOLUTION, note="合作社设立，成员首次出资",
                                 recorded_by_id=secretary)
    for member in farmers:
        if member.joined_on > FOUNDED:
            with clock.replaying(member.joined_on):
                movements.commit_plan(plans.plan_contribution(
                    coop, member_id=member.id, share_class="villager", contribution_kind="cash",
                    effective_on=member.joined_on, amount_fen=JOINER_CASH_FEN),
                    note="新入社成员出资", recorded_by_id=secretary)
    giver, taker = cash[-1], by_no["HX033"]
    with clock.replaying(TRANSFERRED_ON):
        movements.commit_plan(plans.plan_transfer(
            coop, from_member_id=giver.id, to_member_id=taker.id, share_class="villager",
            shares=TRANSFERRED, effective_on=TRANSFERRED_ON),
            note="成员之间转让出资", recorded_by_id=secretary)
