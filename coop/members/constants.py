"""Member kinds and statuses: the vocabulary of the roster (no Flask, no database)."""
from enum import StrEnum


class MemberKind(StrEnum):
    COLLECTIVE = "collective"  # the village collective itself (村集体)
    VILLAGER = "villager"
    CADRE = "cadre"

    @property
    def label(self) -> str:
        return MEMBER_KIND_LABELS[self]


MEMBER_KIND_LABELS = {
    MemberKind.COLLECTIVE: "村集体",
    MemberKind.VILLAGER: "村民",
    MemberKind.CADRE: "干部",
}


class MemberStatus(StrEnum):
    ACTIVE = "active"
    WITHDRAWN = "withdrawn"
    DECEASED = "deceased"

    @property
    def label(self) -> str:
        return MEMBER_STATUS_LABELS[self]


MEMBER_STATUS_LABELS = {
    MemberStatus.ACTIVE: "在册",
    MemberStatus.WITHDRAWN: "已退社",
    MemberStatus.DECEASED: "已故",
}
