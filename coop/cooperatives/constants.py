"""Share classes and distribution modes: the vocabulary of the charter."""
from enum import StrEnum


class ShareClass(StrEnum):
    COLLECTIVE = "collective"
    VILLAGER = "villager"
    CADRE = "cadre"

    @property
    def label(self) -> str:
        return SHARE_CLASS_LABELS[self]


SHARE_CLASS_LABELS = {
    ShareClass.COLLECTIVE: "集体股",
    ShareClass.VILLAGER: "村民股",
    ShareClass.CADRE: "干部股",
}


class DistributionMode(StrEnum):
    JOINT_STOCK = "joint_stock"
    SPECIALIZED = "specialized"

    @property
    def label(self) -> str:
        return DISTRIBUTION_MODE_LABELS[self]


DISTRIBUTION_MODE_LABELS = {
    DistributionMode.JOINT_STOCK: "股份经济合作社（按股分红）",
    DistributionMode.SPECIALIZED: "农民专业合作社（按交易量返还为主）",
}

MIN_PATRONAGE_BP = 6000
