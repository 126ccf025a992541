"""Where members' logins live, the answers to the roster's and to login's
signals: a member whose membership ends (deceased, withdrawn, lost; by the
roster's status change or a confirmed membership event) has the login
disabled at once, every session ending; and such a member is refused at login even if a login was somehow left
enabled.
Connected when the module is imported (the app factory imports every
domain's ``receivers``)."""
from __future__ import annotations

from coop.auth.api import User, login_checked, set_enabled
from coop.members.api import Member, MemberStatus, MemberStatusChange, status_changed, status_reversed
from coop.portal.services import ENDED, login_of, member_of


def ended_reason(status: str) -> str:
    """The reason a login disabled by the membership's end carries."""
    return f"成员状态变为“{MemberStatus.label_of(status)}”，登录账号自动停用"


@status_changed.connect
def end_login_with_membership(member: Member, **_: object) -> None:
    user = login_of(member)
    if user is not None and user.is_enabled and member.status in ENDED:
        set_enabled(user, False, None, ended_reason(member.status))


@status_reversed.connect
def enable_login_after_reversal(member: Member, *, change: MemberStatusChange, **_: object) -> None:
    """A status change entered in error is reversed: the login it disabled
    (its reason says so; a login the secretary disabled since keeps their
    reason and stays off) is enabled again, unless the membership is still ended."""
    user = login_of(member)
    if (user is not None and not user.is_enabled and member.status not in ENDED
            and user.enabled_reason == ended_reason(change.to_status)):
        set_enabled(user, True, None, "状态变更（录入错误）已撤销，登录账号恢复启用")


@login_checked.connect
def refuse_ended_member(user: User, **_: object) -> str | None:
    member = member_of(user)
    if member is None or member.status not in ENDED:
        return None
    return f"{member.name} {member.status_label}，登录账号已停用"
