"""Errors that services raise and views turn into messages (in Chinese)."""
from __future__ import annotations

from dataclasses import dataclass


class ServiceError(Exception):
    """A rule refused the request; ``message`` is shown to the user as it is."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class ValidationFailed(ServiceError):
    """Several fields are wrong at once: field name -> message."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("；".join(errors.values()))
        self.errors = errors


class RecordNotFound(LookupError):
    """No record of that kind and id in the caller's cooperative (a 404 in a
    request; ``coop.tenancy`` raises it)."""

    def __init__(self, kind: str = "记录"):
        super().__init__(f"{kind} 不存在")
        self.kind = kind
        self.message = "您要找的记录不存在。"


@dataclass
class Change:
    field: str
    label: str
    before: str
    after: str
    who: str
    when: str


class StaleRecordError(ServiceError):
    """Someone else saved the record since the form was loaded."""

    def __init__(self, changes: list[Change], current_version: int):
        lines = [f"{c.label}：{c.before} → {c.after}（{c.who}，{c.when}）" for c in changes]
        detail = "；".join(lines) if lines else "内容已更新"
        super().__init__(
            "保存未成功：在您编辑期间，此记录已被他人修改 —— " + detail
            + "。请核对后再次提交。"
        )
        self.changes = changes
        self.current_version = current_version
