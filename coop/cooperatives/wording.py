"""The words that depend on the cooperative's legal regime, in one place.

A village collective (《农村集体经济组织法》, RCEO) and a farmers' specialized
cooperative (《农民专业合作社法》 2017, FSC) call the same things by different
names and rest them on different articles (docs DESIGN section 3a): the
secretary is the village's party secretary or the cooperative's chair,
members are confirmed by the assembly (RCEO art 12) or join and leave by the
charter (FSC arts 24-26), votes are one a person (RCEO art 27) or one basic
vote a member and extra votes by the charter (FSC art 22), the finances are
disclosed by RCEO art 45 or under the charter, the members having the right
to read the financial reports and the account books (FSC art 21).

Pages read ``coop.words`` (``Cooperative.words``) instead of asking the
regime themselves; a page with no cooperative yet (the login page of an
installation of several) says ``NEUTRAL_TITLE``. Pure: no Flask, no database.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from coop.cooperatives.constants import LegalRegime, ResolutionKind

RCEO = "《农村集体经济组织法》"
FSC = "《农民专业合作社法》"
VCOL = "《村民委员会组织法》"
NEUTRAL_TITLE = "合作社管理系统"


@dataclass(frozen=True)
class Wording:
    regime: LegalRegime
    # the login page and the printed headings
    system_title: str
    # who runs the app for the cooperative (Role.ADMIN), short
    secretary: str
    # whom a member turns to (a forgotten password, a disabled login, a meeting)
    office_holder: str
    # whether the member assembly confirms who is a member (RCEO art 12):
    # statuses pending / not confirmed / lost exist only then
    confirms_membership: bool
    # the law the periodic disclosure of the finances rests on
    disclosure_basis: str
    # the annual plan's name: 收益分配 (RCEO art 42) or 盈余分配 (FSC art 44)
    distribution_plan: str
    # who votes at the member assembly: households or members, and the rule
    voters_label: str
    voters_unit: str
    voters_by_household: bool
    voters_note: str
    # the households with a member on the roll, as the households page counts them
    households_label: str
    # resolution kinds (the meeting's agenda items) as this law names them
    kind_labels: dict[str, str] = field(default_factory=dict)
    # the charter form's hints, field name -> text
    charter_hints: dict[str, str] = field(default_factory=dict)
    # what a disclosure's refusals cite: that published finances stand, and
    # that they are published period by period
    disclosure_law: str = ""
    disclosure_period_law: str = ""
    # the member's annual statement, and the members' menu items of the plan
    statement_title: str = "股金分红对账单"
    dividends_label: str = "我的分红"
    notice_label: str = "分红公示"
    # the staff's menu item of the annual distribution
    distribution_menu: str = "分红"
    # what a member gets of the year's distribution
    member_share: str = "分红"
    # where each version of the member roster is filed
    roster_filed_with: str = "乡镇、县农业农村部门"
    # what the meetings page says the assembly decides
    meetings_intro: str = "收益分配方案、章程修改、成员身份确认等事项，须经成员大会（或成员代表大会）依法表决。"
    # why a meeting's notice must give its hour
    meeting_time_required: str = (f"{RCEO}第二十七条：成员大会的通知须写明会议召开的时间、地点和审议的"
                                  "事项，请填写开会时间")
    # a membership dispute's example claim
    dispute_example: str = "要求确认其因婚姻迁入取得的成员身份"
    # what a household number is for (the member form)
    household_hint: str = "同一户的成员填同一个户号（表决仍是一人一票，户号用于户籍登记和同户委托）"
    # the households page's title
    households_title: str = "户与表决权"
    # the household page's rule
    household_rule: str = ("分户、合户和本村成员之间的迁户不改变谁是成员，只改变户号；每户只有一位户主。"
                           "因出生、结婚、收养、迁入取得成员身份的，在登记取得成员身份时随亲属入户或另立新户。")

    @property
    def admin_role(self) -> str:
        """The secretary's role as the user box and the users page show it."""
        return f"{self.secretary}（管理员）"

    def kind_label(self, kind: str) -> str:
        """An agenda item's kind (a ResolutionKind value) in this law's words."""
        return self.kind_labels.get(kind) or ResolutionKind.label_of(kind, kind)

    def kind_choices(self) -> list[tuple[str, str]]:
        return [(kind.value, self.kind_label(kind.value)) for kind in ResolutionKind]

    def voters(self, households: int, members: int) -> int:
        """How many vote at the member assembly, in ``voters_unit``."""
        return households if self.voters_by_household else members


