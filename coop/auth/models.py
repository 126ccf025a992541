from __future__ import annotations

import hmac
import secrets
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coop.audit.api import AuditField
from coop.labels import LabelledEnum
from coop import clock
from coop.cooperatives.api import Area, Cooperative
from coop.extensions import db


class Role(LabelledEnum):
    ADMIN = "admin", "书记（管理员）"
    ACCOUNTANT = "accountant", "会计"
    SUPERVISOR = "supervisor", "监事"
    MEMBER = "member", "社员"
    # a township or county official: reads every cooperative of an area,
    # writes nothing (DESIGN.md section 1)
    OVERSEER = "overseer", "乡镇（县）监管"


STAFF = (Role.ADMIN, Role.ACCOUNTANT, Role.SUPERVISOR)


def role_label(role: str, cooperative: Cooperative | None) -> str:
    """``role``'s label in the words of ``cooperative`` (coop.cooperatives.wording)."""
    if role == Role.ADMIN and cooperative is not None:
        return cooperative.words.admin_role
    return Role.label_of(role)


def new_session_token() -> str:
    return secrets.token_urlsafe(32)


class User(UserMixin, db.Model):
    __tablename__ = "users"
    __audit_label__ = "用户"
    __audit_labels__ = {
        "username": "用户名", "display_name": "姓名", "role": AuditField("角色", Role),
        "member_id": "对应成员（编号）", "password_hash": "密码", "must_change_password": "须修改密码",
        "is_enabled": "账号启用", "enabled_reason": "停用或启用原因", "area_id": "监管辖区（编号）"}
    __audit_exclude__ = frozenset({"password_hash"})
    # a login (its time, a session renewed) is not a change of the record
    __audit_ignore__ = frozenset({"last_login_at", "session_token"})
    __table_args__ = (
        UniqueConstraint("cooperative_id", "username"),
        UniqueConstraint("area_id", "username"),
        CheckConstraint("(cooperative_id IS NULL) <> (area_id IS NULL)", name="user_coop_or_area"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # every account but an overseer's belongs to a cooperative; an overseer's
    # belongs to an area instead (exactly one of the two, checked below)
    cooperative_id: Mapped[int | None] = mapped_column(ForeignKey("cooperatives.id"), index=True)
    area_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id"), index=True)
    username: Mapped[str] = mapped_column(String(64))
    display_name: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(16))
    # a member's login (role member) belongs to one member record; its
    # username is the member number (coop.portal.services.issue_member_login)
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    # Part of the id a session carries (get_id): a new token ends every
    # session of the account (coop.auth.services.end_sessions).
    session_token: Mapped[str] = mapped_column(String(64), default=new_session_token)
    must_change_password: Mapped[bool] = mapped_column(default=True)
    is_enabled: Mapped[bool] = mapped_column(default=True)
    # why the account was disabled (or enabled again), as the secretary or the
    # member's status change gave it; the audit log keeps every change
    enabled_reason: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=clock.utcnow)
    last_login_at: Mapped[datetime | None]

    # every request loads its user: a staff account's cooperative comes in
    # the same query; an overseer's area (and the areas above it) only when read
    cooperative: Mapped[Cooperative | None] = relationship(lazy="joined")
    area: Mapped[Area | None] = relationship()

    @property
    def is_active(self) -> bool:  # Flask-Login: disabled users cannot log in
        return self.is_enabled

    def get_id(self) -> str:  # Flask-Login: what the session keeps
        return f"{self.id}:{self.session_token}"

    def holds_session(self, token: str) -> bool:
        return hmac.compare_digest(self.session_token.encode(), token.encode())

    @property
    def role_label(self) -> str:
        """The role in the words of the user's cooperative: its secretary is
        the village's party secretary or the specialized cooperative's chair."""
        return role_label(self.role, self.cooperative)

    def has_role(self, *roles: str) -> bool:
        return self.role in roles

    def __repr__(self) -> str:
        return f"<User {self.username} {self.role}>"


class LoginAttempt(db.Model):
    """Every login attempt, and every wrong current password on the password
    form, for throttling and for the record."""

    __tablename__ = "login_attempts"
    __table_args__ = (
        Index("ix_login_attempts_key_at", "cooperative_id", "username", "at"),
        Index("ix_login_attempts_addr_at", "remote_addr", "at"),
        Index("ix_login_attempts_user_at", "user_id", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cooperative_id: Mapped[int | None] = mapped_column(ForeignKey("cooperatives.id"))
    username: Mapped[str] = mapped_column(String(64))  # as typed
    # the account the username resolved to (member numbers match in any case)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    remote_addr: Mapped[str] = mapped_column(String(64), default="")
    at: Mapped[datetime]
    success: Mapped[bool]
