"""Members' logins issued in bulk, and the password slips printed for them.

The secretary opens a login for every member who has none (or for the members
of one household); each gets the member number as username and a one-time
password that must be changed at the first login. The passwords are shown
once, on the slips: eight to an A4 page, each with the member's name and
number, the cooperative's code (typed on the login page), the username, the
password, and the address people type with its QR code (which opens the
login page with the code filled in). The address is the setting ``COOP_PUBLIC_URL``, never the address the
secretary's own browser used (which is often 127.0.0.1 on the village
computer); without the setting the slips say to set it and carry no address.

One round opens at most ``LOGINS_PER_ROUND`` logins: each password is hashed
with scrypt (about 0.15 s of CPU), and a round with its slips must end well
inside the request's time limit (gunicorn's 120 s), even on an old office PC.
A village of 1,000 members is opened in five rounds, 25 A4 pages each.
"""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from sqlalchemy import func, select

from coop.auth.api import PASSWORD_MIN_LENGTH, User
from coop.cooperatives.api import Cooperative
from coop.errors import ServiceError
from coop.extensions import db
from coop.members.api import Member, MemberKind, MemberStatus
from coop.portal.services import IssuedMemberLogin, issue_member_login
from coop.publicurl import missing_url_message, public_url, qr_data_uri

SLIPS_PER_PAGE = 8
LOGINS_PER_ROUND = 200
SLIPS_NEED = "密码条才能印上登录网址和二维码"

def slip_rule(coop: Cooperative) -> str:
    return (f"首次登录后必须修改密码（至少 {PASSWORD_MIN_LENGTH} 位）。密码请自己保管，不要告诉别人；"
            f"忘记密码请找{coop.office_holder}重置。")


@dataclass(frozen=True)
class Slip:
    name: str
    member_no: str
    username: str
    password: str


@dataclass(frozen=True)
class SlipSheet:
    """Everything the slips page and its PDF show."""

    coop_name: str
    slips: list[Slip]
    url: str | None
    qr: str | None

    @property
    def pages(self) -> list[list[Slip]]:
        """The slips, eight to an A4 page."""
        return [self.slips[i:i + SLIPS_PER_PAGE]
                for i in range(0, len(self.slips), SLIPS_PER_PAGE)]

    rule: str = ""
    remaining: int = 0  # members still without a login after this round
    coop_code: str = ""  # typed on the login page (合作社或辖区代码)

    @property
    def missing_url(self) -> str:
        return "" if self.url else missing_url_message(SLIPS_NEED)


@dataclass(frozen=True)
class Waiting:
    """How many active members have no login, and what one round opens."""

    count: int
    per_round: int

    @property
    def batched(self) -> bool:
        return self.count > self.per_round

    @property
    def sheets_per_round(self) -> int:
        """A4 pages of slips one round prints."""
        return -(-self.per_round // SLIPS_PER_PAGE)


@dataclass(frozen=True)
class IssuedRound:
    issued: list[IssuedMemberLogin]
    remaining: int


def slip_sheet(coop: Cooperative, issued: list[IssuedMemberLogin], remaining: int = 0) -> SlipSheet:
    url = public_url()
    members = {m.id: m for m in db.session.scalars(
        select(Member).where(Member.id.in_([i.user.member_id for i in issued])))}
    slips = [Slip(members[i.user.member_id].name, members[i.user.member_id].member_no,
                  i.user.username, i.password) for i in issued]
    # the QR code opens the login page with the cooperative's code filled in
    qr = qr_data_uri(f"{url}/login?{urlencode({'coop': coop.code})}") if url else None
    return SlipSheet(coop.name, slips, url, qr, rule=slip_rule(coop), remaining=remaining,
                     coop_code=coop.code)


def _without_login(query, coop: Cooperative, household_no: str | None):
    query = (query.outerjoin(User, User.member_id == Member.id)
             .where(Member.cooperative_id == coop.id, User.id.is_(None),
                    Member.status == MemberStatus.ACTIVE.value,
                    Member.kind != MemberKind.COLLECTIVE.value))
    if household_no is not None:
        query = query.where(Member.household_no == household_no)
    return query


def waiting(coop: Cooperative, household_no: str | None = None) -> Waiting:
    """The active members (not the collective) of ``coop``, or of one household, without a login."""
    return Waiting(db.session.scalar(_without_login(
        select(func.count()).select_from(Member), coop, household_no)) or 0, LOGINS_PER_ROUND)


def issue_logins(coop: Cooperative, household_no: str | None = None) -> IssuedRound:
    """A login for every active member without one (the collective entity gets
    none), or for those of household ``household_no``; in member-number order,
    at most ``LOGINS_PER_ROUND`` of them a round."""
    if household_no is not None:
        household_no = household_no.strip()
        if not household_no:
            raise ServiceError("请填写户号", field="household_no")
        if db.session.scalar(select(Member.id).where(
                Member.cooperative_id == coop.id, Member.household_no == household_no).limit(1)) is None:
            raise ServiceError(f"没有户号为 {household_no} 的成员", field="household_no")
    members = list(db.session.scalars(_without_login(select(Member), coop, household_no)
                                      .order_by(Member.member_no).limit(LOGINS_PER_ROUND)))
    if not members:
        if household_no is not None:
            raise ServiceError(f"户号 {household_no} 的在册成员都已开通登录账号", field="household_no")
        raise ServiceError("所有在册成员都已开通登录账号")
    issued = [issue_member_login(coop, member) for member in members]
    return IssuedRound(issued, waiting(coop, household_no).count)
