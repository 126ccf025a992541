"""Passwords, login with throttling, and user management. Services flush only."""
from __future__ import annotations

import secrets
from datetime import datetime

from flask import current_app
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from coop import clock
from coop.auth.models import LoginAttempt, Role, User
from coop.cooperatives.models import Cooperative
from coop.errors import ServiceError, ValidationFailed
from coop.extensions import db

# Easy to read aloud and to type on a phone: no 0/O, 1/l/I.
_PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def generate_initial_password(length: int = 8) -> str:
    return "".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(length))


def password_error(password: str, username: str = "") -> str | None:
    if len(password) < 8:
        return "密码至少 8 位"
    if len(password) > 128:
        return "密码不能超过 128 位"
    if password.isdigit() and len(set(password)) <= 2:
        return "密码过于简单，请不要使用重复的数字"
    if username and password.lower() == username.lower():
        return "密码不能与用户名相同"
    return None


class LoginThrottled(ServiceError):
    pass


def _recent_failures(where, since: datetime) -> tuple[int, datetime | None]:
    """Failures matching ``where`` since ``since`` and since the last success."""
    last_success = db.session.scalar(
        select(func.max(LoginAttempt.at)).where(where, LoginAttempt.success.is_(True))
    )
    start = max(since, last_success) if last_success else since
    count, oldest = db.session.execute(
        select(func.count(), func.min(LoginAttempt.at)).where(
            where, LoginAttempt.success.is_(False), LoginAttempt.at > start
        )
    ).one()
    return count, oldest


def _check_throttle(coop_id: int | None, username: str, remote_addr: str) -> None:
    cfg = current_app.config
    window = cfg["LOGIN_FAILURE_WINDOW"]
    now = clock.utcnow()
    since = now - window
    checks = (
        (
            (LoginAttempt.cooperative_id == coop_id) & (LoginAttempt.username == username),
            cfg["LOGIN_FAILURE_LIMIT"],
        ),
        (LoginAttempt.remote_addr == remote_addr, cfg["LOGIN_IP_FAILURE_LIMIT"]),
    )
    for where, limit in checks:
        count, oldest = _recent_failures(where, since)
        if count >= limit:
            wait = oldest + window - now
            minutes = max(1, -(-int(wait.total_seconds()) // 60))
            raise LoginThrottled(
                f"登录失败次数过多，已暂时锁定。请 {minutes} 分钟后再试，"
                "或联系村书记重置密码。"
            )


def authenticate(coop_code: str, username: str, password: str, remote_addr: str) -> User:
    """The user for these credentials, or ServiceError. Every attempt is recorded."""
    username = username.strip()
    coop = db.session.scalar(select(Cooperative).where(Cooperative.code == coop_code))
    coop_id = coop.id if coop else None
    _check_throttle(coop_id, username, remote_addr)
    user = None
    if coop is not None:
        user = db.session.scalar(
            select(User).where(User.cooperative_id == coop.id, User.username == username)
        )
        if user is None and username != username.upper():
            # members log in with their member number, stored in capitals (cy0001 = CY0001)
            user = db.session.scalar(
                select(User).where(User.cooperative_id == coop.id,
                                   User.username == username.upper(),
                                   User.member_id.is_not(None)))
    ok = user is not None and check_password_hash(user.password_hash, password)
    db.session.add(LoginAttempt(cooperative_id=coop_id, username=username[:64],
                                remote_addr=remote_addr[:64], at=clock.utcnow(), success=ok))
    db.session.flush()
    if not ok:
        raise ServiceError("用户名或密码不正确")
    if not user.is_enabled:
        raise ServiceError("该账号已停用，请联系村书记")
    user.last_login_at = clock.utcnow()
    return user


def change_password(user: User, current: str, new: str, repeat: str) -> None:
    errors: dict[str, str] = {}
    if not check_password_hash(user.password_hash, current):
        errors["current"] = "当前密码不正确"
    if err := password_error(new, user.username):
        errors["new"] = err
    elif new == current:
        errors["new"] = "新密码不能与当前密码相同"
    if new != repeat:
        errors["repeat"] = "两次输入的新密码不一致"
    if errors:
        raise ValidationFailed(errors)
    user.password_hash = hash_password(new)
    user.must_change_password = False
    db.session.flush()


def create_user(coop: Cooperative, username: str, display_name: str, role: str,
                password: str | None = None, must_change: bool = True) -> tuple[User, str]:
    """A new user and its password (generated when not given)."""
    username = username.strip()
    errors: dict[str, str] = {}
    if not username:
        errors["username"] = "请填写用户名"
    elif len(username) > 64 or not username.replace("_", "").replace("-", "").isalnum():
        errors["username"] = "用户名只能包含字母、数字、下划线和短横线，最多 64 位"
    elif db.session.scalar(select(User.id).where(User.cooperative_id == coop.id,
                                                User.username == username)):
        errors["username"] = f"用户名 {username} 已被使用"
    if not display_name.strip():
        errors["display_name"] = "请填写姓名"
    elif len(display_name.strip()) > 64:
        errors["display_name"] = "姓名不能超过 64 个字"
    if role not in set(Role):
        errors["role"] = "请选择角色"
    if password is not None and (err := password_error(password, username)):
        errors["password"] = err
    if errors:
        raise ValidationFailed(errors)
    password = password or generate_initial_password()
    user = User(cooperative_id=coop.id, username=username, display_name=display_name.strip(),
                role=role, password_hash=hash_password(password),
                must_change_password=must_change)
    db.session.add(user)
    db.session.flush()
    return user, password


def reset_password(user: User) -> str:
    """A new one-time password that must be changed at the next login."""
    password = generate_initial_password()
    user.password_hash = hash_password(password)
    user.must_change_password = True
    db.session.flush()
    return password


def set_enabled(user: User, enabled: bool, acting: User) -> None:
    if user.id == acting.id and not enabled:
        raise ServiceError("不能停用自己的账号")
    user.is_enabled = enabled
    db.session.flush()