COLLECTIVE_WORDS = Wording(
    regime=LegalRegime.COLLECTIVE,
    system_title="村股份合作社管理系统",
    secretary="书记",
    office_holder="村书记",
    confirms_membership=True,
    disclosure_basis=f"{RCEO}第四十五条、{VCOL}第三十条",
    disclosure_law=f"{RCEO}第四十五条",
    disclosure_period_law=f"{VCOL}第三十条",
    distribution_plan="收益分配方案",
    voters_label="有表决权的户",
    voters_unit="户",
    voters_by_household=True,
    voters_note="户内有在册成员；成员大会表决一人一票",
    households_label="有表决权的户",
    charter_hints={
        "legal_regime": "股份经济合作社、经济合作社是农村集体经济组织；农民专业合作社按《农民专业合作社法》",
        "notice_days": f"成员大会、成员代表大会召开前多少日通知；农村集体经济组织不少于 10 日（{RCEO}第二十七条）",
        "representative_term_years": f"农村集体经济组织的成员代表每届任期五年（{RCEO}第二十八条）",
        "member_cap_bp": "除村集体外，任一成员持股占全部股份的上限（章程规定，常见 20%）",
        "disclosure_period": (f"{VCOL}第三十条：至少每季度公布一次，财务往来较多的每月公布一次；"
                              f"每期结束后 15 日内公开（{RCEO}第四十五条）"),
        "share_classes": "登记入股时检查：某类股份的占比超出区间的，须经成员（代表）大会决议同意。",
    },
)

SPECIALIZED_WORDS = Wording(
    regime=LegalRegime.SPECIALIZED,
    system_title="农民专业合作社管理系统",
    secretary="理事长",
    office_holder="合作社理事长",
    confirms_membership=False,
    disclosure_basis=f"本社章程；成员有权查阅本社的财务会计报告和会计账簿（{FSC}第二十一条）",
    disclosure_law=f"本社章程、{FSC}第二十一条",
    disclosure_period_law="本社章程",
    statement_title="盈余返还对账单",
    dividends_label="我的盈余返还",
    notice_label="盈余分配公示",
    distribution_menu="盈余分配",
    member_share="盈余返还",
    meeting_time_required="请填写开会时间：成员大会的通知应写明会议召开的时间、地点和审议的事项（按本社章程）",
    households_title="按户查看",
    roster_filed_with="登记机关",
    meetings_intro=("盈余分配方案、章程修改、成员入社和除名等事项，须经成员大会（或成员代表大会）依法表决"
                    f"（{FSC}第二十九条、第三十条）。"),
    dispute_example="对入社、退社的办理或除名决定有异议，例如：要求撤销除名决定",
    household_hint="同一户的成员填同一个户号，便于按户查看和联系（表决按成员计，不按户）",
    household_rule="分户、合户和迁户只改变户号，不改变谁是成员；每户只有一位户主。成员入社、退社在成员页面办理。",
    distribution_plan="盈余分配方案",
    voters_label="有表决权的成员",
    voters_unit="名",
    voters_by_household=False,
    voters_note=f"在册成员；每名成员一票基本表决权，另按章程享有附加表决权（{FSC}第二十二条）",
    households_label="有在册成员的户",
    kind_labels={
        ResolutionKind.DISTRIBUTION.value: "盈余分配方案",
        # FSC art 24: joining by the assembly's vote; art 26: expulsion likewise
        ResolutionKind.MEMBERSHIP.value: "成员入社、除名",
        ResolutionKind.MERGER.value: "合并、分立、解散",
    },
    charter_hints={
        "legal_regime": "农民专业合作社按《农民专业合作社法》；股份经济合作社、经济合作社是农村集体经济组织",
        "notice_days": (f"成员大会召开前多少日通知；年度报告、盈余分配方案和财务会计报告应于成员大会召开的"
                        f"十五日前置备于办公地点供成员查阅（{FSC}第四十条），通知一般不少于 15 日"),
        "representative_term_years": f"成员超过一百五十人的，可以按章程设立成员代表大会（{FSC}第三十二条）；任期按章程",
        "member_cap_bp": (f"{FSC}没有规定单一成员出资的上限，附加表决权另有上限（第二十二条）；"
                          "章程不设出资上限的填 100%"),
        "disclosure_period": (f"按本社章程定期向成员公开财务，每期结束后 15 日内公开；成员有权查阅本社的"
                              f"财务会计报告和会计账簿（{FSC}第二十一条）"),
        "share_classes": (f"{FSC}不按股份类别控股，只限制附加表决权（第二十二条）；"
                          "各类区间为 0%–100% 即不作限制。"),
        "patronage_rate_bp": f"不低于弥补亏损、提取公积金后可分配盈余的 60%（{FSC}第四十四条）",
        "welfare_rate_bp": (f"{FSC}不要求提取公益金；提取的，公益金和风险金合计不得使按交易量返还"
                            "低于上面的比例（合计最多为 (100% − 公积金比例) × (100% − 返还比例)）"),
    },
)

WORDS = {LegalRegime.COLLECTIVE: COLLECTIVE_WORDS, LegalRegime.SPECIALIZED: SPECIALIZED_WORDS}


def words_for(regime: LegalRegime | str | None) -> Wording:
    """The words of ``regime``; the collective's for an unknown one (the
    charter form shows its hints before the regime is chosen)."""
    try:
        return WORDS[LegalRegime(regime)]
    except ValueError:
        return COLLECTIVE_WORDS
