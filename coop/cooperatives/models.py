from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coop.audit.api import AuditField
from coop import clock
from coop.cooperatives.areas import Area
from coop.cooperatives.constants import (DEFAULT_MAJOR_ITEM_FEN, RCEO_NOTICE_DAYS, RCEO_REPRESENTATIVE_TERM_YEARS,
                                         DisclosurePeriod, DistributionMode,
                                         ExtraVoteBasis, LegalRegime, OutsideVillageWord, ReserveBasis,
                                         ResolutionKind, ShareClass)
from coop.cooperatives.wording import Wording, words_for
from coop.database import Int64
from coop.extensions import db


class Cooperative(db.Model):
    """A cooperative and its charter. Ratios are basis points (1/100 %)."""

    __tablename__ = "cooperatives"
    __audit_label__ = "合作社与章程"
    __audit_labels__ = {
        "code": "合作社代码", "name": "名称", "credit_code": "统一社会信用代码", "village": "村",
        "town": "乡镇", "par_value_fen": "每股面值",
        "distribution_mode": AuditField("分配方式", DistributionMode),
        "collective_target_bp": "集体股目标比例", "collective_min_bp": "集体股比例下限",
        "collective_max_bp": "集体股比例上限", "villager_target_bp": "村民股目标比例",
        "villager_min_bp": "村民股比例下限", "villager_max_bp": "村民股比例上限",
        "cadre_target_bp": "干部股目标比例", "cadre_min_bp": "干部股比例下限",
        "cadre_max_bp": "干部股比例上限", "member_cap_bp": "单个成员持股上限",
        "reserve_rate_bp": "公积金提取比例", "welfare_rate_bp": "公益金提取比例",
        "risk_rate_bp": "风险金提取比例", "patronage_rate_bp": "按交易量返还比例",
        "guaranteed_fen_per_mu": "土地保底收益（每亩）",
        "reserve_basis": AuditField("公积金量化方式", ReserveBasis),
        "legal_regime": AuditField("适用法律", LegalRegime),
        "representative_assembly": "设成员代表大会", "representative_term_years": "代表任期（年）",
        "majority_distribution_num": "分配方案表决比例（分子）",
        "majority_distribution_den": "分配方案表决比例（分母）",
        "majority_charter_num": "章程修改表决比例（分子）",
        "majority_charter_den": "章程修改表决比例（分母）",
        "majority_membership_num": "成员身份确认表决比例（分子）",
        "majority_membership_den": "成员身份确认表决比例（分母）",
        "majority_merger_num": "合并分立解散表决比例（分子）",
        "majority_merger_den": "合并分立解散表决比例（分母）",
        "majority_other_num": "其他事项表决比例（分子）",
        "majority_other_den": "其他事项表决比例（分母）",
        "extra_votes_allowed": "设附加表决权", "extra_votes_cap_bp": "附加表决权上限",
        "extra_votes_basis": AuditField("附加表决权依据", ExtraVoteBasis),
        "extra_votes_capital_step_fen": "出资每满（一票）", "extra_votes_capital_threshold_fen": "出资起点",
        "extra_votes_transactions_step_fen": "交易额每满（一票）",
        "extra_votes_transactions_threshold_fen": "交易额起点", "extra_votes_member_max": "每人附加票上限",
        "outside_village_word": "外村称呼", "area_id": "所在村辖区（编号）",
        "disclosure_period": AuditField("财务公开周期", DisclosurePeriod),
        "major_item_threshold_fen": "重大事项金额标准"}
    __table_args__ = (
        CheckConstraint("par_value_fen > 0", name="par_value_positive"),
        CheckConstraint("patronage_rate_bp >= 6000 AND patronage_rate_bp <= 10000",
                        name="patronage_rate_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    credit_code: Mapped[str] = mapped_column(String(18), default="")
    village: Mapped[str] = mapped_column(String(60), default="")
    town: Mapped[str] = mapped_column(String(60), default="")
    par_value_fen: Mapped[int] = mapped_column(Int64, default=100)
    distribution_mode: Mapped[str] = mapped_column(String(16), default=DistributionMode.JOINT_STOCK)

    collective_target_bp: Mapped[int] = mapped_column(default=6500)
    collective_min_bp: Mapped[int] = mapped_column(default=6000)
    collective_max_bp: Mapped[int] = mapped_column(default=7000)
    villager_target_bp: Mapped[int] = mapped_column(default=3100)
    villager_min_bp: Mapped[int] = mapped_column(default=2600)
    villager_max_bp: Mapped[int] = mapped_column(default=3600)
    cadre_target_bp: Mapped[int] = mapped_column(default=400)
    cadre_min_bp: Mapped[int] = mapped_column(default=0)
    cadre_max_bp: Mapped[int] = mapped_column(default=600)

    member_cap_bp: Mapped[int] = mapped_column(default=2000)
    reserve_rate_bp: Mapped[int] = mapped_column(default=1000)
    welfare_rate_bp: Mapped[int] = mapped_column(default=500)
    risk_rate_bp: Mapped[int] = mapped_column(default=500)
    patronage_rate_bp: Mapped[int] = mapped_column(default=6000)
    guaranteed_fen_per_mu: Mapped[int] = mapped_column(Int64, default=0)
    # how each year's reserve is quantified to the members (FSC art 42)
    reserve_basis: Mapped[str] = mapped_column(String(16), default=ReserveBasis.TRANSACTIONS)
    # the word for a village client from outside (外村; 外嘎查村 in Inner Mongolia)
    outside_village_word: Mapped[str] = mapped_column(String(8), default=OutsideVillageWord.VILLAGE)
    # the village area (coop.cooperatives.areas) an overseer of it, its
    # township or its county reads the cooperative through
    area_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id"), index=True)
    area: Mapped[Area | None] = relationship()

    # governance (docs/rules.md, "The charter's governance")
    legal_regime: Mapped[str] = mapped_column(String(16), default=LegalRegime.COLLECTIVE)
    representative_assembly: Mapped[bool] = mapped_column(default=False)
    representative_term_years: Mapped[int] = mapped_column(default=RCEO_REPRESENTATIVE_TERM_YEARS)
    notice_days: Mapped[int] = mapped_column(default=RCEO_NOTICE_DAYS)
    # a stricter majority per resolution kind: numerator/denominator of all
    # votes, both None where the charter keeps the law's
    majority_distribution_num: Mapped[int | None]
    majority_distribution_den: Mapped[int | None]
    majority_charter_num: Mapped[int | None]
    majority_charter_den: Mapped[int | None]
    majority_membership_num: Mapped[int | None]
    majority_membership_den: Mapped[int | None]
    majority_merger_num: Mapped[int | None]
    majority_merger_den: Mapped[int | None]
    majority_other_num: Mapped[int | None]
    majority_other_den: Mapped[int | None]
    extra_votes_allowed: Mapped[bool] = mapped_column(default=False)
    extra_votes_cap_bp: Mapped[int] = mapped_column(default=0)
    extra_votes_basis: Mapped[str] = mapped_column(String(16), default="")
    # the extra-vote rule (农民专业合作社法第二十二条): one extra vote per step of
    # capital (on the meeting day) and/or of transactions (the calendar year
    # before), counted above the threshold, at most member_max per member
    extra_votes_capital_step_fen: Mapped[int | None] = mapped_column(Int64)
    extra_votes_capital_threshold_fen: Mapped[int | None] = mapped_column(Int64)
    extra_votes_transactions_step_fen: Mapped[int | None] = mapped_column(Int64)
    extra_votes_transactions_threshold_fen: Mapped[int | None] = mapped_column(Int64)
    extra_votes_member_max: Mapped[int | None]

    # financial disclosure (财务公开): how often, and the single amount over
    # which an item is listed one by one (《村民委员会组织法》第三十条)
    disclosure_period: Mapped[str] = mapped_column(String(8), default=DisclosurePeriod.QUARTER)
    major_item_threshold_fen: Mapped[int] = mapped_column(Int64, default=DEFAULT_MAJOR_ITEM_FEN)

    created_at: Mapped[datetime] = mapped_column(default=clock.utcnow, server_default=func.now())
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    def class_band(self, share_class: ShareClass | str) -> tuple[int, int, int]:
        """(target, min, max) in basis points for one share class."""
        sc = ShareClass(share_class)
        return (
            getattr(self, f"{sc.value}_target_bp"),
            getattr(self, f"{sc.value}_min_bp"),
            getattr(self, f"{sc.value}_max_bp"),
        )

    def majority(self, kind: ResolutionKind | str) -> tuple[int, int] | None:
        """(numerator, denominator) of the charter's majority for ``kind``, or
        None where the charter keeps the law's."""
        kind = ResolutionKind(kind)
        num = getattr(self, f"majority_{kind.value}_num")
        den = getattr(self, f"majority_{kind.value}_den")
        return None if num is None or den is None else (num, den)

    @property
    def regime(self) -> LegalRegime:
        return LegalRegime(self.legal_regime)

    @property
    def words(self) -> Wording:
        """The words of the charter's regime (coop.cooperatives.wording)."""
        return words_for(self.legal_regime)

    @property
    def office_holder(self) -> str:
        """Whom a member turns to (a forgotten password, a disabled login, a
        meeting): the village's party secretary in a village collective, the
        chair in a farmers' specialized cooperative."""
        return self.words.office_holder

    @property
    def mode(self) -> DistributionMode:
        return DistributionMode(self.distribution_mode)

    def __repr__(self) -> str:
        return f"<Cooperative {self.code}>"


class YearClose(db.Model):
    """A closed (locked) fiscal year and the figures it was closed with.

    The machinery ledger computes the figures and closes the year; the close
    itself locks every dated record of the cooperative (``coop.cooperatives.closing``).
    """

    __tablename__ = "year_closes"
    __audit_label__ = "年度结账"
    __audit_labels__ = {
        "closed_at": "结账时间", "closed_by_id": "结账人（编号）",
        "service_income_members_fen": "成员作业收入", "service_income_nonmembers_fen": "非成员作业收入",
        "other_income_fen": "其他可分配收入", "nondistributable_income_fen": "不可分配收入（补助等）",
        "expenses_fen": "费用支出", "depreciation_fen": "折旧", "carried_surplus_fen": "上年结转盈余",
        "carried_loss_fen": "上年结转亏损", "surplus_fen": "可分配盈余",
        "carry_forward_fen": "结转下年", "distributed_fen": "已分配"}
    __table_args__ = (UniqueConstraint("cooperative_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cooperative_id: Mapped[int] = mapped_column(ForeignKey("cooperatives.id"))
    year: Mapped[int]
    closed_at: Mapped[datetime] = mapped_column(default=clock.utcnow)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    service_income_members_fen: Mapped[int] = mapped_column(Int64)
    service_income_nonmembers_fen: Mapped[int] = mapped_column(Int64)
    other_income_fen: Mapped[int] = mapped_column(Int64)
    nondistributable_income_fen: Mapped[int] = mapped_column(Int64)
    expenses_fen: Mapped[int] = mapped_column(Int64)
    depreciation_fen: Mapped[int] = mapped_column(Int64)
    carried_surplus_fen: Mapped[int] = mapped_column(Int64)
    carried_loss_fen: Mapped[int] = mapped_column(Int64)
    surplus_fen: Mapped[int] = mapped_column(Int64)
    # the part of a positive surplus kept undistributed (retained) at the close:
    # the year's plan distributes the rest
    carry_forward_fen: Mapped[int] = mapped_column(Int64, default=0)
    # what the year's approved plan distributed (funds + lines), written by the
    # dividends domain when a plan is approved; None while no plan is. The
    # next year carries surplus - distributed (docs/rules.md, "The year close and the surplus").
    distributed_fen: Mapped[int | None] = mapped_column(Int64)
    note: Mapped[str] = mapped_column(String(200), default="")


class YearReopening(db.Model):
    """A request to reopen a closed year and what became of it (two people:
    one asks with a reason, the supervisor confirms). Kept after the close it
    undid is gone, with the figures that close had frozen."""

    __tablename__ = "year_reopenings"
    __audit_label__ = "年度重新开账"
    __audit_labels__ = {
        "reason": "原因", "status": "状态", "requested_by_id": "申请人（编号）", "requested_at": "申请时间",
        "decided_by_id": "确认人（编号）", "decided_at": "确认时间", "closed_at": "原结账时间",
        "surplus_fen": "原可分配盈余", "carry_forward_fen": "原结转下年"}

    id: Mapped[int] = mapped_column(primary_key=True)
    cooperative_id: Mapped[int] = mapped_column(ForeignKey("cooperatives.id"), index=True)
    year: Mapped[int]
    reason: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16), default="pending")
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    requested_at: Mapped[datetime] = mapped_column(default=clock.utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]
    # the close it undid, as it was
    closed_at: Mapped[datetime | None]
    surplus_fen: Mapped[int | None] = mapped_column(Int64)
    carry_forward_fen: Mapped[int | None] = mapped_column(Int64)


class CooperativeMark(db.Model):
    """A random mark a cooperative gets anew, per topic, with every
    transaction that writes what the topic covers (``coop.cooperatives.marks``):
    figures read from those rows are kept per process for as long as the
    mark stays the same. A topic whose figures its writers carry forward
    keeps them here too (``figures``, as of the same commit)."""

    __tablename__ = "cooperative_marks"

    cooperative_id: Mapped[int] = mapped_column(ForeignKey("cooperatives.id"), primary_key=True)
    topic: Mapped[str] = mapped_column(String(20), primary_key=True)
    mark: Mapped[int] = mapped_column(Int64)
    figures: Mapped[dict | None] = mapped_column(JSON)
