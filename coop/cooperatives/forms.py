from __future__ import annotations

from typing import NamedTuple

from wtforms import BooleanField, StringField

from coop.cooperatives.constants import (DisclosurePeriod, DistributionMode, ExtraVoteBasis, LegalRegime, OutsideVillageWord, ReserveBasis,
                                         ResolutionKind, ShareClass)
from coop.cooperatives.rules import (CHARTER_FIELDS, EXTRA_VOTE_RULE_FIELDS, MAJORITY_FIELDS,
                                     charter_errors, majority_field)
from coop.cooperatives.wording import Wording
from coop.forms import ChoiceField, CountField, PercentField, SelectField, VersionedForm, YuanField


# The fields of a farmers' specialized cooperative's charter alone: the return by
# transactions (FSC art 44), the reserve quantified to the member accounts
# (art 42) and the extra votes (art 22). A collective's page does not show them.
SPECIALIZED_FIELDS = ("patronage_rate_bp", "reserve_basis", "extra_votes_allowed", "extra_votes_cap_bp",
                      "extra_votes_basis", *EXTRA_VOTE_RULE_FIELDS)


class Share(NamedTuple):
    """A majority as the charter writes it: ``numerator``/``denominator`` of all votes."""

    numerator: int
    denominator: int


class ShareField(StringField):
    """A fraction typed as ``3/4``; data is a ``Share``, or None when empty."""

    def process_formdata(self, valuelist):
        text = (valuelist[0] if valuelist else "").strip().replace("／", "/")
        self.data = None
        if not text:
            return
        parts = text.split("/")
        if len(parts) != 2 or not all(p.strip().isascii() and p.strip().isdigit() and len(p.strip()) <= 4
                                      for p in parts):
            raise ValueError(f"{self.label.text}应写成分数，如 3/4；按法律规定的留空")
        self.data = Share(int(parts[0]), int(parts[1]))

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else f"{self.data.numerator}/{self.data.denominator}"


class KeptYuanField(YuanField):
    """Yuan whose absence from the posted form keeps the value it was given
    (the charter's current one); an empty box is still an error."""

    def process_formdata(self, valuelist):
        if valuelist:
            super().process_formdata(valuelist)


