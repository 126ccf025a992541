"""Members' logins and what a member may see of their own records.

A member's login is a ``User`` with role ``member``, ``member_id`` set and the
member number as its username. The secretary issues it with a one-time
password (printed on a slip) that must be changed at the first login, and
resets it the same way. Everything a member sees is looked up from
``current_member()``: no member URL takes another member's id.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from sqlalchemy import func, or_, select

from coop.auth.api import Role, User, create_user, reset_password, set_enabled
from coop.cooperatives.api import Cooperative, ShareClass
from coop.errors import RecordNotFound, ServiceError
from coop.extensions import db
from coop.members.api import Member, MemberKind, MemberStatus
from coop.paging import Page
from coop.shares.api import CLASSES, ShareEntry, member_history, member_holdings
from coop.statements.api import valuation
from coop.tenancy import find_owned


def member_of(user: User) -> Member | None:
    """The member record of a member's login, or None (not a member's login,
    not linked, or linked to a member of another cooperative)."""
    if user.role != Role.MEMBER:
        return None
    return find_owned(Member, user.member_id, user.cooperative_id)


def own_member(user: User) -> Member:
    """``member_of``, or RecordNotFound (a 404 in a request)."""
    member = member_of(user)
    if member is None:
        raise RecordNotFound("Member")
    return member


def login_of(member: Member) -> User | None:
    return db.session.scalar(select(User).where(User.member_id == member.id))


class IssuedMemberLogin(NamedTuple):
    """What ``issue_member_login`` hands back for the password slip."""

    user: User
    password: str  # the one-time password, shown once
    created: bool  # a new login (else an existing one reset)


# whose membership has ended: their login is disabled and none is issued
ENDED = (MemberStatus.DECEASED.value, MemberStatus.WITHDRAWN.value, MemberStatus.LOST.value)
COLLECTIVE_REFUSAL = "村集体（集体经济组织）是合作社的出资成员，不是个人，不开通登录账号"


def login_refusal(member: Member) -> str | None:
    """Why ``member`` may have no login (the collective entity, a membership
    that has ended), or None."""
    if member.kind == MemberKind.COLLECTIVE:
        return COLLECTIVE_REFUSAL
    if member.status in ENDED:
        return f"{member.name} {member.status_label}，不能开通登录账号"
    return None


def issue_member_login(coop: Cooperative, member: Member) -> IssuedMemberLogin:
    """A new login for ``member``, or its existing one reset, with a one-time password.

    The password must be changed at the next login. The collective entity and
    a member who has died, withdrawn or lost membership get no login. The
    username is the member number.
    """
    if find_owned(Member, member.id, coop.id) is None:
        raise ServiceError("没有找到这个成员")
    if refusal := login_refusal(member):
        raise ServiceError(refusal)
    user = login_of(member)
    if user is not None:
        password = reset_password(user)
        if not user.is_enabled:
            set_enabled(user, True, None, "重新开通登录（重置密码）")
        if user.username != member.member_no:  # the member number was corrected since
            _check_username_free(coop, member.member_no, user.id)
            user.username = member.member_no
        user.display_name = member.name
        db.session.flush()
        return IssuedMemberLogin(user, password, False)
    _check_username_free(coop, member.member_no, None)
    user, password = create_user(coop, member.member_no, member.name, Role.MEMBER.value)
    user.member_id = member.id
    db.session.flush()
    return IssuedMemberLogin(user, password, True)


def _check_username_free(coop: Cooperative, username: str, own_id: int | None) -> None:
    clash = db.session.scalar(select(User).where(
        User.cooperative_id == coop.id, func.upper(User.username) == username.upper()))
    if clash is not None and clash.id != own_id:
        raise ServiceError(
            f"用户名 {username} 已被账号“{clash.display_name}”使用，无法用成员编号开通登录；"
            "请先在“用户”页面更换该账号")


@dataclass
class LoginRow:
    member: Member
    user: User | None

    @property
    def state(self) -> str:
        if self.user is None:
            return "未开通"
        if not self.user.is_enabled:
            return "已停用"
        if self.user.must_change_password:
            return "待首次登录改密码"
        return "正常"

    @property
    def action(self) -> str:
        """The button's label: open a login, or reset the one there is."""
        return "重置密码" if self.user is not None else "开通登录"

    @property
    def can_issue(self) -> bool:
        """A login can be opened (or, when there is one, its password reset)."""
        return login_refusal(self.member) is None

    @property
    def refusal(self) -> str:
        return login_refusal(self.member) or ""


def login_rows(coop: Cooperative, q: str = "", page: int = 1, per_page: int = 50) -> Page:
    """One page of the members with their login (if any), by member number."""
    where = [Member.cooperative_id == coop.id]
    q = (q or "").strip()
    if q:
        where.append(or_(Member.member_no.startswith(q.upper(), autoescape=True),
                         Member.name.startswith(q, autoescape=True)))
    count = int(db.session.scalar(select(func.count()).select_from(Member).where(*where)) or 0)
    rows = db.session.execute(
        select(Member, User).outerjoin(User, User.member_id == Member.id).where(*where)
        .order_by(Member.member_no).offset((page - 1) * per_page).limit(per_page))
    return Page([LoginRow(m, u) for m, u in rows], page, per_page, count)


# -- a member's own records ---------------------------------------------------


@dataclass
class HoldingRow:
    share_class: str
    label: str
    shares: int
    value_fen: int


def holdings(coop: Cooperative, member: Member, on: date | None = None) -> list[HoldingRow]:
    held = member_holdings(member.id, on)
    return [HoldingRow(sc, ShareClass(sc).label, held[sc],
                       held[sc] * coop.par_value_fen)
            for sc in CLASSES if held[sc]]


def history(member: Member) -> list[ShareEntry]:
    """The member's register entries, newest first."""
    return member_history(member.id)[::-1]


@dataclass(frozen=True)
class HistoryRow:
    entry: ShareEntry
    contribution: str | None  # how a contribution was valued, in words; None for other entries

    @property
    def negative(self) -> bool:
        return self.entry.shares < 0


def history_rows(member: Member) -> list[HistoryRow]:
    """``history`` as the member's page shows it."""
    return [HistoryRow(e, valuation(e) if e.contribution_kind and e.shares > 0 else None)
            for e in history(member)]
