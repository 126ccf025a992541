"""The bank's batch-payment list of a plan (银行代发清单): a row per owed line
whose member has bank details (序号、户名、身份证号、开户行、账号、金额), the
lines without bank details on a second sheet to pay in cash. Making the list
records which lines it listed as a numbered batch (coop.dividends.payments),
which "按代发清单发放" later marks paid."""
from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO

from sqlalchemy import func, select

from coop import clock
from coop.cooperatives.api import Cooperative
from coop.dividends.constants import PlanStatus
from coop.dividends.models import DividendLine, DividendPlan, PaymentBatch
from coop.dividends.payments import record_bank_list
from coop.errors import ServiceError
from coop.extensions import db
from coop.members.api import Member
from coop.workbooks import Table, Yuan, workbook

BANK_HEADERS = ("序号", "户名", "身份证号", "开户行", "账号", "金额")
CASH_HEADERS = ("序号", "成员编号", "姓名", "身份证号", "金额", "领取人签字")


@dataclass(frozen=True)
class ListedLine:
    line_id: int
    member_no: str
    name: str
    holder: str
    id_number: str
    bank_name: str
    account: str
    amount_fen: int


@dataclass(frozen=True)
class BankList:
    bank: list[ListedLine]
    cash: list[ListedLine]
    batch: PaymentBatch | None = None  # the recorded list (None: nothing for the bank)


def refusal(plan: DividendPlan) -> str | None:
    """Why the plan has no bank list yet (None: it has one)."""
    if plan.status in (PlanStatus.DRAFT, PlanStatus.APPROVED):
        return "方案须表决通过并登记公示后才能生成银行代发清单"
    if plan.superseded_by_id is not None:
        return "此版本已被新版本取代，只能查看"
    return None


@dataclass(frozen=True)
class BankCounts:
    """The plan's owed lines to pay in money, by whether the member has bank
    details: what the list would hold for the bank and what for cash."""

    bank: int
    cash: int

    @property
    def warning(self) -> str | None:
        if self.bank == 0 and self.cash > 0:
            return (f"尚未发放的 {self.cash} 人都没有登记开户行和账号，代发清单会是空的，只有现金发放名单。"
                    "需要银行代发的，请先在成员资料中填写开户行和账号。")
        return None


def _owed_in_money(plan: DividendPlan) -> tuple:
    """The plan's unpaid lines with something to pay in money (more than the
    part turned into capital): what the bank list lists and counts."""
    return (DividendLine.plan_id == plan.id, DividendLine.paid_on.is_(None), DividendLine.total_fen > 0,
            DividendLine.total_fen > DividendLine.converted_fen)


def _has_bank_details():
    return (func.coalesce(Member.bank_account, "") != "") & (func.coalesce(Member.bank_name, "") != "")


def bank_counts(plan: DividendPlan) -> BankCounts:
    """How many owed lines the bank list would list for the bank and for cash."""
    with_bank = _has_bank_details()
    row = db.session.execute(
        select(func.count().filter(with_bank), func.count().filter(~with_bank))
        .select_from(DividendLine).join(Member, Member.id == DividendLine.member_id)
        .where(*_owed_in_money(plan))).one()
    return BankCounts(bank=row[0], cash=row[1])


def bank_list(plan: DividendPlan) -> BankList:
    """The plan's owed lines (unpaid, something to pay in money), split by
    whether the member has bank details; refused before the plan is published."""
    if (message := refusal(plan)) is not None:
        raise ServiceError(message)
    rows = db.session.execute(
        select(DividendLine, Member).join(Member, Member.id == DividendLine.member_id)
        .where(*_owed_in_money(plan))
        .order_by(DividendLine.member_no, DividendLine.member_id))
    bank: list[ListedLine] = []
    cash: list[ListedLine] = []
    for line, member in rows:
        listed = ListedLine(line.id, line.member_no, line.name, member.bank_holder_name,
                            member.id_number or "", member.bank_name, member.bank_account,
                            line.cash_fen)
        (bank if member.has_bank_account else cash).append(listed)
    return BankList(bank, cash)


def make_bank_list(plan: DividendPlan, user_id: int | None) -> BankList:
    """The plan's bank list, recorded: the lines it lists for the bank become
    a numbered batch (the same number again while nothing changed)."""
    listed = bank_list(plan)
    batch = record_bank_list(plan, [(x.line_id, x.amount_fen) for x in listed.bank], user_id)
    return BankList(listed.bank, listed.cash, batch)


def _total(lines: list[ListedLine]) -> Yuan:
    return Yuan(sum(x.amount_fen for x in lines))


def bank_list_workbook(coop: Cooperative, plan: DividendPlan, listed: BankList) -> BytesIO:
    """Sheet 1 for the bank, sheet 2 the lines to pay in cash; totals on each."""
    made = f"制表日期 {clock.today():%Y-%m-%d}"
    head = f"{coop.name} {plan.year} 年度分红（第 {plan.version_no} 版）"
    number = f"第 {listed.batch.number} 号" if listed.batch is not None else ""
    bank = Table(sheet="银行代发", title=f"{head}银行代发清单{number}  {made}", headers=BANK_HEADERS,
                 rows=[[i, x.holder, x.id_number, x.bank_name, x.account, Yuan(x.amount_fen)]
                       for i, x in enumerate(listed.bank, start=1)],
                 totals=["合计", f"{len(listed.bank)} 人", "", "", "", _total(listed.bank)],
                 widths={2: 14, 3: 22, 4: 24, 5: 26})
    cash = Table(sheet="现金发放", title=f"{head}现金发放名单（无银行账户）  {made}",
                 headers=CASH_HEADERS,
                 rows=[[i, x.member_no, x.name, x.id_number, Yuan(x.amount_fen), ""]
                       for i, x in enumerate(listed.cash, start=1)],
                 totals=["合计", f"{len(listed.cash)} 人", "", "", _total(listed.cash), ""],
                 widths={3: 14, 4: 22, 6: 16})
    return workbook(bank, cash)
