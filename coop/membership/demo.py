"""Membership in the demo cooperative wljs (issue 15), all of it 2025 history
so the demo tells the same story whatever day it is loaded:

- one open dispute over a woman's membership: a villager married out whose
  group stopped her dividend, taken to the township's mediation
  (《农村集体经济组织法》第五十六条).

Runs after the register and the distributions (coop.domains): the people it
adds are not in the founding allocation or the 2024 and 2025 plans."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from coop import clock
from coop.cooperatives.api import Cooperative
from coop.extensions import db
from coop.members.api import Member, MemberKind, MemberStatus
from coop.membership.disputes import add_step, open_dispute

DISPUTE_OPENED = date(2025, 11, 12)
DISPUTE_MEDIATED = date(2025, 11, 28)


def _married_out_woman(coop: Cooperative) -> Member | None:
    """The last active villager (by member number) whose resident ID says she is a woman."""
    villagers = db.session.scalars(select(Member).where(
        Member.cooperative_id == coop.id, Member.kind == MemberKind.VILLAGER.value,
        Member.status == MemberStatus.ACTIVE.value).order_by(Member.member_no.desc()))
    return next((m for m in villagers if m.id_number and int(m.id_number[16]) % 2 == 0), None)


def _dispute(coop: Cooperative) -> None:
    woman = _married_out_woman(coop)
    if woman is None:
        return
    with clock.replaying(DISPUTE_OPENED):
        dispute = open_dispute(
            coop.id, member=woman, claimant="", opened_on=DISPUTE_OPENED, concerns_women=True,
            claim="2025 年出嫁到邻村，户口仍在本村，未在婆家取得成员身份；村民小组以出嫁为由停发其分红，"
                  "要求确认其成员身份并补发")
    with clock.replaying(DISPUTE_MEDIATED):
        add_step(dispute, stage="mediation", on=DISPUTE_MEDIATED,
                 note="卜尔汉图镇人民政府组织调解，村民小组坚持停发，未达成协议；镇政府告知可申请仲裁")


def load(coop: Cooperative) -> None:
    _dispute(coop)
