"""Machinery domain tables. Money in integer fen, ratios in basis points,
areas in integer hundredths of a mu."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (CheckConstraint, ColumnElement, ForeignKey, Index, String, Text,
                        UniqueConstraint, literal_column, text)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coop.audit.api import AuditField
from coop import clock
from coop.cooperatives.api import outside_village_word
from coop.database import Int64
from coop.extensions import db
from coop.machinery.constants import (
    ClientKind,
    ExpenseKind,
    IncomeKind,
    MachineCategory,
    MachineSource,
    MachineStatus,
    PaymentMethod,
    Service,
    client_kind_label,
)


class Correctable:
    """An entry corrected by a reversing entry that points at it (``reverses_id``)."""

    @property
    def is_reversal(self) -> bool:
        return self.reverses_id is not None


class Machine(db.Model):
    """A machine of the cooperative (农机具), depreciated straight-line by month."""

    __tablename__ = "machines"
    __audit_label__ = "农机具"
    __audit_labels__ = {
        "name": "名称", "category": AuditField("类别", MachineCategory), "model": "型号",
        "plate": "牌照号", "acquired_on": "购置（入股）日期", "original_value_fen": "原值",
        "source": AuditField("来源", MachineSource), "useful_life_months": "使用年限（月）",
        "salvage_rate_bp": "残值率", "status": AuditField("状态", MachineStatus),
        "disposed_on": "处置日期"}
    __table_args__ = (
        CheckConstraint("original_value_fen >= 0", name="original_value_nonnegative"),
        CheckConstraint("useful_life_months > 0", name="useful_life_positive"),
        CheckConstraint("salvage_rate_bp >= 0 AND salvage_rate_bp <= 10000",
                        name="salvage_rate_range"),
        Index("ix_machines_coop_name", "cooperative_id", "name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cooperative_id: Mapped[int] = mapped_column(ForeignKey("cooperatives.id"))
    name: Mapped[str] = mapped_column(String(80))
    category: Mapped[str] = mapped_column(String(20), default=MachineCategory.TRACTOR)
    model: Mapped[str] = mapped_column(String(80), default="")
    plate: Mapped[str] = mapped_column(String(30), default="")
    acquired_on: Mapped[date]
    original_value_fen: Mapped[int] = mapped_column(Int64)
    source: Mapped[str] = mapped_column(String(24), default=MachineSource.PURCHASED)
    useful_life_months: Mapped[int] = mapped_column(default=120)
    salvage_rate_bp: Mapped[int] = mapped_column(default=500)
    status: Mapped[str] = mapped_column(String(16), default=MachineStatus.IN_SERVICE)
    # depreciation stops after the month of disposal
    disposed_on: Mapped[date | None]
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=clock.utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    @property
    def category_label(self) -> str:
        return MachineCategory(self.category).label

    @property
    def source_label(self) -> str:
        return MachineSource(self.source).label

    @property
    def status_label(self) -> str:
        return MachineStatus(self.status).label

    @property
    def is_disposed(self) -> bool:
        return self.status == MachineStatus.DISPOSED

    def __repr__(self) -> str:
        return f"<Machine {self.id} {self.name}>"


class OutsideClient(db.Model):
    """A client who is not a member: another village (嘎查村), a cooperative, a
    company or an individual. Members are clients as they are (members table)."""

    __tablename__ = "outside_clients"
    __audit_label__ = "作业客户"
    __audit_labels__ = {
        "kind": AuditField("客户类别", ClientKind), "name": "名称", "name_initials": "名称拼音首字母",
        "contact_person": "联系人", "phone": "电话", "address": "地址", "is_active": "在用"}
    __table_args__ = (
        UniqueConstraint("cooperative_id", "name"),
        Index("ix_outside_clients_coop_initials", "cooperative_id", "name_initials"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cooperative_id: Mapped[int] = mapped_column(ForeignKey("cooperatives.id"))
    kind: Mapped[str] = mapped_column(String(16), default=ClientKind.VILLAGE)
    name: Mapped[str] = mapped_column(String(80))
    name_initials: Mapped[str] = mapped_column(String(80), default="")
    contact_person: Mapped[str] = mapped_column(String(40), default="")
    phone: Mapped[str] = mapped_column(String(20), default="")
    address: Mapped[str] = mapped_column(String(120), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=clock.utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    @property
    def kind_label(self) -> str:
        return client_kind_label(self.kind, outside_village_word(self.cooperative_id))

    def __repr__(self) -> str:
        return f"<OutsideClient {self.id} {self.name}>"


class ServicePrice(db.Model):
    """The price of one service in one year: member price and market price, fen per mu."""

    __tablename__ = "service_prices"
    __audit_label__ = "作业价格"
    __audit_labels__ = {
        "service": AuditField("作业项目", Service), "member_price_fen": "成员价（每亩）",
        "market_price_fen": "市场价（每亩）"}
    __table_args__ = (
        UniqueConstraint("cooperative_id", "year", "service"),
        CheckConstraint("member_price_fen >= 0 AND market_price_fen >= 0",
                        name="prices_nonnegative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cooperative_id: Mapped[int] = mapped_column(ForeignKey("cooperatives.id"))
    year: Mapped[int]
    service: Mapped[str] = mapped_column(String(20))
    member_price_fen: Mapped[int] = mapped_column(Int64)
    market_price_fen: Mapped[int] = mapped_column(Int64)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}


def owed(amount_fen: int, reversed_fen: int, paid_fen: int, reverses_id: int | None) -> int:
    """What an order owes: its amount with its reversals' (0 or less) less
    what was paid against it; a reversal owes nothing."""
    return 0 if reverses_id is not None else amount_fen + reversed_fen - paid_fen


def unpaid_at_insert(amount_fen: int, reverses_id: int | None) -> int:
    """What a new order owes: nothing is paid or reversed yet."""
    return owed(amount_fen, 0, 0, reverses_id)


def _unpaid_at_insert(context) -> int:
    row = context.get_current_parameters()
    return unpaid_at_insert(row["amount_fen"], row.get("reverses_id"))


def owes() -> ColumnElement[bool]:
    """SQL: the order owes something. The literal 0 (not a bound parameter)
    lets SQLite use the partial indexes of the orders that owe, whose
    condition is ``unpaid_fen > 0``."""
    return ServiceOrder.unpaid_fen > literal_column("0")


class ServiceOrder(Correctable, db.Model):
    """A service order (作业单). The client is a member or an outside client.

    A correction of an order of a closed year is a new order in an open year
    with a negative area and amount, ``reverses_id`` pointing at the original.
    """

    __tablename__ = "service_orders"
    __audit_label__ = "作业单"
    __audit_ignore__ = frozenset({"unpaid_fen"})  # derived from the payments and reversals
    __audit_labels__ = {
        "order_no": "作业单号", "service_on": "作业日期", "client_id": "客户（编号）",
        "service": AuditField("作业项目", Service), "plot": "地块",
        "area_cmu": AuditField("面积", unit="亩"), "unit_price_fen": "单价（每亩）",
        "operator": "机手", "fuel_cl": AuditField("油耗", unit="升")}
    __table_args__ = (
        UniqueConstraint("cooperative_id", "order_no"),
        CheckConstraint(
            "(member_id IS NULL AND client_id IS NOT NULL)"
            " OR (member_id IS NOT NULL AND client_id IS NULL)",
            name="one_client"),
        CheckConstraint("(reverses_id IS NULL AND area_cmu > 0 AND amount_fen >= 0)"
                        " OR (reverses_id IS NOT NULL AND area_cmu <= 0 AND amount_fen <= 0)",
                        name="sign_by_kind"),
        CheckConstraint("unit_price_fen >= 0", name="price_nonnegative"),
        # the date indexes end with the id: the order list is newest first, ties by id
        Index("ix_service_orders_coop_date", "cooperative_id", "service_on", "id"),
        Index("ix_service_orders_coop_service_date", "cooperative_id", "service", "service_on", "id"),
        Index("ix_service_orders_member", "member_id"),
        Index("ix_service_orders_client", "client_id"),
        Index("ix_service_orders_machine", "machine_id"),
        Index("ix_service_orders_reverses", "reverses_id"),
        Index("ix_service_orders_unpaid", "cooperative_id", "service_on", "id",
              sqlite_where=text("unpaid_fen > 0"), postgresql_where=text("unpaid_fen > 0")),
        # the receivables report's GROUP BY client reads this index alone, in its order
        Index("ix_service_orders_unpaid_by_client", "cooperative_id", "member_id", "client_id",
              "service_on", "unpaid_fen", "reverses_id",
              sqlite_where=text("unpaid_fen > 0"), postgresql_where=text("unpaid_fen > 0")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cooperative_id: Mapped[int] = mapped_column(ForeignKey("cooperatives.id"))
    order_no: Mapped[str] = mapped_column(String(20))
    service_on: Mapped[date]
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    client_id: Mapped[int | None] = mapped_column(ForeignKey("outside_clients.id"))
    service: Mapped[str] = mapped_column(String(20))
    plot: Mapped[str] = mapped_column(String(80), default="")
    area_cmu: Mapped[int] = mapped_column(Int64)  # hundredths of a mu
    unit_price_fen: Mapped[int] = mapped_column(Int64)  # fen per mu
    amount_fen: Mapped[int] = mapped_column(Int64)
    machine_id: Mapped[int | None] = mapped_column(ForeignKey("machines.id"))
    operator: Mapped[str] = mapped_column(String(40), default="")
    fuel_cl: Mapped[int] = mapped_column(default=0)  # hundredths of a litre
    note: Mapped[str] = mapped_column(Text, default="")
    reverses_id: Mapped[int | None] = mapped_column(ForeignKey("service_orders.id"))
    # amount + reversals - every payment, kept by orders.refresh_unpaid; 0 for a reversal
    unpaid_fen: Mapped[int] = mapped_column(Int64, default=_unpaid_at_insert)
    created_at: Mapped[datetime] = mapped_column(default=clock.utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    member = relationship("Member", lazy="joined")
    client = relationship(OutsideClient, lazy="joined")
    machine = relationship(Machine, lazy="joined")

    @property
    def client_name(self) -> str:
        if self.member is not None:
            return self.member.name
        return self.client.name if self.client is not None else ""

    @property
    def client_ref(self) -> str:
        return f"m:{self.member_id}" if self.member_id else f"c:{self.client_id}"

    @property
    def client_kind(self) -> str:
        return ClientKind.MEMBER if self.member_id else self.client.kind

    @property
    def service_label(self) -> str:
        return Service(self.service).label


class ServicePayment(Correctable, db.Model):
    """Money received against one order. A reversal has a negative amount."""

    __tablename__ = "service_payments"
    __audit_label__ = "作业收款"
    __audit_labels__ = {
        "order_id": "作业单（编号）", "paid_on": "收款日期",
        "method": AuditField("收款方式", PaymentMethod)}
    __table_args__ = (
        CheckConstraint("(reverses_id IS NULL AND amount_fen > 0)"
                        " OR (reverses_id IS NOT NULL AND amount_fen < 0)",
                        name="sign_by_kind"),
        Index("ix_service_payments_order", "order_id"),
        Index("ix_service_payments_reverses", "reverses_id"),
        Index("ix_service_payments_coop_date", "cooperative_id", "paid_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cooperative_id: Mapped[int] = mapped_column(ForeignKey("cooperatives.id"))
    order_id: Mapped[int] = mapped_column(ForeignKey("service_orders.id"))
    paid_on: Mapped[date]
    amount_fen: Mapped[int] = mapped_column(Int64)
    method: Mapped[str] = mapped_column(String(16), default=PaymentMethod.CASH)
    note: Mapped[str] = mapped_column(String(200), default="")
    reverses_id: Mapped[int | None] = mapped_column(ForeignKey("service_payments.id"))
    created_at: Mapped[datetime] = mapped_column(default=clock.utcnow)

    @property
    def method_label(self) -> str:
        return PaymentMethod(self.method).label


class Expense(Correctable, db.Model):
    """An expense (fuel, repairs, wages, insurance, other), optionally of one machine."""

    __tablename__ = "expenses"
    __audit_label__ = "费用支出"
    __audit_labels__ = {
        "spent_on": "支出日期", "kind": AuditField("费用类别", ExpenseKind), "payee": "收款方",
        "method": AuditField("付款方式", PaymentMethod)}
    __table_args__ = (
        CheckConstraint("(reverses_id IS NULL AND amount_fen > 0)"
                        " OR (reverses_id IS NOT NULL AND amount_fen < 0)",
                        name="sign_by_kind"),
        Index("ix_expenses_coop_date", "cooperative_id", "spent_on"),
        Index("ix_expenses_machine", "machine_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cooperative_id: Mapped[int] = mapped_column(ForeignKey("cooperatives.id"))
    spent_on: Mapped[date]
    kind: Mapped[str] = mapped_column(String(16))
    machine_id: Mapped[int | None] = mapped_column(ForeignKey("machines.id"))
    amount_fen: Mapped[int] = mapped_column(Int64)
    payee: Mapped[str] = mapped_column(String(80), default="")
    # how it was paid; None for the expenses recorded before it was asked
    method: Mapped[str | None] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(String(200), default="")
    reverses_id: Mapped[int | None] = mapped_column(ForeignKey("expenses.id"))
    created_at: Mapped[datetime] = mapped_column(default=clock.utcnow)

    machine = relationship(Machine, lazy="joined")

    @property
    def kind_label(self) -> str:
        return ExpenseKind(self.kind).label

    @property
    def method_label(self) -> str:
        return PaymentMethod.label_of(self.method, "未登记")


class OtherIncome(Correctable, db.Model):
    """Income other than services: produce sales centre, rent, government grants
    (not distributable), other."""

    __tablename__ = "other_incomes"
    __audit_label__ = "其他收入"
    __audit_labels__ = {
        "received_on": "收入日期", "kind": AuditField("收入类别", IncomeKind),
        "distributable": "可分配", "payer": "付款方"}
    __table_args__ = (
        CheckConstraint("(reverses_id IS NULL AND amount_fen > 0)"
                        " OR (reverses_id IS NOT NULL AND amount_fen < 0)",
                        name="sign_by_kind"),
        Index("ix_other_incomes_coop_date", "cooperative_id", "received_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cooperative_id: Mapped[int] = mapped_column(ForeignKey("cooperatives.id"))
    received_on: Mapped[date]
    kind: Mapped[str] = mapped_column(String(20))
    distributable: Mapped[bool] = mapped_column(default=True)
    amount_fen: Mapped[int] = mapped_column(Int64)
    payer: Mapped[str] = mapped_column(String(80), default="")
    note: Mapped[str] = mapped_column(String(200), default="")
    reverses_id: Mapped[int | None] = mapped_column(ForeignKey("other_incomes.id"))
    created_at: Mapped[datetime] = mapped_column(default=clock.utcnow)

    @property
    def kind_label(self) -> str:
        return IncomeKind(self.kind).label


class OrderCounter(db.Model):
    """The last order number given in a cooperative's year. Numbers come from
    here, not from the highest order still in the table, so that the number
    of a deleted order is never given again (the audit log keeps it), and a
    number past 99,999 still counts on. Written with plain UPDATEs, outside
    the audit log: it is bookkeeping, not a record."""

    __tablename__ = "order_counters"

    cooperative_id: Mapped[int] = mapped_column(ForeignKey("cooperatives.id"), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last_no: Mapped[int]
