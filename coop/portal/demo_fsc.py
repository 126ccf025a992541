"""A member's login for hxnj, the second demo cooperative: HX004, a founder
whose land the cooperative farms whole every year, so that the members'
pages show capital, transactions and the patronage return (README names it)."""
from __future__ import annotations

from sqlalchemy import select

from coop.auth.api import set_published_password
from coop.config import DEMO_PASSWORD
from coop.cooperatives.api import Cooperative
from coop.extensions import db
from coop.members.api import Member
from coop.portal.services import issue_member_login

MEMBER_NO = "HX004"


def demo_member(coop: Cooperative) -> Member | None:
    return db.session.scalar(select(Member).where(Member.cooperative_id == coop.id,
                                                  Member.member_no == MEMBER_NO))


def load(coop: Cooperative) -> None:
    member = demo_member(coop)
    if member is None:
        return
    set_published_password(issue_member_login(coop, member).user, DEMO_PASSWORD)
