"""Vocabulary of the machinery domain (values stored in the database, labels shown)."""
from __future__ import annotations

from enum import StrEnum


class _Labelled(StrEnum):
    @property
    def label(self) -> str:
        return LABELS[self]

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        return [(m.value, m.label) for m in cls]


class MachineCategory(_Labelled):
    TRACTOR = "tractor"
    SEEDER = "seeder"
    HARVESTER = "harvester"
    SPRAYER = "sprayer"
    BALER = "baler"
    FILM_RECOVERY = "film_recovery"
    TILLAGE = "tillage"
    OTHER = "other"


class MachineSource(_Labelled):
    COLLECTIVE_IN_KIND = "collective_in_kind"
    MEMBER_IN_KIND = "member_in_kind"
    PURCHASED = "purchased"
    GOVERNMENT_GRANT = "government_grant"


class MachineStatus(_Labelled):
    IN_SERVICE = "in_service"
    UNDER_REPAIR = "under_repair"
    DISPOSED = "disposed"


class ClientKind(_Labelled):
    MEMBER = "member"          # never stored on an outside client; a member is a client as such
    VILLAGE = "village"
    COOPERATIVE = "cooperative"
    COMPANY = "company"
    INDIVIDUAL = "individual"


class Service(_Labelled):
    PLOUGHING = "ploughing"
    DEEP_LOOSENING = "deep_loosening"
    SOWING = "sowing"
    SPRAYING = "spraying"
    HARVESTING = "harvesting"
    BALING = "baling"
    FILM_RECOVERY = "film_recovery"
    FULL_CUSTODY = "full_custody"
    OTHER = "other"


class ExpenseKind(_Labelled):
    FUEL = "fuel"
    REPAIR = "repair"
    WAGES = "wages"
    INSURANCE = "insurance"
    OTHER = "other"


class IncomeKind(_Labelled):
    PRODUCE_SALES = "produce_sales"
    RENT = "rent"
    GOVERNMENT_GRANT = "government_grant"
    OTHER = "other"

    @property
    def distributable(self) -> bool:
        return self is not IncomeKind.GOVERNMENT_GRANT


class PaymentMethod(_Labelled):
    CASH = "cash"
    BANK = "bank"
    WECHAT = "wechat"
    ALIPAY = "alipay"
    OTHER = "other"


LABELS: dict[StrEnum, str] = {
    MachineCategory.TRACTOR: "拖拉机",
    MachineCategory.SEEDER: "播种机",
    MachineCategory.HARVESTER: "收获机",
    MachineCategory.SPRAYER: "植保机/无人机",
    MachineCategory.BALER: "打捆机",
    MachineCategory.FILM_RECOVERY: "残膜回收机",
    MachineCategory.TILLAGE: "耕整地机具",
    MachineCategory.OTHER: "其他",
    MachineSource.COLLECTIVE_IN_KIND: "村集体实物入股",
    MachineSource.MEMBER_IN_KIND: "成员实物入股",
    MachineSource.PURCHASED: "合作社购置",
    MachineSource.GOVERNMENT_GRANT: "政府补助",
    MachineStatus.IN_SERVICE: "在用",
    MachineStatus.UNDER_REPAIR: "维修中",
    MachineStatus.DISPOSED: "已处置",
    ClientKind.MEMBER: "本社成员",
    ClientKind.VILLAGE: "外嘎查村",
    ClientKind.COOPERATIVE: "合作社",
    ClientKind.COMPANY: "企业",
    ClientKind.INDIVIDUAL: "个人",
    Service.PLOUGHING: "耕整地",
    Service.DEEP_LOOSENING: "深松",
    Service.SOWING: "播种",
    Service.SPRAYING: "植保",
    Service.HARVESTING: "收获",
    Service.BALING: "秸秆打捆",
    Service.FILM_RECOVERY: "地膜回收",
    Service.FULL_CUSTODY: "全程托管",
    Service.OTHER: "其他",
    ExpenseKind.FUEL: "燃油",
    ExpenseKind.REPAIR: "维修",
    ExpenseKind.WAGES: "工资",
    ExpenseKind.INSURANCE: "保险",
    ExpenseKind.OTHER: "其他",
    IncomeKind.PRODUCE_SALES: "农产品销售中心",
    IncomeKind.RENT: "租金",
    IncomeKind.GOVERNMENT_GRANT: "政府补助（不可分配）",
    IncomeKind.OTHER: "其他收入",
    PaymentMethod.CASH: "现金",
    PaymentMethod.BANK: "银行转账",
    PaymentMethod.WECHAT: "微信",
    PaymentMethod.ALIPAY: "支付宝",
    PaymentMethod.OTHER: "其他",
}
