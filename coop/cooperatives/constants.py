"""Share classes and distribution modes: the vocabulary of the charter."""
from coop.labels import LabelledEnum


class ShareClass(LabelledEnum):
    COLLECTIVE = "collective", "集体股"
    VILLAGER = "villager", "村民股"
    CADRE = "cadre", "干部股"


class DistributionMode(LabelledEnum):
    JOINT_STOCK = "joint_stock", "股份经济合作社（按股分红）"
    SPECIALIZED = "specialized", "农民专业合作社（按交易量返还为主）"


MIN_PATRONAGE_BP = 6000


class OutsideVillageWord(LabelledEnum):
    """What the cooperative calls a village client from outside: the value is
    the word shown on every client list, form and report."""

    VILLAGE = "外村", "外村（大多数省份）"
    GACHA_VILLAGE = "外嘎查村", "外嘎查村（内蒙古）"


class ReserveBasis(LabelledEnum):
    """How a specialized cooperative quantifies each year's reserve fund to
    its members' accounts (农民专业合作社法第四十二条: by the charter)."""

    TRANSACTIONS = "transactions", "按交易量（默认）"
    CAPITAL = "capital", "按出资额"
    EQUAL = "equal", "平均"


class LegalRegime(LabelledEnum):
    """The law the cooperative is organized under; its values are the
    ``regime`` of ``coop.governance.rules.check_resolution``."""

    COLLECTIVE = "collective", "农村集体经济组织（《农村集体经济组织法》）"
    SPECIALIZED = "specialized", "农民专业合作社（《农民专业合作社法》）"


class ResolutionKind(LabelledEnum):
    """What a meeting decides, for the charter's stricter majorities; the
    values are the ``item`` of ``check_resolution``."""

    DISTRIBUTION = "distribution", "收益分配方案"
    CHARTER = "charter", "章程修改"
    MEMBERSHIP = "membership", "成员身份确认"
    MERGER = "merger", "合并、分立"
    OTHER = "other", "其他事项"


class DisclosurePeriod(LabelledEnum):
    """How often the finances are disclosed to the members (财务公开):
    《村民委员会组织法》第三十条, at least quarterly, monthly where the
    transactions are many; 《农村集体经济组织法》第四十五条."""

    QUARTER = "quarter", "每季度"
    MONTH = "month", "每月"


class ExtraVoteBasis(LabelledEnum):
    """What the FSC extra votes follow (农民专业合作社法第二十二条)."""

    CAPITAL = "capital", "按出资额"
    TRANSACTIONS = "transactions", "按与本社的交易量（额）"
    BOTH = "both", "按出资额加交易量（额）"

    @property
    def uses_capital(self) -> bool:
        return self is not ExtraVoteBasis.TRANSACTIONS

    @property
    def uses_transactions(self) -> bool:
        return self is not ExtraVoteBasis.CAPITAL


REGIME_FOR_MODE = {
    DistributionMode.JOINT_STOCK: LegalRegime.COLLECTIVE,
    DistributionMode.SPECIALIZED: LegalRegime.SPECIALIZED,
}

RCEO_NOTICE_DAYS = 10
# the plan is at the office 15 days before the assembly (FSC art 40): the notice with it
FSC_NOTICE_DAYS = 15
RCEO_REPRESENTATIVE_TERM_YEARS = 5
MAX_EXTRA_VOTES_BP = 2000
MAX_EXTRA_VOTES_PER_MEMBER = 1000
# a single amount over this is a major item, listed one by one in a disclosure
DEFAULT_MAJOR_ITEM_FEN = 1_000_000
