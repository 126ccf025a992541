"""The vocabulary of meetings and votes (no Flask, no database).

The values are the strings ``coop.governance.rules.check_resolution`` takes
(``regime``, ``body``, ``item``); each member carries its Chinese label."""
from coop.labels import LabelledEnum


class Regime(LabelledEnum):
    COLLECTIVE = "collective", "农村集体经济组织（《农村集体经济组织法》）"
    SPECIALIZED = "specialized", "农民专业合作社（《农民专业合作社法》）"


class Body(LabelledEnum):
    ASSEMBLY = "assembly", "成员大会"
    REPRESENTATIVES = "representatives", "成员代表大会"


class ItemKind(LabelledEnum):
    DISTRIBUTION = "distribution", "收益分配方案"
    CHARTER = "charter", "章程修改"
    MEMBERSHIP = "membership", "成员身份确认"
    MERGER = "merger", "合并、分立"
    OTHER = "other", "其他事项"


class MeetingStatus(LabelledEnum):
    PLANNED = "planned", "筹备中"
    HELD = "held", "已召开"
    CANCELLED = "cancelled", "已取消"


class AttendanceStatus(LabelledEnum):
    CONFIRMED = "confirmed", "已确认参会"
    PRESENT = "present", "已签到"


class AttendanceMode(LabelledEnum):
    IN_PERSON = "in_person", "现场参会"
    ONLINE = "online", "线上参会"
    PROXY = "proxy", "书面委托"


class VoteChoice(LabelledEnum):
    FOR = "for", "赞成"
    AGAINST = "against", "反对"
    ABSTAIN = "abstain", "弃权"


class Outcome(LabelledEnum):
    PASSED = "passed", "通过"
    FAILED = "failed", "未通过"
