"""Membership in the demo cooperative wljs (issue 15), all of it 2025 history
so the demo tells the same story whatever day it is loaded:

- roster version 1, the roster as it stood in June 2025, filed with the
  township government;
- the first confirmation list (a newborn and a bride marrying in, her art 8
  review done by the supervisor), on public notice for 7 days and confirmed
  by the member assembly of 2025-09-10 under resolution 乌三股合〔2025〕3号;
  roster version 2 made from it and filed;
- two events still pending: a newborn, and a bride whose art 8 review is
  still to be done;
- one open dispute over a woman's membership: a villager married out whose
  group stopped her dividend, taken to the township's mediation
  (《农村集体经济组织法》第五十六条).

Runs after the register and the distributions (coop.domains): the people it
adds are not in the founding allocation or the 2024 and 2025 plans, and its
assembly meets after the demo's 2025 assembly."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from coop import clock
from coop.auth.api import Role, User
from coop.cooperatives.api import Cooperative
from coop.extensions import db
from coop.governance.api import (Body, ItemKind, ItemSpec, convene_meeting, decide_item,
                                 entitled_voters, record_tally, regime_of, sign_in_all)
from coop.idcodes import resident_id_check_char
from coop.members.api import Member, MemberKind, MemberStatus
from coop.membership import lists, rosters
from coop.membership.disputes import add_step, open_dispute
from coop.membership.events import Evidence, Person, record_gain, review_event
from coop.membership.models import MembershipEvent

ROSTER_1 = date(2025, 6, 10)
ROSTER_1_FILED = date(2025, 6, 20)
LISTED = date(2025, 8, 20)
NOTICE_START = date(2025, 8, 21)
ASSEMBLY = date(2025, 9, 10)
RESOLUTION = "乌三股合〔2025〕3号"
ROSTER_2_FILED = date(2025, 9, 25)
DISPUTE_OPENED = date(2025, 11, 12)
DISPUTE_MEDIATED = date(2025, 11, 28)
TOWNSHIP = "包头市昆都仑区卜尔汉图镇人民政府"


def _id(region: str, born: date, seq: int) -> str:
    first17 = f"{region}{born:%Y%m%d}{seq:03d}"
    return first17 + resident_id_check_char(first17)


def _user(coop: Cooperative, role: Role) -> int | None:
    return db.session.scalar(select(User.id).where(User.cooperative_id == coop.id,
                                                   User.role == role.value).order_by(User.id).limit(1))


def _villagers(coop: Cooperative) -> list[Member]:
    return list(db.session.scalars(select(Member).where(
        Member.cooperative_id == coop.id, Member.kind == MemberKind.VILLAGER.value,
        Member.status == MemberStatus.ACTIVE.value).order_by(Member.member_no)))


def _is_woman(member: Member) -> bool:
    return bool(member.id_number) and int(member.id_number[16]) % 2 == 0


def _gain(coop: Cooperative, *, reason: str, on: date, name: str, id_number: str, relative: Member,
          doc_type: str, doc_no: str, user_id: int | None) -> MembershipEvent:
    with clock.replaying(on + timedelta(days=3)):
        return record_gain(coop, reason=reason, occurs_on=on, relative_no=relative.member_no,
                           person=Person(name=name, id_number=id_number),
                           evidence=Evidence(doc_type=doc_type, doc_no=doc_no, doc_date=on),
                           user_id=user_id)


def _first_list(coop: Cooperative, villagers: list[Member], secretary: int | None,
                supervisor: int | None) -> None:
    with clock.replaying(ROSTER_1):
        first = rosters.make_first_version(coop.id, user_id=secretary)
    with clock.replaying(ROSTER_1_FILED):
        rosters.record_filing(first, filed_on=ROSTER_1_FILED, filed_with=TOWNSHIP,
                              receipt_no="卜镇农经备〔2025〕17号")
    father, groom = villagers[10], villagers[-12]
    baby = _gain(coop, reason="birth", on=date(2025, 5, 6), name=f"{father.name[0]}子涵",
                 id_number=_id("150203", date(2025, 5, 6), 121), relative=father, doc_type="出生医学证明",
                 doc_no="R150012345", user_id=secretary)
    bride = _gain(coop, reason="marriage_in", on=date(2025, 7, 18), name="刘晓琳",
                  id_number=_id("150221", date(1998, 3, 15), 242), relative=groom, doc_type="结婚证",
                  doc_no="J150203-2025-000318", user_id=secretary)
    with clock.replaying(LISTED):
        review_event(bride, "已核实刘晓琳在娘家（土默特右旗）未保留成员身份，因婚姻迁入本村，确认不损害其权益",
                     supervisor)
        lst = lists.create_list(coop.id, [baby.id, bride.id], title="2025年第1批成员身份确认名单",
                                user_id=secretary)
        lists.publish(lst, notice_start=NOTICE_START, notice_days=7)
    with clock.replaying(ASSEMBLY - timedelta(days=12)):
        meeting = convene_meeting(
            coop.id, regime=regime_of(coop).value, body=Body.ASSEMBLY.value,
            title="2025年第二次成员大会", meeting_on=ASSEMBLY, place="村委会大会议室",
            convened_by="理事会", notice_on=ASSEMBLY - timedelta(days=12), user_id=secretary,
            items=[ItemSpec(kind=ItemKind.MEMBERSHIP.value, title=lst.title, membership_list_id=lst.id)])
    with clock.replaying(ASSEMBLY):
        voters = entitled_voters(meeting).voters
        present = len(voters) * 9 // 10
        sign_in_all(meeting, [m.id for m in voters[:present]], user_id=secretary)
        record_tally(meeting.items[0], votes_for=present - 4, votes_against=1, votes_abstain=3,
                     user_id=secretary)
        decide_item(meeting.items[0], resolution_no=RESOLUTION, user_id=secretary)
    second = rosters.version_by_number(coop.id, 2)
    with clock.replaying(ROSTER_2_FILED):
        rosters.record_filing(second, filed_on=ROSTER_2_FILED, filed_with=TOWNSHIP,
                              receipt_no="卜镇农经备〔2025〕41号")


def _pending(coop: Cooperative, villagers: list[Member], secretary: int | None) -> None:
    mother, groom = villagers[40], villagers[-30]
    _gain(coop, reason="birth", on=date(2025, 11, 3), name=f"{mother.name[0]}雨桐",
          id_number=_id("150203", date(2025, 11, 3), 2), relative=mother, doc_type="出生医学证明",
          doc_no="R150019876", user_id=secretary)
    _gain(coop, reason="marriage_in", on=date(2025, 12, 6), name="苏日娜",
          id_number=_id("150222", date(1999, 7, 21), 332), relative=groom, doc_type="结婚证",
          doc_no="J150203-2025-000402", user_id=secretary)


def _dispute(villagers: list[Member], coop: Cooperative) -> None:
    woman = next((m for m in reversed(villagers) if _is_woman(m)), None)
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
    villagers = _villagers(coop)
    if len(villagers) < 50:
        return
    secretary, supervisor = _user(coop, Role.ADMIN), _user(coop, Role.SUPERVISOR)
    _first_list(coop, villagers, secretary, supervisor)
    _pending(coop, villagers, secretary)
    _dispute(villagers, coop)
