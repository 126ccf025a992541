from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coop.audit.api import AuditField
from coop import clock
from coop.cooperatives.api import DistributionMode, ReserveBasis
from coop.database import Int64
from coop.dividends.constants import BatchKind, ItemState, PayoutMethod, PlanStatus, WeightBasis
from coop.dividends.summary import distribution_rows, plan_surplus_rows
from coop.extensions import db
from coop.machinery.api import SurplusRow
from coop.members.api import MemberKind


class DividendPlan(db.Model):
    """One version of a year's distribution plan, with the snapshot of its inputs.

    A draft may be recomputed; from approval on, every column but the
    publication and payment fields is frozen. A change after approval is a
    new plan row (``version_no`` + 1, ``supersedes_id``); when that one is
    approved, the old one gets ``superseded_by_id``.
    """

    __tablename__ = "dividend_plans"
    __audit_label__ = "分红方案"
    __audit_labels__ = {
        "version_no": "版本", "supersedes_id": "替代的方案（编号）",
        "superseded_by_id": "被替代为方案（编号）", "status": AuditField("状态", PlanStatus),
        "is_preview": "试算", "mode": AuditField("分配方式", DistributionMode),
        "weight_basis": AuditField("分配依据", WeightBasis), "record_date": "股权登记日",
        "service_income_members_fen": "成员作业收入", "service_income_nonmembers_fen": "非成员作业收入",
        "other_income_fen": "其他可分配收入", "nondistributable_income_fen": "不可分配收入（补助等）",
        "expenses_fen": "费用支出", "depreciation_fen": "折旧", "carried_surplus_fen": "上年结转盈余",
        "carried_loss_fen": "上年结转亏损", "surplus_fen": "可分配盈余", "retained_fen": "留存结转",
        "reserve_rate_bp": "公积金提取比例", "welfare_rate_bp": "公益金提取比例",
        "risk_rate_bp": "风险金提取比例", "patronage_rate_bp": "按交易量返还比例",
        "guaranteed_fen_per_mu": "土地保底收益（每亩）", "par_value_fen": "每股面值",
        "reserve_basis": AuditField("公积金量化方式", ReserveBasis), "year_grants_fen": "本年国家补助",
        "member_count": "成员人数", "conversion_bp": "盈余转增股本比例", "reserve_fen": "公积金",
        "welfare_fen": "公益金", "risk_fen": "风险金", "distributable_fen": "可供分配",
        "guaranteed_total_fen": "土地保底收益合计", "patronage_pool_fen": "按交易量返还总额",
        "capital_pool_fen": "按股分红总额", "total_weight": "分配权重合计",
        "total_shares": "股份合计", "total_transactions_fen": "交易额合计", "line_count": "明细行数",
        "computed_at": "计算时间", "rest_weight_fen": "其余部分权重合计",
        "converted_fen": "转增股本金额", "converted_shares": "转增股数", "reviewed_at": "审核时间",
        "reviewed_by_id": "审核人（编号）", "review_note": "审核意见", "returned_at": "退回时间",
        "returned_reason": "退回原因", "disclosed_on": "向成员公开日期", "disclosed_at": "公开登记时间",
        "resolution_item_id": "表决议题（编号）", "assembly_date": "大会日期",
        "households_total": "应到", "households_present": "实到", "approved_at": "表决通过时间",
        "published_at": "公示时间"}
    __table_args__ = (
        UniqueConstraint("cooperative_id", "year", "version_no"),
        Index("ix_dividend_plans_coop_year", "cooperative_id", "year"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cooperative_id: Mapped[int] = mapped_column(ForeignKey("cooperatives.id"))
    year: Mapped[int]
    version_no: Mapped[int] = mapped_column(default=1)
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("dividend_plans.id"))
    superseded_by_id: Mapped[int | None] = mapped_column(ForeignKey("dividend_plans.id"))
    status: Mapped[str] = mapped_column(String(16), default=PlanStatus.DRAFT)
    is_preview: Mapped[bool] = mapped_column(default=False)  # year still open when computed

    # inputs (snapshot)
    mode: Mapped[str] = mapped_column(String(16))
    weight_basis: Mapped[str] = mapped_column(String(16), default=WeightBasis.RECORD_DATE)
    record_date: Mapped[date]
    service_income_members_fen: Mapped[int] = mapped_column(Int64, default=0)
    service_income_nonmembers_fen: Mapped[int] = mapped_column(Int64, default=0)
    other_income_fen: Mapped[int] = mapped_column(Int64, default=0)
    nondistributable_income_fen: Mapped[int] = mapped_column(Int64, default=0)
    expenses_fen: Mapped[int] = mapped_column(Int64, default=0)
    depreciation_fen: Mapped[int] = mapped_column(Int64, default=0)
    carried_surplus_fen: Mapped[int] = mapped_column(Int64, default=0)
    carried_loss_fen: Mapped[int] = mapped_column(Int64, default=0)
    surplus_fen: Mapped[int] = mapped_column(Int64, default=0)
    # kept undistributed at the year's close, carried to the next year
    retained_fen: Mapped[int] = mapped_column(Int64, default=0)
    reserve_rate_bp: Mapped[int] = mapped_column(default=0)
    welfare_rate_bp: Mapped[int] = mapped_column(default=0)
    risk_rate_bp: Mapped[int] = mapped_column(default=0)
    patronage_rate_bp: Mapped[int] = mapped_column(default=0)
    guaranteed_fen_per_mu: Mapped[int] = mapped_column(Int64, default=0)
    par_value_fen: Mapped[int] = mapped_column(Int64, default=100)
    # specialized mode (FSC arts 42-44): how the reserve is quantified, the
    # year's grants and donations quantified equally to ``member_count``
    # members, and the part of each member's total turned into capital
    reserve_basis: Mapped[str] = mapped_column(String(16), default="", server_default="")
    year_grants_fen: Mapped[int] = mapped_column(Int64, default=0, server_default="0")
    member_count: Mapped[int] = mapped_column(default=0, server_default="0")
    conversion_bp: Mapped[int] = mapped_column(default=0, server_default="0")

    # results
    reserve_fen: Mapped[int] = mapped_column(Int64, default=0)
    welfare_fen: Mapped[int] = mapped_column(Int64, default=0)
    risk_fen: Mapped[int] = mapped_column(Int64, default=0)
    distributable_fen: Mapped[int] = mapped_column(Int64, default=0)  # D after the funds
    guaranteed_total_fen: Mapped[int] = mapped_column(Int64, default=0)
    patronage_pool_fen: Mapped[int] = mapped_column(Int64, default=0)
    capital_pool_fen: Mapped[int] = mapped_column(Int64, default=0)
    total_weight: Mapped[int] = mapped_column(Int64, default=0)
    total_shares: Mapped[int] = mapped_column(Int64, default=0)
    total_transactions_fen: Mapped[int] = mapped_column(Int64, default=0)
    line_count: Mapped[int] = mapped_column(default=0)
    computed_at: Mapped[datetime | None]
    # specialized mode: the rest pool's total weight (capital + reserve
    # shares + grants, fen) and what the conversion turns into capital
    rest_weight_fen: Mapped[int] = mapped_column(Int64, default=0, server_default="0")
    converted_fen: Mapped[int] = mapped_column(Int64, default=0, server_default="0")
    converted_shares: Mapped[int] = mapped_column(Int64, default=0, server_default="0")

    # the supervisor's review (监事审核): signed off, or returned with a reason
    reviewed_at: Mapped[datetime | None]
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    review_note: Mapped[str | None] = mapped_column(String(500))
    returned_at: Mapped[datetime | None]
    returned_reason: Mapped[str | None] = mapped_column(String(500))
    # disclosure to the members (公开) before the meeting: from this day on
    disclosed_on: Mapped[date | None]
    disclosed_at: Mapped[datetime | None]
    # the agenda item whose passing approved the plan; None on a plan approved
    # under the old rule (household counts typed by the secretary)
    resolution_item_id: Mapped[int | None]

    # approval: the meeting's date and resolution; household counts only on
    # plans recorded under the old rule (一户一票)
    assembly_date: Mapped[date | None]
    households_total: Mapped[int | None]
    households_present: Mapped[int | None]
    votes_for: Mapped[int | None]
    votes_against: Mapped[int | None]
    votes_abstain: Mapped[int | None]
    resolution_no: Mapped[str | None] = mapped_column(String(60))
    approved_at: Mapped[datetime | None]

    # public notice (公示); published_at is when it was recorded (UTC)
    notice_start: Mapped[date | None]
    notice_days: Mapped[int | None]
    published_at: Mapped[datetime | None]

    created_at: Mapped[datetime] = mapped_column(default=clock.utcnow)
    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version}

    @property
    def status_label(self) -> str:
        return PlanStatus(self.status).label

    @property
    def audit_title(self) -> str:
        """How the audit log names the plan (it has no name column)."""
        return f"{self.year} 年度"

    @property
    def awaits_change(self) -> bool:
        """Returned by the supervisor and not changed since: no review until it is."""
        return self.returned_at is not None

    @property
    def progress_label(self) -> str:
        """The status, and for a draft how far its way to the meeting has
        come: it stays a draft in law until the meeting decides, which a
        secretary reads as 'nothing happened'."""
        if not self.is_draft or self.is_preview:
            return self.status_label
        if self.is_disclosed:
            return f"{self.status_label}（已向成员公开，待会议表决）"
        if self.is_reviewed:
            return f"{self.status_label}（监事已审核，待向成员公开）"
        if self.awaits_change:
            return f"{self.status_label}（监事退回，待修改）"
        if self.returned_reason:
            return f"{self.status_label}（已按退回意见修改，待监事重新审核）"
        return f"{self.status_label}（待监事审核）"

    @property
    def mode_label(self) -> str:
        try:
            return DistributionMode(self.mode).label
        except ValueError:
            return self.mode

    @property
    def basis_label(self) -> str:
        return WeightBasis(self.weight_basis).label

    @property
    def is_draft(self) -> bool:
        return self.status == PlanStatus.DRAFT

    @property
    def is_reviewed(self) -> bool:
        return self.reviewed_at is not None

    @property
    def is_disclosed(self) -> bool:
        return self.disclosed_on is not None

    @property
    def under_old_rule(self) -> bool:
        """Approved before approval went through a meeting (typed household counts)."""
        return self.is_frozen and self.resolution_item_id is None

    @property
    def vote_unit(self) -> str:
        """What the votes on the plan count: households under the old rule
        (one vote a household, typed), votes (票) since plans pass at a meeting."""
        return "户" if self.under_old_rule else "票"

    @property
    def is_frozen(self) -> bool:
        """Approved or later: nothing but publication and payment changes."""
        return self.status != PlanStatus.DRAFT

    @property
    def is_approved(self) -> bool:
        """Approved and not yet published (the notice is the next step)."""
        return self.status == PlanStatus.APPROVED

    @property
    def is_published(self) -> bool:
        """Published and not yet paid in full (payments are the next step)."""
        return self.status == PlanStatus.PUBLISHED

    @property
    def is_paid(self) -> bool:
        return self.status == PlanStatus.PAID

    @property
    def is_noticed(self) -> bool:
        """The notice has been published: published or paid."""
        return self.status in (PlanStatus.PUBLISHED, PlanStatus.PAID)

    @property
    def is_revisable(self) -> bool:
        """A new version may be started on it (approved or published)."""
        return self.status in (PlanStatus.APPROVED, PlanStatus.PUBLISHED)

    @property
    def is_current(self) -> bool:
        """Not superseded by a newer approved version."""
        return self.superseded_by_id is None

    @property
    def is_by_the_book(self) -> bool:
        """A specialized cooperative's plan with member accounts (FSC arts 42-44)."""
        return self.mode == DistributionMode.SPECIALIZED and bool(self.reserve_basis)

    @property
    def reserve_basis_label(self) -> str:
        return ReserveBasis.label_of(self.reserve_basis, "").removesuffix("（默认）")

    @property
    def by_share_days(self) -> bool:
        return self.weight_basis == WeightBasis.SHARE_DAYS

    @property
    def weight_unit(self) -> str:
        """What a line's weight counts: share-days or shares."""
        return "股·天" if self.by_share_days else "股数"

    @property
    def surplus_rows(self) -> list[SurplusRow]:
        return plan_surplus_rows(self)

    @property
    def distribution_rows(self) -> list[SurplusRow]:
        return distribution_rows(self)

    @property
    def to_distribute_fen(self) -> int:
        """S: the year's surplus less what was retained at the close."""
        return self.surplus_fen - self.retained_fen

    @property
    def after_reserve_fen(self) -> int:
        """S less the reserve: a specialized cooperative's distributable surplus
        (FSC art 44), of which the patronage pool is at least the charter's rate."""
        return self.to_distribute_fen - self.reserve_fen

    @property
    def is_specialized(self) -> bool:
        return self.mode == DistributionMode.SPECIALIZED

    @property
    def distributed_fen(self) -> int:
        """What the plan distributes, funds and lines together (0 when S <= 0)."""
        return max(self.to_distribute_fen, 0)

    @property
    def nothing_to_distribute(self) -> bool:
        return self.to_distribute_fen <= 0


