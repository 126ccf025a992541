"""Vocabulary of the machinery domain (values stored in the database, labels shown)."""
from __future__ import annotations

from coop.labels import LabelledEnum


class MachineCategory(LabelledEnum):
    TRACTOR = "tractor", "拖拉机"
    SEEDER = "seeder", "播种机"
    HARVESTER = "harvester", "收获机"
    SPRAYER = "sprayer", "植保机/无人机"
    BALER = "baler", "打捆机"
    FILM_RECOVERY = "film_recovery", "残膜回收机"
    TILLAGE = "tillage", "耕整地机具"
    OTHER = "other", "其他"


class MachineSource(LabelledEnum):
    COLLECTIVE_IN_KIND = "collective_in_kind", "村集体实物入股"
    MEMBER_IN_KIND = "member_in_kind", "成员实物入股"
    PURCHASED = "purchased", "合作社购置"
    GOVERNMENT_GRANT = "government_grant", "政府补助"


class MachineStatus(LabelledEnum):
    IN_SERVICE = "in_service", "在用"
    UNDER_REPAIR = "under_repair", "维修中"
    DISPOSED = "disposed", "已处置"


class ClientKind(LabelledEnum):
    MEMBER = "member", "本社成员"          # never stored on an outside client; a member is a client as such
    VILLAGE = "village", "外村"  # shown as the charter's word: client_kind_label
    COOPERATIVE = "cooperative", "合作社"
    COMPANY = "company", "企业"
    INDIVIDUAL = "individual", "个人"


def client_kind_label(kind: str, outside_village_word: str) -> str:
    """A client kind's label in the cooperative's words: a village client is
    外村 or 外嘎查村 as the charter says (cooperatives.outside_village_word)."""
    if kind == ClientKind.VILLAGE:
        return outside_village_word
    return ClientKind.label_of(kind)


def client_kind_choices(kinds, outside_village_word: str) -> list[tuple[str, str]]:
    """(value, label) of ``kinds`` for a select, in the cooperative's words."""
    return [(k.value, client_kind_label(k, outside_village_word)) for k in kinds]


class Service(LabelledEnum):
    PLOUGHING = "ploughing", "耕整地"
    DEEP_LOOSENING = "deep_loosening", "深松"
    SOWING = "sowing", "播种"
    SPRAYING = "spraying", "植保"
    HARVESTING = "harvesting", "收获"
    BALING = "baling", "秸秆打捆"
    FILM_RECOVERY = "film_recovery", "地膜回收"
    FULL_CUSTODY = "full_custody", "全程托管"
    OTHER = "other", "其他"


class ExpenseKind(LabelledEnum):
    FUEL = "fuel", "燃油"
    REPAIR = "repair", "维修"
    WAGES = "wages", "工资"
    INSURANCE = "insurance", "保险"
    OTHER = "other", "其他"


class IncomeKind(LabelledEnum):
    PRODUCE_SALES = "produce_sales", "农产品销售中心"
    RENT = "rent", "租金"
    GOVERNMENT_GRANT = "government_grant", "政府补助（不可分配）"
    DONATION = "donation", "他人捐赠（不可分配）"
    OTHER = "other", "其他收入"

    @property
    def distributable(self) -> bool:
        return self not in GRANT_INCOME_KINDS


# state grants and donations: not distributable as surplus, quantified to the
# members of a specialized cooperative instead (农民专业合作社法第四十三条)
GRANT_INCOME_KINDS = frozenset({IncomeKind.GOVERNMENT_GRANT, IncomeKind.DONATION})


class PaymentMethod(LabelledEnum):
    CASH = "cash", "现金"
    BANK = "bank", "银行转账"
    WECHAT = "wechat", "微信"
    ALIPAY = "alipay", "支付宝"
    OTHER = "other", "其他"


