"""Login, sessions, password changes and user management. Services flush only.

A session carries the user's id and session token (``User.get_id``);
``end_sessions`` gives the account a new token, which ends every session that
holds the old one: at logout, password change and reset, and when an account
is disabled.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from sqlalchemy import select

from coop import clock
from coop.auth import throttle
from coop.auth.models import Role, User, new_session_token
from coop.auth.signals import login_refusal
from coop.auth.passwords import (generate_initial_password, hash_password, password_error,
                                 verify_password)
from coop.auth.throttle import LoginThrottled
from coop.cooperatives.api import Area, Cooperative, area_by_code
from coop.errors import ServiceError, ValidationFailed
from coop.extensions import db

__all__ = ["IssuedLogin", "Login", "LoginThrottled", "authenticate", "change_password",
           "create_overseer", "create_user", "end_sessions", "has_enabled_user", "has_overseers", "hash_password",
           "password_error", "reset_password", "set_enabled", "set_published_password"]


class IssuedLogin(NamedTuple):
    """An account and the password it was given (shown once)."""

    user: User
    password: str


@dataclass(frozen=True)
class Login:
    """The outcome of a login attempt: the user, or the reason it was refused.
    A refused attempt is still written (the throttle counts it), so it is an
    answer the caller commits, not an exception."""

    user: User | None
    error: str = ""


def end_sessions(user: User) -> None:
    """Every session of ``user`` ends (a new session token)."""
    user.session_token = new_session_token()
    db.session.flush()


def _resolve(coop: Cooperative | None, area: Area | None, username: str) -> User | None:
    if area is not None:
        return db.session.scalar(
            select(User).where(User.area_id == area.id, User.username == username))
    if coop is None:
        return None
    user = db.session.scalar(
        select(User).where(User.cooperative_id == coop.id, User.username == username))
    if user is None and username != username.upper():
        # members log in with their member number, stored in capitals (cy0001 = CY0001)
        user = db.session.scalar(
            select(User).where(User.cooperative_id == coop.id,
                               User.username == username.upper(),
                               User.member_id.is_not(None)))
    return user


def authenticate(coop_code: str, username: str, password: str, remote_addr: str) -> Login:
    """The user for these credentials, or why not (throttled, wrong, disabled).
    ``coop_code`` is a cooperative's code, or an area's for an overseer (a
    cooperative's code wins; ``add_area`` refuses an area code a cooperative has).

    Every attempt past the throttle is recorded. An unknown username still
    checks a password hash, so it takes as long as a known one.
    """
    username = username.strip()
    coop_code = (coop_code or "").strip()
    coop = db.session.scalar(select(Cooperative).where(Cooperative.code == coop_code.lower()))
    area = area_by_code(coop_code) if coop is None else None
    user = _resolve(coop, area, username)
    attempt = throttle.Attempt(coop.id if coop else None, username, user, remote_addr)
    try:
        throttle.check(attempt)
    except LoginThrottled as exc:
        return Login(None, exc.message)
    ok = verify_password(user.password_hash if user else None, password)
    throttle.record(attempt, success=ok)
    if coop is None and area is None:
        # codes are printed on every login slip: saying so is no secret, and a
        # member who typed the cooperative's name learns what to type instead
        return Login(None, f"没有代码为“{coop_code[:32]}”的合作社或辖区：请填写密码条上的合作社代码"
                           "（几个字母，例如 wljs），不是合作社的名称")
    if not ok:
        return Login(None, "用户名或密码不正确")
    if not user.is_enabled:
        return Login(None, f"该账号已停用，请联系{user.cooperative.office_holder}"
                           if user.cooperative is not None else "该账号已停用，请联系上级主管部门")
    if refusal := login_refusal(user):
        return Login(None, refusal)
    user.last_login_at = clock.utcnow()
    return Login(user)


def change_password(user: User, current: str, new: str, repeat: str,
                    remote_addr: str) -> dict[str, str]:
    """A new password for ``user``; every other session of the account ends
    (the caller renews its own with the new token). Returns the refusals
    (field -> message), empty when the password changed. A wrong current
    password counts as a failed login and is throttled like one: it is
    written either way, so the caller commits either way."""
    attempt = throttle.Attempt(user.cooperative_id, user.username, user, remote_addr)
    try:
        throttle.check(attempt)
    except LoginThrottled as exc:
        return {"current": exc.message}
    errors: dict[str, str] = {}
    if not verify_password(user.password_hash, current):
        throttle.record(attempt, success=False)
        errors["current"] = "当前密码不正确"
    if err := password_error(new, user.username, user.display_name):
        errors["new"] = err
    elif new == current:
        errors["new"] = "新密码不能与当前密码相同"
    if new != repeat:
        errors["repeat"] = "两次输入的新密码不一致"
    if errors:
        return errors
    user.password_hash = hash_password(new)
    user.must_change_password = False
    end_sessions(user)
    return {}


def _account_errors(username: str, display_name: str, password: str | None,
                    taken: bool) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not username:
        errors["username"] = "请填写用户名"
    elif len(username) > 64 or not username.replace("_", "").replace("-", "").isalnum():
        errors["username"] = "用户名只能包含字母、数字、下划线和短横线，最多 64 位"
    elif taken:
        errors["username"] = f"用户名 {username} 已被使用"
    if not display_name.strip():
        errors["display_name"] = "请填写姓名"
    elif len(display_name.strip()) > 64:
        errors["display_name"] = "姓名不能超过 64 个字"
    if password is not None and (err := password_error(password, username, display_name)):
        errors["password"] = err
    return errors


def _new_account(user: User, password: str | None, must_change: bool) -> IssuedLogin:
    password = password or generate_initial_password()
    user.password_hash = hash_password(password)
    user.must_change_password = must_change
    db.session.add(user)
    db.session.flush()
    return IssuedLogin(user, password)


def create_user(coop: Cooperative, username: str, display_name: str, role: str,
                password: str | None = None, must_change: bool = True) -> IssuedLogin:
    """A new user of ``coop`` and its password (generated when not given)."""
    username = username.strip()
    taken = bool(username) and db.session.scalar(
        select(User.id).where(User.cooperative_id == coop.id, User.username == username)) is not None
    errors = _account_errors(username, display_name, password, taken)
    if role not in set(Role) or role == Role.OVERSEER:
        # an overseer's account belongs to an area (create_overseer), not a cooperative
        errors["role"] = "请选择角色"
    if errors:
        raise ValidationFailed(errors)
    return _new_account(User(cooperative_id=coop.id, username=username,
                             display_name=display_name.strip(), role=role), password, must_change)


def create_overseer(area: Area, username: str, display_name: str, password: str | None = None,
                    must_change: bool = True) -> IssuedLogin:
    """A township or county official's account of ``area``: reads every
    cooperative of the area, writes nothing (coop.auth.access)."""
    username = username.strip()
    taken = bool(username) and db.session.scalar(
        select(User.id).where(User.area_id == area.id, User.username == username)) is not None
    if errors := _account_errors(username, display_name, password, taken):
        raise ValidationFailed(errors)
    return _new_account(User(area_id=area.id, username=username, display_name=display_name.strip(),
                             role=Role.OVERSEER.value), password, must_change)


def has_enabled_user(coop_id: int, role: str) -> bool:
    """Whether the cooperative has an enabled account of ``role``."""
    return db.session.scalar(select(User.id).where(
        User.cooperative_id == coop_id, User.role == role, User.is_enabled.is_(True)
    ).limit(1)) is not None


def has_overseers() -> bool:
    return db.session.scalar(select(User.id).where(User.area_id.is_not(None)).limit(1)) is not None


def reset_password(user: User) -> str:
    """A new one-time password that must be changed at the next login; the
    account's sessions end."""
    password = generate_initial_password()
    user.password_hash = hash_password(password)
    user.must_change_password = True
    end_sessions(user)
    return password


REASON_MAX = 200


def set_enabled(user: User, enabled: bool, acting: User | None, reason: str) -> None:
    """Disable ``user`` (every session ends) or enable it again, with the
    reason, which the audit log keeps with the change. ``acting`` is the
    secretary (None: the system, e.g. a member's death recorded)."""
    reason = (reason or "").strip()
    if acting is not None and user.id == acting.id:
        raise ServiceError("不能停用或启用自己的账号")
    if not reason:
        raise ServiceError("请填写停用或启用的原因")
    if len(reason) > REASON_MAX:
        raise ServiceError(f"原因不能超过 {REASON_MAX} 个字")
    if user.is_enabled == enabled:
        raise ServiceError(f"{user.display_name} 的账号已经是{'启用' if enabled else '停用'}状态",
                           field="reason")
    user.is_enabled = enabled
    user.enabled_reason = reason
    if not enabled:
        end_sessions(user)
    db.session.flush()


def set_published_password(user: User, password: str) -> None:
    """Give ``user`` a password that is published (the demo logins in the
    README). The rules of ``password_error`` guard secret passwords against
    guessing; a published one is known to all, so they are not applied."""
    user.password_hash = hash_password(password)
    user.must_change_password = False
    end_sessions(user)
