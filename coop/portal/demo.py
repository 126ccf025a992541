"""A member's login for the demo cooperative: the first villager (by member
number) who holds shares, with the demo password, so that the members' pages
can be tried at once (README names it)."""
from __future__ import annotations

from sqlalchemy import func, select

from coop.auth.api import set_published_password
from coop.config import DEMO_PASSWORD
from coop.cooperatives.api import Cooperative
from coop.extensions import db
from coop.members.api import Member, MemberKind
from coop.portal.services import issue_member_login
from coop.shares.api import ShareEntry


def demo_member(coop: Cooperative) -> Member | None:
    return db.session.scalar(
        select(Member).join(ShareEntry, ShareEntry.member_id == Member.id)
        .where(Member.cooperative_id == coop.id, Member.kind == MemberKind.VILLAGER)
        .group_by(Member.id).having(func.sum(ShareEntry.shares) > 0)
        .order_by(Member.member_no).limit(1))


def load(coop: Cooperative) -> None:
    member = demo_member(coop)
    if member is None:
        return
    set_published_password(issue_member_login(coop, member).user, DEMO_PASSWORD)
