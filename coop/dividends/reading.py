"""Reading distribution plans: which plans a cooperative has, the effective
plan of a year, a plan's lines (browsed, totalled, compared, exported), its
waterfall and the printable notice. Reads only.

A year may have several drafts (one per weight basis, so that record-date and
share-days plans can be compared side by side) and at most one *effective*
plan: approved or later and not superseded (docs/rules.md, "The distribution").
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import IO, Any, NamedTuple

from sqlalchemy import func, or_, select

from coop import clock
from coop.auth.api import Role, has_enabled_user
from coop.cooperatives.api import DistributionMode, ShareClass
from coop.dividends import fsc_reading, rules
from coop.dividends.constants import PlanStatus
from coop.dividends.models import DividendLine, DividendPlan
from coop.errors import RecordNotFound, ServiceError
from coop.extensions import db
from coop.machinery.api import awaiting_plan_fen, closed_years, ledger_years
from coop.members.api import Member, MemberKind
from coop.money import format_percent, format_yuan
from coop.spreadsheets import csv_writer

LINES_PER_PAGE = 50


def get_line(plan: DividendPlan, line_id: int) -> DividendLine:
    """The line ``line_id`` of ``plan`` (a plan the caller loaded as its
    cooperative's); ``RecordNotFound`` when the plan has no such line."""
    line = db.session.scalar(select(DividendLine).where(
        DividendLine.id == line_id, DividendLine.plan_id == plan.id))
    if line is None:
        raise RecordNotFound(DividendLine.__name__)
    return line


def plans_of(coop_id: int) -> list[DividendPlan]:
    return list(db.session.scalars(
        select(DividendPlan).where(DividendPlan.cooperative_id == coop_id)
        .order_by(DividendPlan.year.desc(), DividendPlan.version_no.desc())))


def siblings(plan: DividendPlan) -> list[DividendPlan]:
    """The other versions of the plan's year, newest first."""
    return list(db.session.scalars(
        select(DividendPlan).where(DividendPlan.cooperative_id == plan.cooperative_id,
                                   DividendPlan.year == plan.year, DividendPlan.id != plan.id)
        .order_by(DividendPlan.version_no.desc())))


def plan_by_id(plan_id: int | None) -> DividendPlan | None:
    """A plan another plan names (``supersedes_id``, ``superseded_by_id``)."""
    return db.session.get(DividendPlan, plan_id) if plan_id is not None else None


def effective_plan(coop_id: int, year: int) -> DividendPlan | None:
    """The approved (or published, or paid) plan of a year that is not superseded."""
    return db.session.scalar(
        select(DividendPlan).where(
            DividendPlan.cooperative_id == coop_id, DividendPlan.year == year,
            DividendPlan.status != PlanStatus.DRAFT, DividendPlan.superseded_by_id.is_(None)))


def latest_draft(coop_id: int, year: int) -> DividendPlan | None:
    return db.session.scalar(
        select(DividendPlan).where(
            DividendPlan.cooperative_id == coop_id, DividendPlan.year == year,
            DividendPlan.status == PlanStatus.DRAFT)
        .order_by(DividendPlan.version_no.desc()).limit(1))


def plan_for_export(coop_id: int, year: int) -> DividendPlan | None:
    """The effective plan of the year, else its newest draft."""
    return effective_plan(coop_id, year) or latest_draft(coop_id, year)


def plan_years(coop_id: int) -> list[int]:
    """Years a plan can be made for: the ledger's years up to last year and this
    year (a preview), plus any year that already has a plan; newest first."""
    years = set(ledger_years(coop_id)) | set(db.session.scalars(
        select(DividendPlan.year).where(DividendPlan.cooperative_id == coop_id).distinct()))
    years = {y for y in years if y <= clock.today().year}
    return sorted(years or {clock.today().year - 1}, reverse=True)


def default_year(coop_id: int) -> int:
    """The year a secretary most likely means: the newest closed year that
    has a surplus waiting for its plan (not a loss, not one whose surplus the
    next year's close carried on), else the newest year that can have a plan."""
    closed = sorted(closed_years(coop_id), reverse=True)
    for year in closed:
        if (year + 1 not in closed and effective_plan(coop_id, year) is None
                and awaiting_plan_fen(coop_id, year) > 0):
            return year
    return plan_years(coop_id)[0]


def notice_end(plan: DividendPlan) -> date | None:
    if plan.notice_start is None or not plan.notice_days:
        return None
    return rules.notice_last_day(plan.notice_start, plan.notice_days)


def paid_count(plan: DividendPlan) -> int:
    return db.session.scalar(select(func.count()).select_from(DividendLine).where(
        DividendLine.plan_id == plan.id, DividendLine.paid_on.is_not(None))) or 0


def payable_count(plan: DividendPlan) -> int:
    return db.session.scalar(select(func.count()).select_from(DividendLine).where(
        DividendLine.plan_id == plan.id, DividendLine.total_fen > 0)) or 0


PLAN_FIELD_LABELS = {
    "status": "状态", "record_date": "股权登记日", "weight_basis": "分配依据",
    "assembly_date": "大会日期", "households_total": "有表决权户数",
    "households_present": "到会户数", "votes_for": "赞成", "votes_against": "反对",
    "votes_abstain": "弃权", "resolution_no": "决议文号", "notice_start": "公示开始",
    "notice_days": "公示天数", "computed_at": "计算时间", "surplus_fen": "盈余",
    "retained_fen": "留存结转下年",
}


def describe_field(name: str, value: Any) -> tuple[str, str]:
    label = PLAN_FIELD_LABELS.get(name, name)
    if value is None:
        return label, "（空）"
    if name == "status":
        try:
            return label, PlanStatus(value).label
        except ValueError:
            return label, str(value)
    if name.endswith("_fen") and isinstance(value, int):
        return label, format_yuan(value) + " 元"
    return label, str(value)


def class_labels(share_class: str) -> str:
    return "、".join(ShareClass.label_of(c) for c in share_class.split("+") if c)


def lines_query(plan: DividendPlan, q: str = ""):
    """The plan's lines by member number; ``q``: the start of a member number
    (any case) or of a name."""
    query = select(DividendLine).where(DividendLine.plan_id == plan.id)
    q = (q or "").strip()
    if q:
        query = query.where(or_(DividendLine.member_no.startswith(q.upper(), autoescape=True),
                                DividendLine.name.startswith(q, autoescape=True)))
    return query.order_by(DividendLine.member_no, DividendLine.member_id)


def browse_lines(plan: DividendPlan, q: str = "", page: int = 1, per_page: int = LINES_PER_PAGE):
    return db.paginate(lines_query(plan, q), page=page, per_page=per_page, error_out=False)


def collective_lines(plan: DividendPlan) -> list[DividendLine]:
    return list(db.session.scalars(select(DividendLine).where(
        DividendLine.plan_id == plan.id, DividendLine.kind == MemberKind.COLLECTIVE)
        .order_by(DividendLine.member_no)))


class Stage(NamedTuple):
    label: str
    state: str  # "done", "current" or ""


def stages(plan: DividendPlan) -> list[Stage]:
    """The workflow's stages and where the plan stands in them."""
    def state(done: bool, current: bool) -> str:
        return "done" if done else ("current" if current else "")

    reviewed, disclosed = plan.is_frozen or plan.is_reviewed, plan.is_frozen or plan.is_disclosed
    draft = plan.is_draft and not plan.is_reviewed
    return [Stage("草案", state(plan.is_frozen or plan.is_reviewed, draft)),
            Stage("监事审核", state(reviewed, False)),
            Stage("向成员公开", state(disclosed, plan.is_draft and plan.is_reviewed
                                        and not plan.is_disclosed)),
            Stage("会议表决通过", state(plan.is_noticed, plan.is_approved
                                        or (plan.is_draft and plan.is_disclosed))),
            Stage("公示", state(plan.is_paid, plan.is_published)),
            Stage("发放", state(False, plan.is_paid))]


@dataclass(frozen=True)
class AwaitingReview:
    """A draft waiting for the supervisor, as the other staff see it: whether
    the cooperative has a supervisor's account to review it with, and whether
    the viewer may open one (the administrator)."""

    has_supervisor: bool
    can_open_account: bool


def awaiting_review(plan: DividendPlan, viewer_role: str) -> AwaitingReview | None:
    """Set when the plan's next step is the supervisor's review and the viewer
    is not the supervisor (who sees the review form instead)."""
    if (viewer_role == Role.SUPERVISOR or plan.status != PlanStatus.DRAFT or plan.is_preview
            or plan.is_reviewed or plan.superseded_by_id is not None):
        return None
    return AwaitingReview(has_enabled_user(plan.cooperative_id, Role.SUPERVISOR.value),
                          viewer_role == Role.ADMIN)


@dataclass(frozen=True)
class PoolTotals:
    guaranteed_fen: int
    patronage_fen: int
    capital_fen: int
    total_fen: int
    weight: int
    lines: int


def pool_totals(plan: DividendPlan) -> PoolTotals:
    """The sums of the lines, from SQL (they equal the plan's pools to the fen)."""
    row = db.session.execute(select(
        func.coalesce(func.sum(DividendLine.guaranteed_fen), 0),
        func.coalesce(func.sum(DividendLine.patronage_fen), 0),
        func.coalesce(func.sum(DividendLine.capital_fen), 0),
        func.coalesce(func.sum(DividendLine.total_fen), 0),
        func.coalesce(func.sum(DividendLine.weight), 0),
        func.count(DividendLine.id),
    ).where(DividendLine.plan_id == plan.id)).one()
    return PoolTotals(*(int(v) for v in row))


@dataclass(frozen=True)
class WaterfallStep:
    label: str
    amount_fen: int
    kind: str  # surplus / loss / retained / fund / pool
    note: str = ""

    @property
    def row_class(self) -> str:
        """The surplus is the table's total row."""
        return "total" if self.kind == "surplus" else ""


def waterfall(plan: DividendPlan) -> list[WaterfallStep]:
    """From the year's surplus to each pool; the steps after the first add up
    to it. A specialized plan by the book starts before the losses it covers
    (FSC art 44: losses first) and names the accounts' rules."""
    book = plan.is_by_the_book
    steps = [WaterfallStep("本年盈余" if plan.retained_fen or plan.is_specialized else "可分配盈余",
                           plan.surplus_fen, "surplus")]
    if book and plan.carried_loss_fen:
        steps = [WaterfallStep("弥补亏损前的盈余", plan.surplus_fen + plan.carried_loss_fen,
                               "surplus"),
                 WaterfallStep("弥补亏损", plan.carried_loss_fen, "loss",
                               f"先弥补以前年度亏损（{fsc_reading.ART_44}）")]
    if plan.retained_fen:
        steps.append(WaterfallStep("留存（结转下年）", plan.retained_fen, "retained",
                                   f"年度结账时留存，本次分配 {format_yuan(plan.to_distribute_fen)} 元"))
    steps += [WaterfallStep("公积金", plan.reserve_fen, "fund",
                            fsc_reading.reserve_note(plan) if book
                            else format_percent(plan.reserve_rate_bp)),
             WaterfallStep("公益金", plan.welfare_fen, "fund", format_percent(plan.welfare_rate_bp)),
             WaterfallStep("风险金", plan.risk_fen, "fund", format_percent(plan.risk_rate_bp))]
    if plan.guaranteed_total_fen or plan.guaranteed_fen_per_mu:
        steps.append(WaterfallStep("保底收益（土地）", plan.guaranteed_total_fen, "pool",
                                   f"每亩 {format_yuan(plan.guaranteed_fen_per_mu)} 元"))
    if plan.mode == DistributionMode.SPECIALIZED:
        steps.append(WaterfallStep("按交易量返还", plan.patronage_pool_fen, "pool",
                                   f"不低于可分配盈余（提取公积金后）{format_yuan(plan.after_reserve_fen)} 元"
                                   f"的 {format_percent(plan.patronage_rate_bp)}"
                                   + (f"，按成员与本社的交易额（{fsc_reading.ART_44}）" if book else "")))
    if book:
        steps.append(WaterfallStep("按出资额、公积金份额和补助量化返还", plan.capital_pool_fen, "pool",
                                   "其余部分按成员账户记载的出资额、公积金份额和国家财政补助、捐赠量化份额"))
    else:
        steps.append(WaterfallStep("按股分红", plan.capital_pool_fen, "pool", plan.basis_label))
    return steps


class Guaranteed(NamedTuple):
    mu_hundredths: int
    fen_per_mu: int
    result_fen: int


@dataclass(frozen=True)
class LineArithmetic:
    guaranteed: Guaranteed | None
    patronage: rules.PoolShare | None
    capital: rules.PoolShare | None  # by shares; None for a plan by the book (see ``fsc``)
    fsc: fsc_reading.FscArithmetic | None = None


def line_arithmetic(plan: DividendPlan, line: DividendLine) -> LineArithmetic:
    guaranteed = None
    if plan.guaranteed_fen_per_mu and line.land_mu_hundredths:
        guaranteed = Guaranteed(line.land_mu_hundredths, plan.guaranteed_fen_per_mu,
                                line.guaranteed_fen)
    patronage = None
    if plan.patronage_pool_fen:
        patronage = rules.PoolShare(plan.patronage_pool_fen, line.transactions_fen,
                                    plan.total_transactions_fen, line.patronage_fen)
    fsc = fsc_reading.line_arithmetic(plan, line)
    capital = None
    if plan.capital_pool_fen and fsc is None:
        capital = rules.PoolShare(plan.capital_pool_fen, line.weight, plan.total_weight,
                                  line.capital_fen)
    return LineArithmetic(guaranteed, patronage, capital, fsc)


class Difference(NamedTuple):
    member_no: str
    name: str
    total_a_fen: int
    total_b_fen: int

    @property
    def change_fen(self) -> int:
        return self.total_b_fen - self.total_a_fen

    @property
    def is_decrease(self) -> bool:
        return self.change_fen < 0


class ComparedFigure(NamedTuple):
    label: str
    a: int
    b: int

    @property
    def change(self) -> int | None:
        """b - a, None when they are equal (nothing to show)."""
        return (self.b - self.a) or None


COMPARED_FIGURES = (("可分配盈余", "to_distribute_fen"), ("公积金", "reserve_fen"),
                    ("公益金", "welfare_fen"), ("风险金", "risk_fen"),
                    ("保底收益", "guaranteed_total_fen"), ("按交易量返还", "patronage_pool_fen"),
                    ("按股分红", "capital_pool_fen"))
REST_POOL_BY_THE_BOOK = f"按出资额、公积金份额和补助量化返还（{fsc_reading.ART_44}）"


@dataclass(frozen=True)
class Comparison:
    a: DividendPlan
    b: DividendPlan
    changed: int
    differences: list[Difference]

    @property
    def figures(self) -> list[ComparedFigure]:
        """The plans' pools in yuan, side by side."""
        return [ComparedFigure(self._label(label, attr), getattr(self.a, attr), getattr(self.b, attr))
                for label, attr in COMPARED_FIGURES]

    def _label(self, label: str, attr: str) -> str:
        """The rest pool of a specialized plan by the book is not a per-share
        dividend (FSC art 44): named by what it follows; when only one of the
        plans is by the book, both names."""
        if attr != "capital_pool_fen":
            return label
        names = [REST_POOL_BY_THE_BOOK if plan.is_by_the_book else label for plan in (self.a, self.b)]
        return names[0] if names[0] == names[1] else " / ".join(names)

    @property
    def is_truncated(self) -> bool:
        """More members differ than are listed."""
        return self.changed > len(self.differences)

    @property
    def line_counts(self) -> ComparedFigure:
        return ComparedFigure("参与分配人数", self.a.line_count, self.b.line_count)


def comparison_refusal(a: DividendPlan, b: DividendPlan) -> str | None:
    """Why two plans cannot be compared, None when they can."""
    return None if a.year == b.year else "只能比较同一年度的两个方案"


def compare(a: DividendPlan, b: DividendPlan, limit: int = 50) -> Comparison:
    """Two plans of one year side by side: the members whose totals differ
    most (computed in SQL over the two plans' lines)."""
    refusal = comparison_refusal(a, b)
    if refusal:
        raise ServiceError(refusal)
    la, lb = DividendLine.__table__.alias("la"), DividendLine.__table__.alias("lb")
    members = select(DividendLine.member_id).where(
        DividendLine.plan_id.in_((a.id, b.id))).distinct().subquery()
    total_a = func.coalesce(la.c.total_fen, 0)
    total_b = func.coalesce(lb.c.total_fen, 0)
    joined = (
        members.outerjoin(la, (la.c.member_id == members.c.member_id) & (la.c.plan_id == a.id))
        .outerjoin(lb, (lb.c.member_id == members.c.member_id) & (lb.c.plan_id == b.id)))
    member_no = func.coalesce(la.c.member_no, lb.c.member_no)
    name = func.coalesce(la.c.name, lb.c.name)
    diff = total_b - total_a
    changed = db.session.scalar(select(func.count()).select_from(joined).where(diff != 0)) or 0
    rows = db.session.execute(
        select(member_no, name, total_a, total_b).select_from(joined).where(diff != 0)
        .order_by(func.abs(diff).desc(), member_no).limit(limit)).all()
    return Comparison(a, b, int(changed), [Difference(r[0], r[1], int(r[2]), int(r[3]))
                                           for r in rows])


EXPORT_COLUMNS = ("member_no", "name", "class", "weight", "guaranteed_fen",
                  "patronage_fen", "capital_fen", "total_fen")


def write_csv(stream: IO[str], plan: DividendPlan) -> int:
    """One row per line, then one row with the total of each pool."""
    writer = csv_writer(stream)
    writer.writerow(EXPORT_COLUMNS)
    n = 0
    for line in db.session.execute(
            select(DividendLine.member_no, DividendLine.name, DividendLine.share_class,
                   DividendLine.weight, DividendLine.guaranteed_fen, DividendLine.patronage_fen,
                   DividendLine.capital_fen, DividendLine.total_fen)
            .where(DividendLine.plan_id == plan.id)
            .order_by(DividendLine.member_no, DividendLine.member_id)):
        writer.writerow(line)
        n += 1
    totals = pool_totals(plan)
    writer.writerow(("TOTAL", "合计", "", totals.weight, totals.guaranteed_fen,
                     totals.patronage_fen, totals.capital_fen, totals.total_fen))
    return n


def nothing_text(plan: DividendPlan) -> str:
    """Why a plan distributes nothing."""
    if plan.surplus_fen > 0:
        return (f"本年度盈余 {format_yuan(plan.surplus_fen)} 元已在年度结账时全部留存、结转下年，"
                "本年度不提取公积金、公益金、风险金，不支付保底收益，不分红。")
    return (f"本年度盈余为 {format_yuan(plan.surplus_fen)} 元，没有可分配盈余："
            "不提取公积金、公益金、风险金，不支付保底收益，不分红。")


def waterfall_text(plan: DividendPlan) -> str:
    """The waterfall as plain lines (the CLI prints it)."""
    out = [f"{plan.year} 年度分配方案 第 {plan.version_no} 版（{plan.status_label}，{plan.basis_label}，"
           f"登记日 {plan.record_date.isoformat()}）"]
    if plan.is_preview:
        out.append("注意：该年度尚未结账，以下为预览，不能表决。")
    if plan.nothing_to_distribute:
        out.append(nothing_text(plan))
        return "\n".join(out)
    for step in waterfall(plan):
        note = f"（{step.note}）" if step.note else ""
        out.append(f"{step.label}{note}：{format_yuan(step.amount_fen)} 元")
    out.append(f"分红明细 {plan.line_count} 行，股份权重合计 {plan.total_weight}")
    return "\n".join(out)