class CharterForm(VersionedForm):
    name = StringField("合作社名称")
    credit_code = StringField("统一社会信用代码")
    village = StringField("所在村")
    town = StringField("所在镇（乡）")
    outside_village_word = ChoiceField(
        "外村客户的称呼", choices=OutsideVillageWord.choices(), default=OutsideVillageWord.VILLAGE.value,
        description="客户名单、订单和报表里怎样称呼外村的客户；内蒙古一般称外嘎查村")
    par_value_fen = YuanField("每股面值")
    distribution_mode = SelectField(
        "分配方式", choices=DistributionMode.choices()
    )
    collective_target_bp = PercentField("集体股目标比例")
    collective_min_bp = PercentField("集体股区间下限")
    collective_max_bp = PercentField("集体股区间上限")
    villager_target_bp = PercentField("村民股目标比例")
    villager_min_bp = PercentField("村民股区间下限")
    villager_max_bp = PercentField("村民股区间上限")
    cadre_target_bp = PercentField("干部股目标比例")
    cadre_min_bp = PercentField("干部股区间下限")
    cadre_max_bp = PercentField("干部股区间上限")
    member_cap_bp = PercentField("单一成员持股上限")
    reserve_rate_bp = PercentField("公积金提取比例")
    welfare_rate_bp = PercentField("公益金提取比例")
    risk_rate_bp = PercentField("风险金提取比例")
    patronage_rate_bp = PercentField("按交易量返还比例")
    guaranteed_fen_per_mu = YuanField("每亩保底收益", description="每亩每年，元；不用保底时填 0")
    reserve_basis = ChoiceField(
        "公积金量化方式", choices=ReserveBasis.choices(), default=ReserveBasis.TRANSACTIONS.value,
        description="农民专业合作社每年提取的公积金按章程规定量化为每个成员的份额，记入成员账户（《农民专业合作社法》第四十二条）")

    legal_regime = ChoiceField(
        "法律类型", choices=LegalRegime.choices(),
        description="股份经济合作社、经济合作社是农村集体经济组织；农民专业合作社按《农民专业合作社法》")
    notice_days = CountField(
        "会议通知提前天数",
        description="成员大会、成员代表大会召开前多少日通知；农村集体经济组织不少于 10 日（《农村集体经济组织法》第二十七条）")
    representative_assembly = BooleanField("设成员代表大会")
    representative_term_years = CountField(
        "成员代表任期（年）", description="农村集体经济组织的成员代表每届任期五年（第二十八条）")
    majority_distribution = ShareField("收益分配方案表决比例")
    majority_charter = ShareField("章程修改表决比例")
    majority_membership = ShareField("成员身份确认表决比例")
    majority_merger = ShareField("合并、分立表决比例")
    majority_other = ShareField("其他事项表决比例")
    extra_votes_allowed = BooleanField("设附加表决权（仅农民专业合作社）")
    extra_votes_cap_bp = PercentField(
        "附加表决权总票数上限", required=False,
        description="占基本表决权总票数的比例，不超过 20%（《农民专业合作社法》第二十二条）")
    extra_votes_basis = ChoiceField(
        "附加表决权分配依据", choices=[("", "（不设附加表决权）"), *ExtraVoteBasis.choices()],
        description="出资额按会议当日股权登记簿上的出资计算；交易额按会议前一个自然年度成员与本社的"
                    "交易额（农机服务等）计算；两项都选的，两项票数相加")
    extra_votes_capital_step_fen = YuanField(
        "每增加一票的出资额", required=False,
        description="出资额（超过起点的部分）每满这么多元，增加一票附加表决权，例如 10000")
    extra_votes_capital_threshold_fen = YuanField(
        "出资额起点", required=False,
        description="出资额超过这个数才开始计算附加表决权，只计超过的部分；不设起点的留空")
    extra_votes_transactions_step_fen = YuanField(
        "每增加一票的交易额", required=False,
        description="上一年度与本社的交易额（超过起点的部分）每满这么多元，增加一票附加表决权")
    extra_votes_transactions_threshold_fen = YuanField(
        "交易额起点", required=False,
        description="上一年度交易额超过这个数才开始计算附加表决权，只计超过的部分；不设起点的留空")
    extra_votes_member_max = CountField(
        "每名成员附加表决权上限（票）",
        description="一名成员按上面规则算出的票数再多，也不超过这个票数")

    disclosure_period = ChoiceField(
        "财务公开周期", choices=DisclosurePeriod.choices(), default=DisclosurePeriod.QUARTER.value,
        description="《村民委员会组织法》第三十条：至少每季度公布一次，财务往来较多的每月公布一次；"
                    "每期结束后 15 日内公开（《农村集体经济组织法》第四十五条）")
    major_item_threshold_fen = KeptYuanField(
        "重大事项金额标准", description="单笔收入或支出超过此数的，在财务公开中逐笔列明（日期、对方、类别、金额）")

    CLASS_ROWS = [(sc, sc.label) for sc in ShareClass]

    MAJORITY_HELP = ("全体成员（代表）或全体表决权中同意的比例，写成分数如 3/4；留空即按法律："
                     "农村集体经济组织三分之二以上（第二十七条、第二十八条），"
                     "农民专业合作社过半数、章程修改和合并分立三分之二以上（第三十条）")

    locked_par_value_fen: int | None = None

    def __init__(self, *args, obj=None, **kwargs):
        super().__init__(*args, obj=obj, **kwargs)
        for kind in ResolutionKind:
            field = getattr(self, majority_field(kind))
            if obj is not None and field.raw_data is None:
                share = obj.majority(kind)
                field.data = None if share is None else Share(*share)

    def majority_fields(self):
        return [getattr(self, majority_field(kind)) for kind in ResolutionKind]

    def values(self) -> dict:
        values = {name: getattr(self, name).data for name in CHARTER_FIELDS if name not in MAJORITY_FIELDS}
        for kind in ResolutionKind:
            share = getattr(self, majority_field(kind)).data
            values[f"majority_{kind.value}_num"] = share.numerator if share else None
            values[f"majority_{kind.value}_den"] = share.denominator if share else None
        return values

    def use_words(self, words: Wording) -> Wording:
        """The hints of ``words``' regime on their fields (the law each cites)."""
        for name, hint in words.charter_hints.items():
            if name in self._fields:
                self[name].description = hint
        for kind in ResolutionKind:
            self[majority_field(kind)].label.text = f"{words.kind_label(kind.value)}表决比例"
        return words

    def lock_par_value(self, current_fen: int, reason: str) -> None:
        """Show the par value disabled with ``reason``. A disabled input is not
        posted: its value is then the current one; a posted change is refused."""
        field = self.par_value_fen
        field.render_kw = {**(field.render_kw or {}), "disabled": True}
        field.description = reason
        self.locked_par_value_fen = current_fen
        if not field.raw_data:
            field.data = current_fen
            field.process_errors = []

    def validate(self, extra_validators=None) -> bool:
        super().validate(extra_validators)
        field = self.par_value_fen
        if (self.locked_par_value_fen is not None and not field.errors
                and field.data != self.locked_par_value_fen):
            field.errors = [field.description]
        for name, message in charter_errors(self.values()).items():
            field = getattr(self, name)
            if not field.errors:  # a parse error already says what is wrong
                field.errors = [*field.errors, message]
        return not any(f.errors for f in self)

    def keep_unshown(self, saved) -> None:
        """A submission of a page that did not show the specialized
        cooperative's fields (none of them posted) keeps them as ``saved``
        (the charter in force) has them."""
        fields = [self[name] for name in SPECIALIZED_FIELDS]
        if not all(f.raw_data == [] for f in fields):
            return   # not a submission (raw_data None), or the page showed them
        for f in fields:
            f.data, f.raw_data, f.process_errors = getattr(saved, f.name), None, []

    def shows_specialized(self, regime: str) -> bool:
        """Whether the page shows the specialized cooperative's fields: for
        that regime, or when one of them is refused (never an error out of
        sight)."""
        return regime == LegalRegime.SPECIALIZED or any(self[name].errors for name in SPECIALIZED_FIELDS)

    def class_fields(self, share_class: ShareClass):
        return (getattr(self, f"{share_class.value}_{part}_bp") for part in ("target", "min", "max"))
