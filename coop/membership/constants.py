"""The vocabulary of membership confirmation (no Flask, no database)."""
from coop.labels import LabelledEnum


class EventReason(LabelledEnum):
    """Why a person gains or loses membership (《农村集体经济组织法》第十二条至第十七条)."""
    # gains
    BIRTH = "birth", "出生"
    MARRIAGE_IN = "marriage_in", "婚姻迁入"
    ADOPTION = "adoption", "收养"
    MIGRATION = "migration", "政策性移民"
    OTHER_GAIN = "other_gain", "其他方式取得"
    # losses
    DEATH = "death", "死亡"
    NATIONALITY = "nationality", "丧失中华人民共和国国籍"
    OTHER_COLLECTIVE = "other_collective", "取得其他农村集体经济组织成员身份"
    # a marriage out, once membership of the spouse's collective was gained
    # (第十八条第二款); a case of other_collective
    MARRIAGE_OUT = "marriage_out", "婚姻迁出（已取得其他集体成员身份）"
    CIVIL_SERVANT = "civil_servant", "成为公务员"
    CHARTER_REASON = "charter_reason", "章程规定的其他情形"
    WITHDRAWAL = "withdrawal", "书面申请自愿退出"


GAIN_REASONS = frozenset({EventReason.BIRTH, EventReason.MARRIAGE_IN, EventReason.ADOPTION,
                          EventReason.MIGRATION, EventReason.OTHER_GAIN})
LOSS_REASONS = frozenset(EventReason) - GAIN_REASONS


class EventStatus(LabelledEnum):
    PENDING = "pending", "待确认"
    LISTED = "listed", "已列入确认名单"
    CONFIRMED = "confirmed", "已确认"
    REJECTED = "rejected", "未获确认"
    CANCELLED = "cancelled", "已撤回"


class WithdrawalTerms(LabelledEnum):
    """What a member withdrawing by written application keeps (第十六条)."""
    COMPENSATION = "compensation", "给予适当补偿"
    RIGHTS_KEPT = "rights_kept", "在一定期限内保留其已经享有的财产权益"


class ListStatus(LabelledEnum):
    DRAFT = "draft", "草稿"
    NOTICED = "noticed", "公示中"
    DECIDED = "decided", "已决议"


class DisputeStatus(LabelledEnum):
    OPEN = "open", "处理中"
    CLOSED = "closed", "已结案"


class DisputeStage(LabelledEnum):
    MEDIATION = "mediation", "乡镇调解"
    ARBITRATION = "arbitration", "仲裁"
    COURT = "court", "诉讼"
    OTHER = "other", "其他"
