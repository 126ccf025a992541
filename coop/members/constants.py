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
    # recorded by a gain event, not yet confirmed by the member assembly: on
    # no roster, in no plan, no vote
    PENDING = "pending", "待确认"
    # 《农村集体经济组织法》第十七条 items 2-5 (nationality, another collective,
    # civil servant, a charter reason)
    LOST = "lost", "已丧失成员身份"
    # recorded by a gain event that was withdrawn or not confirmed: never a
    # member (the row stays, as the record of what was asked)
    NOT_CONFIRMED = "not_confirmed", "未确认为成员"


# the statuses of a cooperative whose assembly does not confirm membership
# (a farmers' specialized cooperative: members join and leave by the charter,
# FSC arts 24-26); the others follow from RCEO arts 12 and 17
CHARTER_STATUSES = (MemberStatus.ACTIVE, MemberStatus.WITHDRAWN, MemberStatus.DECEASED)


def status_choices(confirms_membership: bool) -> list[tuple[str, str]]:
    """(value, label) of the statuses a member of such a cooperative can have."""
    statuses = list(MemberStatus) if confirms_membership else CHARTER_STATUSES
    return [(s.value, s.label) for s in statuses]


class MembershipBasis(LabelledEnum):
    """How a member gained membership (成员取得方式)."""
    FOUNDING = "founding", "设立时成员"
    # 《农村集体经济组织法》第六十六条: confirmed before the law took effect,
    # no re-confirmation
    CONFIRMED_BEFORE_LAW = "confirmed_before_law", "2025年5月1日前已确认成员"
    BIRTH = "birth", "出生"
    MARRIAGE = "marriage", "婚姻"
    ADOPTION = "adoption", "收养"
    MIGRATION = "migration", "政策性移民"
    OTHER = "other", "其他"




class StatusChangeSource(LabelledEnum):
    """Where a status change in a member's history came from."""
    ROSTER = "roster", "成员页面登记"
    # a membership event: a gain or loss the member assembly confirmed (or
    # an event withdrawn or not confirmed)
    EVENT = "event", "成员身份变动"
    # filled in by migration 0032 from the status a member already had
    BACKFILL = "backfill", "据原有记录补录"


class MemberLabels:
    """The labels of a member's kind and status, for a Member and for
    anything else that holds a member's ``kind`` and ``status`` (the
    roster's rows)."""

    __slots__ = ()

    @property
    def kind_label(self) -> str:
        return MemberKind(self.kind).label

    @property
    def status_label(self) -> str:
        return MemberStatus(self.status).label
