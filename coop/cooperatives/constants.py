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
