"""The states and kinds of a distribution plan, its lines and its payments."""
from __future__ import annotations

from coop.labels import LabelledEnum


class PlanStatus(LabelledEnum):
    DRAFT = "draft", "草案"
    APPROVED = "approved", "已表决通过"
    PUBLISHED = "published", "已公示"
    PAID = "paid", "已发放"


class WeightBasis(LabelledEnum):
    RECORD_DATE = "record_date", "按登记日持股"
    SHARE_DAYS = "share_days", "按持股天数（股·天）"


class PayoutMethod(LabelledEnum):
    """How a dividend was paid out."""

    CASH = "cash", "现金"
    BANK = "bank", "银行转账"
    CARD = "card", "惠农一卡通"
    BANK_BATCH = "bank_batch", "银行代发"
    OTHER = "other", "其他"


class BatchKind(LabelledEnum):
    """How a payment batch came to be: one line, every unpaid line at once,
    or the lines a bank batch-payment list (银行代发清单) listed."""

    SINGLE = "single", "单人发放"
    ALL = "all", "全部发放"
    BANK = "bank", "银行代发清单"


class ItemState(LabelledEnum):
    LISTED = "listed", "已列入清单"
    PAID = "paid", "已发放"
    SKIPPED = "skipped", "已另行发放，未按清单发放"
    REVERSED = "reversed", "已撤销发放"
