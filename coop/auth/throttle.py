"""Throttling of password guesses: at the login form and at the current
password of the password form. Services flush only.

Every wrong password is a ``LoginAttempt`` (a failure); every login a success.
Within ``LOGIN_FAILURE_WINDOW`` (15 minutes) three limits apply, the first
that is reached locks:

1. account and address, ``LOGIN_FAILURE_LIMIT`` (5): that account cannot log
   in from that address. The owner's own success from that address starts the
   count again (someone who mistyped); nobody else's does.
2. account, ``LOGIN_ACCOUNT_FAILURE_LIMIT`` (20) failures from any addresses:
   the account is locked everywhere except at the addresses it logged in from
   in the last ``LOGIN_KNOWN_ADDRESS_DAYS`` (30) days, so that a guesser spread
   over many addresses is stopped while the owner still logs in from the usual
   device.
3. address, ``LOGIN_IP_FAILURE_LIMIT`` (20) failures for any usernames: the
   address is locked. Successes do not reset it.

The account is the one the typed username resolved to (a member number
matches in any case). An unknown username counts as an account of its own
(as typed), so a lock does not tell whether an account exists. A lock lasts
until enough of its failures have left the window.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import ColumnElement, func, select

from coop import clock
from coop.auth.models import LoginAttempt, User
from coop.errors import ServiceError
from coop.extensions import db


class LoginThrottled(ServiceError):
    pass


@dataclass(frozen=True)
class Attempt:
    """Who tried: the cooperative and username as typed, the account they
    resolved to (None when unknown) and the client's address."""

    cooperative_id: int | None
    username: str
    user: User | None
    remote_addr: str


@dataclass(frozen=True)
class _Limit:
    where: ColumnElement[bool]
    limit: int
    since_own_success: bool = False


def _account(attempt: Attempt) -> ColumnElement[bool]:
    if attempt.user is not None:
        return LoginAttempt.user_id == attempt.user.id
    coop = (LoginAttempt.cooperative_id.is_(None) if attempt.cooperative_id is None
            else LoginAttempt.cooperative_id == attempt.cooperative_id)
    return LoginAttempt.user_id.is_(None) & coop & (LoginAttempt.username == attempt.username[:64])


def _is_known_address(attempt: Attempt, now: datetime) -> bool:
    if attempt.user is None:
        return False
    since = now - timedelta(days=current_app.config["LOGIN_KNOWN_ADDRESS_DAYS"])
    return db.session.scalar(select(LoginAttempt.id).where(
        LoginAttempt.user_id == attempt.user.id, LoginAttempt.remote_addr == attempt.remote_addr,
        LoginAttempt.success.is_(True), LoginAttempt.at >= since).limit(1)) is not None


def _locked_until(rule: _Limit, since: datetime, window: timedelta) -> datetime | None:
    start = since
    if rule.since_own_success:
        last_success = db.session.scalar(select(func.max(LoginAttempt.at)).where(
            rule.where, LoginAttempt.success.is_(True)))
        if last_success is not None and last_success > start:
            start = last_success
    failures = (rule.where, LoginAttempt.success.is_(False), LoginAttempt.at > start)
    count = db.session.scalar(select(func.count()).select_from(LoginAttempt).where(*failures))
    if count < rule.limit:
        return None
    # the lock ends when the oldest count - limit + 1 failures have left the window
    leaving = db.session.scalar(select(LoginAttempt.at).where(*failures)
                                .order_by(LoginAttempt.at).offset(count - rule.limit).limit(1))
    return leaving + window


def check(attempt: Attempt) -> None:
    """LoginThrottled when one of the limits is reached."""
    cfg = current_app.config
    window = cfg["LOGIN_FAILURE_WINDOW"]
    now = clock.utcnow()
    account = _account(attempt)
    address = LoginAttempt.remote_addr == attempt.remote_addr[:64]
    rules = [_Limit(account & address, cfg["LOGIN_FAILURE_LIMIT"], since_own_success=True)]
    if not _is_known_address(attempt, now):
        rules.append(_Limit(account, cfg["LOGIN_ACCOUNT_FAILURE_LIMIT"]))
    rules.append(_Limit(address, cfg["LOGIN_IP_FAILURE_LIMIT"]))
    for rule in rules:
        until = _locked_until(rule, now - window, window)
        if until is not None:
            minutes = max(1, -(-int((until - now).total_seconds()) // 60))
            raise LoginThrottled(
                f"登录失败次数过多，已暂时锁定。请 {minutes} 分钟后再试，"
                "或联系村书记（专业合作社找理事长）重置密码。")


def record(attempt: Attempt, success: bool) -> None:
    db.session.add(LoginAttempt(
        cooperative_id=attempt.cooperative_id, username=attempt.username[:64],
        user_id=attempt.user.id if attempt.user is not None else None,
        remote_addr=attempt.remote_addr[:64], at=clock.utcnow(), success=success))
    db.session.flush()
