"""The public notice and the disclosure of a plan: one page of its lines on
screen (with a search by name or member number), or every line for print;
and the parts a plan splits among the members (``pools``), named as the plan
names them, for every page a member reads.

The notice's columns follow the plan's mode (``columns``): a joint-stock plan
shows the share class, the shares and the dividend; a specialized plan shows
each member's transactions with the cooperative and the part returned by
them, and the rest by what it follows (a plan by the book: capital, reserve
share and quantified grants, FSC art 44; otherwise shares), the land
guarantee where there is one, and the total. The draft disclosed to the
members before the assembly (``disclosure_table``) has the same columns,
its total headed 拟分配, and the cash beside the part turned into capital;
``basis_note`` says in words what the columns follow."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from sqlalchemy import Select, func, or_, select

from coop.cooperatives.api import DistributionMode
from coop.dividends.fsc_reading import ART_44, plan_conversion_text
from coop.dividends.models import DividendLine, DividendPlan
from coop.extensions import db
from coop.members.api import Member
from coop.paging import Page

PER_PAGE = 100


# -- the parts of a plan that go to the members line by line ---------------------


@dataclass(frozen=True)
class Pool:
    """A part of the distribution that goes to members line by line."""

    label: str  # as the plan's figures name it (coop.dividends.summary)
    heading: str  # a short column heading
    part_label: str  # a member's part of it, on their own card
    pool_fen: int
    key: str  # a line's attribute holding its part

    def of(self, line: DividendLine) -> int:
        return getattr(line, self.key)


BY_THE_BOOK = "按出资额、公积金份额和补助量化返还"


def pools(plan: DividendPlan) -> list[Pool]:
    """The plan's pools in the order they are taken: the land guarantee first
    (where there is one), patronage (where there is one), the rest. They add
    up to what the plan gives the members, and the lines of each add up to it."""
    out = []
    if plan.guaranteed_total_fen:
        out.append(Pool("土地保底收益", "土地保底", "土地保底收益", plan.guaranteed_total_fen,
                        "guaranteed_fen"))
    if plan.patronage_pool_fen:
        out.append(Pool("按交易量返还", "按交易量", "按交易量返还", plan.patronage_pool_fen,
                        "patronage_fen"))
    if plan.is_by_the_book:
        out.append(Pool(BY_THE_BOOK, "按出资等", BY_THE_BOOK, plan.capital_pool_fen,
                        "capital_fen"))
    else:
        out.append(Pool("按股分红总额", "按股分红", "按股分红", plan.capital_pool_fen, "capital_fen"))
    return out


def members_total_fen(plan: DividendPlan) -> int:
    """What the plan gives the members, all pools together."""
    return sum(p.pool_fen for p in pools(plan))


# -- the notice's table ------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One column of the notice's table after number, name and ID number.
    ``kind`` says how a cell is written: yuan, shares, mu or classes (the
    share classes, 无股份 for none); ``total_fen`` is the column's sum in the
    foot (None: no sum)."""

    heading: str
    key: str  # the row's attribute
    kind: str
    total_fen: int | None = None


def columns(plan: DividendPlan) -> list[Column]:
    """The notice's columns for ``plan``'s mode. A joint-stock plan: the
    share class, the shares and the dividend. A specialized plan: each pool's
    part beside what it follows (the land; the transactions; capital,
    reserve share and grants for a plan by the book, else shares), the
    total, and the part turned into capital where the plan converts any.
    The sums are the plan's own figures, which its lines add up to, to the
    fen."""
    total = members_total_fen(plan)
    if plan.mode != DistributionMode.SPECIALIZED:
        return [Column("股份类别", "share_class", "classes"), Column("股数", "shares", "shares"),
                Column("分红（元）", "total_fen", "yuan", total)]
    out = []
    if plan.guaranteed_total_fen:
        out += [Column("入股土地（亩）", "land_mu_hundredths", "mu"),
                Column("土地保底（元）", "guaranteed_fen", "yuan", plan.guaranteed_total_fen)]
    out += [Column("交易额（元）", "transactions_fen", "yuan", plan.total_transactions_fen),
            Column("按交易量返还（元）", "patronage_fen", "yuan", plan.patronage_pool_fen)]
    if plan.is_by_the_book:
        out += [Column("出资额等（元）", "rest_weight_fen", "yuan",
                       plan.rest_weight_fen),
                Column("按出资额等返还（元）", "capital_fen", "yuan", plan.capital_pool_fen)]
    else:
        out += [Column("股数", "shares", "shares"),
                Column("按股分红（元）", "capital_fen", "yuan", plan.capital_pool_fen)]
    out.append(Column("合计（元）", "total_fen", "yuan", total))
    if plan.converted_fen:
        out.append(Column("其中转为出资（元）", "converted_fen", "yuan", plan.converted_fen))
    return out


@dataclass(frozen=True)
class DisclosureTable:
    """The table of the draft put at the office for the members."""

    columns: list[Column]
    caption: str  # the unit, said once when the headings leave it out
    wide: bool  # more columns than an upright A4 page holds: printed across it


