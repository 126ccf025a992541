"""Enumerations whose members carry the Chinese label shown for them.

    class MemberStatus(LabelledEnum):
        ACTIVE = "active", "在册"

``MemberStatus.ACTIVE`` is the string ``"active"`` (stored in the database),
``MemberStatus.ACTIVE.label`` is ``"在册"``; ``choices()`` feeds a select."""
from __future__ import annotations

from enum import StrEnum


class LabelledEnum(StrEnum):
    _label: str

    def __new__(cls, value: str, label: str) -> "LabelledEnum":
        member = str.__new__(cls, value)
        member._value_ = value
        member._label = label
        return member

    @property
    def label(self) -> str:
        return self._label

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        """(value, label) of every member, in declaration order."""
        return [(m.value, m.label) for m in cls]

    @classmethod
    def label_of(cls, value: str | None, default: str | None = None) -> str:
        """The label of a stored value; ``default`` (or the value itself) when
        it is not one of ours."""
        # the members by value, not cls(value): a roster's export asks 300,000 times
        member = cls._value2member_map_.get(value) if isinstance(value, str) else None
        if member is None:
            return (value or "") if default is None else default
        return member.label
