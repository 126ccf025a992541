"""Vocabulary of the member accounts (values stored in the database, labels shown)."""
from __future__ import annotations

from coop.labels import LabelledEnum


class AccountEntryKind(LabelledEnum):
    """What a member-account entry quantifies to a member (农民专业合作社法第四十二、四十三条)."""

    RESERVE = "reserve", "公积金量化"
    GRANT = "grant", "国家财政补助和捐赠量化"