def disclosure_table(plan: DividendPlan) -> DisclosureTable:
    """The draft's table as put at the office for the members before the
    assembly (RCEO art 46, FSC art 40): the notice's columns (``columns``),
    the total headed as what the draft would give. A specialized plan's
    parts go beside what each follows, and where the plan turns part of
    each line into capital (FSC art 44 para 3) what is left to pay in cash
    comes after it; its many columns leave the unit to the caption, and the
    table is printed across the page."""
    cols = [Column("拟分配（元）", c.key, c.kind, c.total_fen) if c.key == "total_fen" else c
            for c in columns(plan)]
    if plan.mode != DistributionMode.SPECIALIZED:
        return DisclosureTable(cols, "", False)
    if plan.converted_fen:
        cols.append(Column("现金发放（元）", "cash_fen", "yuan",
                           members_total_fen(plan) - plan.converted_fen))
    return DisclosureTable([Column(c.heading.removesuffix("（元）"), c.key, c.kind, c.total_fen)
                            for c in cols], "金额单位：元", True)


def basis_note(plan: DividendPlan) -> str:
    """What the plan's parts follow, in a sentence under its figures: the
    transactions and the member accounts (FSC art 44) for a specialized plan
    by the book, else the shares on the record date (or share-days)."""
    if plan.is_by_the_book:
        return ("按交易量返还依据成员与本社的交易额，其余部分依据成员账户记载的出资额、公积金份额和国家财政"
                f"补助、捐赠量化份额（{ART_44}；表中“出资额等”即三者之和），"
                f"登记日 {plan.record_date:%Y-%m-%d}。")
    shares = f"按股分红{plan.basis_label}，股权登记日 {plan.record_date:%Y-%m-%d}。"
    if plan.patronage_pool_fen:
        return f"按交易量返还依据成员与本社的交易额；{shares}"
    return shares


def disclosure_notes(plan: DividendPlan) -> list[str]:
    """The sentences under the draft's figures: what its parts follow, and the
    part of each line it turns into capital (FSC art 44 para 3) if any."""
    conversion = [f"盈余转为出资：{plan_conversion_text(plan)}。"] if plan.conversion_bp else []
    return [basis_note(plan)] + conversion


@dataclass(frozen=True)
class Row:
    """One line of the notice (no phone, the ID number masked by the page)."""

    member_no: str
    name: str
    id_number: str | None
    share_class: str
    shares: int
    total_fen: int
    kind: str
    land_mu_hundredths: int
    transactions_fen: int
    guaranteed_fen: int
    patronage_fen: int
    capital_fen: int
    rest_weight_fen: int
    converted_fen: int

    @property
    def cash_fen(self) -> int:
        """What is paid in cash: the total less the part turned into capital."""
        return self.total_fen - self.converted_fen


_ROW_COLUMNS = (DividendLine.member_no, DividendLine.name, Member.id_number,
                DividendLine.share_class, DividendLine.shares, DividendLine.total_fen,
                DividendLine.kind, DividendLine.land_mu_hundredths, DividendLine.transactions_fen,
                DividendLine.guaranteed_fen, DividendLine.patronage_fen, DividendLine.capital_fen,
                DividendLine.capital_basis_fen + DividendLine.reserve_total_fen
                + DividendLine.grants_total_fen,
                DividendLine.converted_fen)


class NoticePage(Page):
    """A page of the notice's rows, with the plan's columns."""

    def __init__(self, items: list[Row], page: int, per_page: int, total: int,
                 columns_: list[Column]):
        super().__init__(items, page, per_page, total)
        self.columns = columns_


class NoticeRows:
    """Every row of the notice in member number order, read as it is
    iterated (the printable notice streams them), with the plan's columns."""

    def __init__(self, plan: DividendPlan):
        self.plan = plan
        self.columns = columns(plan)

    def __iter__(self) -> Iterator[Row]:
        rows = db.session.execute(
            select(*_ROW_COLUMNS).join(Member, Member.id == DividendLine.member_id)
            .where(DividendLine.plan_id == self.plan.id)
            .order_by(DividendLine.member_no, DividendLine.member_id))
        for row in rows:
            yield Row(*row)


def notice_rows(plan: DividendPlan) -> NoticeRows:
    return NoticeRows(plan)


def _lines(plan: DividendPlan, q: str) -> Select:
    query = select(DividendLine.member_no).where(DividendLine.plan_id == plan.id)
    if q:
        query = query.where(or_(DividendLine.member_no == q, DividendLine.name.contains(q, autoescape=True)))
    return query


def notice_page(plan: DividendPlan, page: int, q: str = "") -> NoticePage:
    """The lines of ``page`` (the last page when past it), in member number order."""
    total = db.session.scalar(select(func.count()).select_from(_lines(plan, q).subquery())) or 0
    last = max(1, -(-total // PER_PAGE))
    page = min(page, last)
    query = (_lines(plan, q).with_only_columns(*_ROW_COLUMNS)
             .join(Member, Member.id == DividendLine.member_id)
             .order_by(DividendLine.member_no)
             .limit(PER_PAGE).offset((page - 1) * PER_PAGE))
    return NoticePage([Row(*row) for row in db.session.execute(query)], page, PER_PAGE, total,
                      columns(plan))