class DividendLine(db.Model):
    """One holder's part of a plan. Written in bulk (Core insert; the plan's
    own audit entry records the computation); a payment of one line is
    audited like any update."""

    __tablename__ = "dividend_lines"
    __audit_label__ = "分红明细"
    __audit_labels__ = {
        "member_no": "成员编号", "name": "姓名", "kind": AuditField("成员类别", MemberKind),
        "share_class": "持股类别", "shares": "股数", "weight": "分配权重",
        "land_mu_hundredths": AuditField("入股土地", unit="亩"), "transactions_fen": "交易额",
        "guaranteed_fen": "土地保底收益", "patronage_fen": "按交易量返还", "capital_fen": "按股分红",
        "total_fen": "合计", "capital_basis_fen": "出资额", "reserve_share_fen": "公积金份额",
        "reserve_total_fen": "公积金份额累计", "grant_share_fen": "本年补助量化",
        "grants_total_fen": "补助量化累计", "converted_fen": "转增股本金额",
        "converted_shares": "转增股数", "paid_on": "发放日期",
        "payment_method": AuditField("发放方式", PayoutMethod),
        "payment_batch_id": "发放批次（编号）",
        # an entry for the lines a payment batch paid at once (dividends.payments.audit_lines)
        "lines": "明细行数", "plan_id": "分红方案（编号）", "reversal_reason": "冲销原因"}
    __table_args__ = (
        # one line a member (numbers are unique in a cooperative), and the
        # order the lines are listed and searched in; one index fewer to
        # maintain than (plan, member id) plus (plan, number) - migration 0009
        UniqueConstraint("plan_id", "member_no"),
        Index("ix_dividend_lines_member", "member_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("dividend_plans.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    member_no: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(60))
    kind: Mapped[str] = mapped_column(String(16))
    share_class: Mapped[str] = mapped_column(String(40), default="")  # classes held, "+"-joined
    shares: Mapped[int] = mapped_column(Int64, default=0)  # on the record date
    weight: Mapped[int] = mapped_column(Int64, default=0)  # shares or share-days
    land_mu_hundredths: Mapped[int] = mapped_column(Int64, default=0)
    transactions_fen: Mapped[int] = mapped_column(Int64, default=0)
    guaranteed_fen: Mapped[int] = mapped_column(Int64, default=0)
    patronage_fen: Mapped[int] = mapped_column(Int64, default=0)
    capital_fen: Mapped[int] = mapped_column(Int64, default=0)
    total_fen: Mapped[int] = mapped_column(Int64, default=0)
    # specialized mode (FSC arts 42-44): the rest pool's weight and its parts,
    # this year's quantified reserve and grants, and the part of the total
    # turned into capital (whole shares at par); 0 in joint-stock mode
    capital_basis_fen: Mapped[int] = mapped_column(Int64, default=0, server_default="0")
    reserve_share_fen: Mapped[int] = mapped_column(Int64, default=0, server_default="0")
    reserve_total_fen: Mapped[int] = mapped_column(Int64, default=0, server_default="0")
    grant_share_fen: Mapped[int] = mapped_column(Int64, default=0, server_default="0")
    grants_total_fen: Mapped[int] = mapped_column(Int64, default=0, server_default="0")
    converted_fen: Mapped[int] = mapped_column(Int64, default=0, server_default="0")
    converted_shares: Mapped[int] = mapped_column(Int64, default=0, server_default="0")
    paid_on: Mapped[date | None]
    payment_method: Mapped[str | None] = mapped_column(String(20))
    # the batch whose payment of this line stands (None: unpaid)
    payment_batch_id: Mapped[int | None] = mapped_column(
        ForeignKey("dividend_payment_batches.id"), index=True)

    plan: Mapped[DividendPlan] = relationship()

    @property
    def cooperative_id(self) -> int:
        """For the audit log, which files entries by cooperative."""
        return self.plan.cooperative_id

    @property
    def is_collective(self) -> bool:
        return self.kind == MemberKind.COLLECTIVE

    @property
    def rest_weight_fen(self) -> int:
        """Specialized mode: the weight of the rest pool (capital + reserve share + grants)."""
        return self.capital_basis_fen + self.reserve_total_fen + self.grants_total_fen

    @property
    def cash_fen(self) -> int:
        """What is paid in cash: the total less the part turned into capital."""
        return self.total_fen - self.converted_fen

    @property
    def is_payable(self) -> bool:
        """Something to pay out (a line of 0 is never paid)."""
        return self.total_fen > 0

    @property
    def is_owed(self) -> bool:
        return self.is_payable and self.paid_on is None

    @property
    def payment_method_label(self) -> str:
        return PayoutMethod.label_of(self.payment_method, "")



class PaymentBatch(db.Model):
    """One payment act of a plan: one line paid, every unpaid line paid at
    once (全部发放), or a bank batch-payment list (银行代发清单) recorded when
    it was made and paid later with method 银行代发. Its items say which lines
    it listed or paid. A reversal (撤销发放) keeps the batch and records who
    reversed it, when and why; the lines it paid are owed again."""

    __tablename__ = "dividend_payment_batches"
    __audit_label__ = "分红发放批次"
    __audit_labels__ = {
        "number": "批次号", "kind": AuditField("批次类别", BatchKind), "paid_on": "发放日期",
        "method": AuditField("发放方式", PayoutMethod), "line_count": "人数",
        "cash_fen": "现金发放金额", "paid_by_id": "发放登记人（编号）", "paid_at": "发放登记时间",
        "reversed_at": "撤销时间", "reversed_by_id": "撤销人（编号）", "reversal_reason": "撤销原因"}
    __table_args__ = (UniqueConstraint("plan_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cooperative_id: Mapped[int] = mapped_column(ForeignKey("cooperatives.id"))
    plan_id: Mapped[int] = mapped_column(ForeignKey("dividend_plans.id", ondelete="CASCADE"))
    number: Mapped[int]  # 1, 2 ... within the plan
    kind: Mapped[str] = mapped_column(String(16))
    # the lines it listed (a bank list) or paid, and their cash
    line_count: Mapped[int] = mapped_column(default=0)
    cash_fen: Mapped[int] = mapped_column(Int64, default=0)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=clock.utcnow)
    # the payment (a bank list: once paid by it)
    paid_on: Mapped[date | None]
    method: Mapped[str | None] = mapped_column(String(20))
    paid_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    paid_at: Mapped[datetime | None]
    # its reversal as a whole
    reversed_at: Mapped[datetime | None]
    reversed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reversal_reason: Mapped[str | None] = mapped_column(String(200))

    @property
    def kind_label(self) -> str:
        return BatchKind.label_of(self.kind, self.kind)

    @property
    def method_label(self) -> str:
        return PayoutMethod.label_of(self.method, "")

    @property
    def is_paid(self) -> bool:
        return self.paid_on is not None

    @property
    def is_reversed(self) -> bool:
        return self.reversed_at is not None

    @property
    def is_bank_list(self) -> bool:
        return self.kind == BatchKind.BANK


class PaymentItem(db.Model):
    """One line of a batch: listed (a bank list not yet paid), paid, skipped
    (paid otherwise before the list was), or reversed, with who reversed it,
    when and why. Written in bulk with the batch (its audit entry records
    them); a reversal of one line is audited like any update."""

    __tablename__ = "dividend_payment_items"
    __audit_label__ = "分红发放明细记录"
    __audit_labels__ = {
        "batch_id": "发放批次（编号）", "line_id": "分红明细（编号）", "cash_fen": "现金发放金额",
        "state": AuditField("状态", ItemState), "reversed_at": "撤销时间",
        "reversed_by_id": "撤销人（编号）", "reversal_reason": "撤销原因"}
    __table_args__ = (UniqueConstraint("batch_id", "line_id"),
                      Index("ix_dividend_payment_items_line", "line_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("dividend_payment_batches.id",
                                                     ondelete="CASCADE"))
    line_id: Mapped[int] = mapped_column(ForeignKey("dividend_lines.id", ondelete="CASCADE"))
    cash_fen: Mapped[int] = mapped_column(Int64, default=0)
    state: Mapped[str] = mapped_column(String(16))
    reversed_at: Mapped[datetime | None]
    reversed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reversal_reason: Mapped[str | None] = mapped_column(String(200))

    batch: Mapped[PaymentBatch] = relationship()
    line: Mapped[DividendLine] = relationship()

    @property
    def cooperative_id(self) -> int:
        """For the audit log, which files entries by cooperative."""
        return self.batch.cooperative_id

    @property
    def state_label(self) -> str:
        return ItemState.label_of(self.state, self.state)
