"""Member kinds and statuses: the vocabulary of the roster (no Flask, no database)."""
from coop.labels import LabelledEnum


class MemberKind(LabelledEnum):
    COLLECTIVE = "collective", "村集体"  # the village collective itself (村集体)
    VILLAGER = "villager", "村民"
    CADRE = "cadre", "干部"


class MemberStatus(LabelledEnum):
    ACTIVE = "active", "在册"
    WITHDRAWN = "withdrawn", "已退社"
    DECEASED = "deceased", "已故"


