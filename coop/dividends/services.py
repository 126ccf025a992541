"""Distribution plans: compute a draft, approve it by household vote, publish
the notice, pay the lines. Services validate, write and flush; the caller
commits once.

A year may have several drafts (one per weight basis, so that record-date and
share-days plans can be compared side by side) and at most one *effective*
plan: approved or later and not superseded. A change after approval is a new
draft that supersedes the effective plan once it is approved itself; the old
version stays readable.

Weights come from SQL aggregates of the share register (``coop.shares``), the
surplus from the year's ledger (``coop.machinery``); the lines are written
with one bulk insert.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from itertools import compress, repeat
from typing import IO, Any, Iterable, Iterator, Sequence

from sqlalchemy import delete, func, insert, or_, select, update

from coop import clock
from coop.audit.models import AuditEntry
from coop.audit.services import check_version
from coop.bulk import paused_gc
from coop.cooperatives.constants import DistributionMode, ShareClass
from coop.cooperatives.models import Cooperative
from coop.dividends import rules
from coop.dividends.calculation import PlanError, PlanInputs, calculate_plan
from coop.dividends.models import (
    PayoutMethod,
    DividendLine,
    DividendPlan,
    PlanStatus,
    WeightBasis,
)
from coop.errors import ServiceError, ValidationFailed
from coop.extensions import db
from coop.machinery.distribution import ensure_distributable, record_distribution
from coop.members.constants import MemberKind
from coop.members.models import Member
from coop.money import format_percent, format_yuan, round_half_up_div
from coop.spreadsheets import csv_writer

FIRST_YEAR = 2000
FIGURE_FIELDS = ("service_income_members_fen", "service_income_nonmembers_fen",
                 "other_income_fen", "nondistributable_income_fen", "expenses_fen",
                 "depreciation_fen", "carried_surplus_fen", "carried_loss_fen", "surplus_fen",
                 "retained_fen")
LINES_PER_PAGE = 50


# ---------------------------------------------------------------- queries


def get_plan(coop_id: int, plan_id: int) -> DividendPlan | None:
    plan = db.session.get(DividendPlan, plan_id)
    if plan is None or plan.cooperative_id != coop_id:
        return None
    return plan


def get_line(plan: DividendPlan, line_id: int) -> DividendLine | None:
    line = db.session.get(DividendLine, line_id)
    if line is None or line.plan_id != plan.id:
        return None
    return line


def plans_of(coop_id: int) -> list[DividendPlan]:
    return list(db.session.scalars(
        select(DividendPlan).where(DividendPlan.cooperative_id == coop_id)
        .order_by(DividendPlan.year.desc(), DividendPlan.version_no.desc())))


def plans_of_year(coop_id: int, year: int) -> list[DividendPlan]:
    return list(db.session.scalars(
        select(DividendPlan).where(DividendPlan.cooperative_id == coop_id,
                                   DividendPlan.year == year)
        .order_by(DividendPlan.version_no.desc())))


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
    from coop.machinery.services import ledger_years

    years = set(ledger_years(coop_id)) | set(db.session.scalars(
        select(DividendPlan.year).where(DividendPlan.cooperative_id == coop_id).distinct()))
    years = {y for y in years if y <= clock.today().year}
    return sorted(years or {clock.today().year - 1}, reverse=True)


def default_year(coop_id: int) -> int:
    """The year a secretary most likely means: the newest closed year without
    an approved plan, else the newest year that can have a plan."""
    from coop.machinery.services import closed_years

    for year in sorted(closed_years(coop_id), reverse=True):
        if effective_plan(coop_id, year) is None:
            return year
    return plan_years(coop_id)[0]


# ---------------------------------------------------------------- computing


def _names_of(member_ids: Iterable[int]) -> dict[int, tuple[str, str, str]]:
    """member id -> (number, name, kind) for the few members outside the holders
    (left before the record date, or with transactions but no shares)."""
    ids = list(member_ids)
    m = Member.__table__
    out = {}
    for start in range(0, len(ids), 500):
        for mid, no, name, kind in db.session.connection().execute(
                select(m.c.id, m.c.member_no, m.c.name, m.c.kind)
                .where(m.c.id.in_(ids[start:start + 500]))):
            out[mid] = (no, name, kind)
    return out


def _check_year(year: int | None) -> int:
    this_year = clock.today().year
    if year is None:
        raise ValidationFailed({"year": "请选择年度"})
    if year < FIRST_YEAR or year > this_year:
        raise ValidationFailed({"year": f"年度应在 {FIRST_YEAR} 到 {this_year} 之间"})
    return year


def _check_record_date(year: int, record_date: date | None) -> date:
    record_date = record_date or date(year, 12, 31)
    if record_date.year != year:
        raise ValidationFailed({"record_date": f"股权登记日应在 {year} 年内（默认 {year}-12-31）"})
    return record_date


def _check_basis(basis: str | None) -> WeightBasis:
    try:
        return WeightBasis(basis or WeightBasis.RECORD_DATE)
    except ValueError:
        raise ValidationFailed({"weight_basis": "请选择按登记日持股或按持股天数"}) from None


class _Holders:
    """The holders of a plan as columns, in no particular order (the
    calculation sorts its keys): one entry per member (the register gives a
    row per member and class)."""

    def __init__(self, rows: Sequence[Sequence]) -> None:
        if len({row[0] for row in rows}) < len(rows):  # someone holds several classes
            rows = _merge_classes(rows)
        columns = [list(column) for column in zip(*rows)] if rows else [[] for _ in range(7)]
        (self.ids, self.numbers, self.names, self.kinds, classes, self.shares,
         self.share_days) = columns
        # a class is listed only if it is held on the record date
        self.classes = [c if n else "" for c, n in zip(classes, self.shares)]
        self.number_of = dict(zip(self.ids, self.numbers))

    def add(self, names: dict[int, tuple[str, str, str]]) -> None:
        """Members with a line but no shares (guaranteed land, transactions)."""
        for member_id, (number, name, kind) in names.items():
            for column, value in zip(
                    (self.ids, self.numbers, self.names, self.kinds, self.classes, self.shares,
                     self.share_days), (member_id, number, name, kind, "", 0, 0)):
                column.append(value)
            self.number_of[member_id] = number

    def keyed(self, by_member: dict[int, int]) -> dict[str, int]:
        """member id -> amount, keyed by member number instead."""
        number_of = self.number_of
        return {number_of[m]: v for m, v in by_member.items()}


def _merge_classes(rows: Sequence[Sequence]) -> list[tuple]:
    """One row per member: shares and share-days added up over the classes,
    the classes held on the record date joined in the charter's order."""
    merged: dict[int, list] = {}
    for member_id, number, name, kind, share_class, shares, days in rows:
        held = [share_class] if shares else []
        row = merged.get(member_id)
        if row is None:
            merged[member_id] = [member_id, number, name, kind, held, shares, days]
        else:
            row[4] += held
            row[5] += shares
            row[6] += days
    return [(m, no, name, kind, _classes_text(held), shares, days)
            for m, no, name, kind, held, shares, days in merged.values()]


def _fill(plan: DividendPlan, coop: Cooperative) -> list[tuple]:
    """Snapshot the inputs into ``plan``, calculate, and return the line rows.

    Column-wise throughout (lists zipped and mapped in C): at 100,000 holders
    a Python loop per holder and step cost more than the queries.
    """
    from coop.machinery.services import is_year_closed, member_transactions, year_figures
    from coop.shares.api import land_mu_by_member, register_weights

    coop_id, year, on = coop.id, plan.year, plan.record_date
    ensure_distributable(coop_id, year)
    figures = year_figures(coop_id, year)
    plan.is_preview = not is_year_closed(coop_id, year)
    for name in FIGURE_FIELDS:
        setattr(plan, name, getattr(figures, name))
    plan.mode = coop.distribution_mode
    plan.reserve_rate_bp = coop.reserve_rate_bp
    plan.welfare_rate_bp = coop.welfare_rate_bp
    plan.risk_rate_bp = coop.risk_rate_bp
    plan.patronage_rate_bp = coop.patronage_rate_bp
    plan.guaranteed_fen_per_mu = coop.guaranteed_fen_per_mu
    plan.par_value_fen = coop.par_value_fen

    by_share_days = plan.weight_basis == WeightBasis.SHARE_DAYS
    holders = _Holders(register_weights(coop_id, on, with_share_days=by_share_days))
    positive = [n if n > 0 else 0 for n in holders.shares]
    weights = holders.share_days if by_share_days else positive
    land = land_mu_by_member(coop_id, on) if coop.guaranteed_fen_per_mu else {}
    guaranteed = {m: round_half_up_div(mu * coop.guaranteed_fen_per_mu, 100)
                  for m, mu in land.items()}
    specialized = coop.distribution_mode == DistributionMode.SPECIALIZED
    transactions = member_transactions(coop_id, year) if specialized else {}
    missing = (set(guaranteed) | set(transactions)) - holders.number_of.keys()
    if missing:
        holders.add(_names_of(missing))

    # Member numbers are unique in a cooperative, so they are the keys: ties
    # in a split go to the lower member number (DESIGN.md), and the lines
    # come out in member-number order.
    # S: what the close retained (carried to the next year) is not distributed.
    inputs = PlanInputs(
        surplus_fen=figures.to_distribute_fen,
        reserve_rate_bp=plan.reserve_rate_bp, welfare_rate_bp=plan.welfare_rate_bp,
        risk_rate_bp=plan.risk_rate_bp, mode=plan.mode,
        share_weights=dict(zip(compress(holders.numbers, weights), compress(weights, weights))),
        guaranteed_fen={k: g for k, g in holders.keyed(guaranteed).items() if g},
        patronage_rate_bp=plan.patronage_rate_bp,
        transactions_fen=holders.keyed(transactions),
    )
    try:
        result = calculate_plan(inputs)
    except PlanError as exc:
        raise ServiceError(str(exc)) from None

    w = result.waterfall
    plan.reserve_fen, plan.welfare_fen, plan.risk_fen = w.reserve_fen, w.welfare_fen, w.risk_fen
    plan.distributable_fen = w.after_funds_fen
    plan.guaranteed_total_fen = w.guaranteed_fen
    plan.patronage_pool_fen = w.patronage_fen
    plan.capital_pool_fen = w.capital_fen
    plan.total_weight = result.total_weight
    plan.total_shares = sum(positive)
    plan.total_transactions_fen = result.total_transactions_fen
    plan.line_count = result.line_count
    plan.computed_at = clock.utcnow()

    lines = result.columns
    index_of = dict(zip(holders.numbers, range(len(holders.numbers))))
    at = list(map(index_of.__getitem__, lines.keys))

    def pick(column: list) -> Iterator:
        return map(column.__getitem__, at)

    member_ids = list(pick(holders.ids))
    return list(zip(
        repeat(plan.id), member_ids, lines.keys, pick(holders.names), pick(holders.kinds),
        pick(holders.classes), pick(holders.shares), lines.weight,
        map(land.get, member_ids, repeat(0)), lines.transactions_fen, lines.guaranteed_fen,
        lines.patronage_fen, lines.capital_fen, lines.total_fen))


CLASS_ORDER = {sc.value: i for i, sc in enumerate(ShareClass)}


def _classes_text(held: list[str]) -> str:
    """'villager+cadre': the classes a member holds, in the charter's order."""
    return "+".join(sorted(held, key=lambda c: CLASS_ORDER.get(c, len(CLASS_ORDER))))


LINE_COLUMNS = ("plan_id", "member_id", "member_no", "name", "kind", "share_class", "shares",
                "weight", "land_mu_hundredths", "transactions_fen", "guaranteed_fen",
                "patronage_fen", "capital_fen", "total_fen")


def _write_lines(plan: DividendPlan, rows: list[tuple]) -> None:
    """Replace the draft's lines: one DELETE, then one executemany of plain tuples
    straight to the driver (SQLAlchemy's per-row parameter handling would cost
    more than the insert itself at 100,000 holders)."""
    db.session.execute(delete(DividendLine.__table__).where(DividendLine.plan_id == plan.id))
    if not rows:
        return
    connection = db.session.connection()
    style = connection.dialect.paramstyle
    marks = ", ".join("?" if style == "qmark" else "%s" for _ in LINE_COLUMNS)
    connection.exec_driver_sql(
        f"INSERT INTO {DividendLine.__tablename__} ({', '.join(LINE_COLUMNS)}) VALUES ({marks})",
        rows)


def _refill(plan: DividendPlan, coop: Cooperative) -> None:
    """Calculate the draft from the books and replace its lines."""
    with paused_gc():  # 100,000 holders: see coop.bulk
        _write_lines(plan, _fill(plan, coop))
    db.session.flush()


def _next_version_no(coop_id: int, year: int) -> int:
    return (db.session.scalar(select(func.max(DividendPlan.version_no)).where(
        DividendPlan.cooperative_id == coop_id, DividendPlan.year == year)) or 0) + 1


def compute_plan(coop: Cooperative, year: int | None, *, basis: str | None = None,
                 record_date: date | None = None) -> DividendPlan:
    """Create or recompute the draft of ``year`` on this weight basis.

    Refused while the year has an effective (approved) plan: a change after
    approval goes through :func:`new_version` on that plan.
    """
    year = _check_year(year)
    basis_ = _check_basis(basis)
    record_date = _check_record_date(year, record_date)
    current = effective_plan(coop.id, year)
    supersedes_id = None
    if current is not None:
        draft_of_new_version = db.session.scalar(
            select(DividendPlan).where(DividendPlan.supersedes_id == current.id,
                                       DividendPlan.status == PlanStatus.DRAFT,
                                       DividendPlan.weight_basis == basis_))
        if draft_of_new_version is None:
            raise ServiceError(
                f"{year} 年度已有表决通过的分配方案（第 {current.version_no} 版），不能再计算草案；"
                "如需修改，请在该方案页面点击“另立新版本”")
        supersedes_id = current.id
    plan = db.session.scalar(
        select(DividendPlan).where(
            DividendPlan.cooperative_id == coop.id, DividendPlan.year == year,
            DividendPlan.status == PlanStatus.DRAFT, DividendPlan.weight_basis == basis_,
            DividendPlan.supersedes_id.is_(None) if supersedes_id is None
            else DividendPlan.supersedes_id == supersedes_id))
    if plan is None:
        plan = DividendPlan(cooperative_id=coop.id, year=year,
                            version_no=_next_version_no(coop.id, year),
                            supersedes_id=supersedes_id, weight_basis=basis_,
                            record_date=record_date, mode=coop.distribution_mode)
        db.session.add(plan)
        db.session.flush()
    plan.record_date = record_date
    _refill(plan, coop)
    return plan


def recompute(coop: Cooperative, plan: DividendPlan, *, expected_version: int | None = None
              ) -> DividendPlan:
    _ensure_draft(plan)
    check_version(plan, expected_version, describe_field)
    _refill(plan, coop)
    return plan


def new_version(coop: Cooperative, plan: DividendPlan) -> DividendPlan:
    """A new draft that will supersede the effective ``plan`` once approved."""
    if plan.status == PlanStatus.DRAFT:
        raise ServiceError("草案可以直接重新计算，不需要另立新版本")
    if plan.superseded_by_id is not None:
        raise ServiceError("此版本已被新版本取代，请在当前有效的版本上修改")
    if paid_count(plan):
        raise ServiceError("此方案已有分红发放记录，不能再另立新版本")
    existing = db.session.scalar(select(DividendPlan).where(
        DividendPlan.supersedes_id == plan.id, DividendPlan.status == PlanStatus.DRAFT,
        DividendPlan.weight_basis == plan.weight_basis))
    if existing is not None:
        return existing
    draft = DividendPlan(cooperative_id=coop.id, year=plan.year,
                         version_no=_next_version_no(coop.id, plan.year),
                         supersedes_id=plan.id, weight_basis=plan.weight_basis,
                         record_date=plan.record_date, mode=coop.distribution_mode)
    db.session.add(draft)
    db.session.flush()
    _refill(draft, coop)
    return draft


def change_draft(coop: Cooperative, plan: DividendPlan, *, record_date: date | None,
                 expected_version: int | None = None) -> DividendPlan:
    """Move a draft's record date and recompute it."""
    _ensure_draft(plan)
    check_version(plan, expected_version, describe_field)
    plan.record_date = _check_record_date(plan.year, record_date)
    _refill(plan, coop)
    return plan


# ---------------------------------------------------------------- workflow


def _ensure_draft(plan: DividendPlan) -> None:
    if plan.status != PlanStatus.DRAFT:
        raise ServiceError(
            f"此方案{plan.status_label}，内容已冻结，不能修改；如需修改请“另立新版本”")


def _ensure_current(plan: DividendPlan) -> None:
    if plan.superseded_by_id is not None:
        raise ServiceError("此版本已被新版本取代，只能查看")


def households_with_a_vote(coop_id: int, on: date) -> int:
    """Households (一户一票) with at least one member on the roster on ``on``:
    joined by then and not yet withdrawn or deceased."""
    from coop.members.constants import MemberStatus

    still_in = or_(Member.status == MemberStatus.ACTIVE.value,
                   Member.status_changed_on.is_(None), Member.status_changed_on > on)
    return db.session.scalar(
        select(func.count(func.distinct(Member.household_no)))
        .where(Member.cooperative_id == coop_id, Member.household_no != "",
               or_(Member.joined_on.is_(None), Member.joined_on <= on), still_in)) or 0


def approve_plan(coop: Cooperative, plan: DividendPlan, *, assembly_date: date | None,
                 households_total: int | None, households_present: int | None,
                 votes_for: int | None, votes_against: int | None, votes_abstain: int | None,
                 resolution_no: str | None, expected_version: int | None = None
                 ) -> DividendPlan:
    """Record the household assembly's vote; on a pass, freeze the plan."""
    from coop.machinery.services import is_year_closed

    _ensure_draft(plan)
    check_version(plan, expected_version, describe_field)
    if not is_year_closed(coop.id, plan.year):
        raise ServiceError(f"{plan.year} 年度还没有结账，草案只是预览，不能表决。请先在“年度结账”中结账")
    if plan.is_preview:
        raise ServiceError("此草案是在年度结账前计算的预览，请先“重新计算”再表决")
    current = effective_plan(coop.id, plan.year)
    if current is not None and current.id != plan.supersedes_id:
        raise ServiceError(
            f"{plan.year} 年度已有通过的方案（第 {current.version_no} 版）；"
            "修改须在该方案上“另立新版本”")
    errors = rules.vote_errors(households_total, households_present, votes_for,
                               votes_against, votes_abstain)
    today = clock.today()
    if assembly_date is None:
        errors["assembly_date"] = "请填写成员（代表）大会日期"
    elif assembly_date <= date(plan.year, 12, 31):
        errors["assembly_date"] = f"大会日期应在 {plan.year} 年度结束之后"
    elif assembly_date > today:
        errors["assembly_date"] = "大会日期不能晚于今天"
    if "households_total" not in errors and assembly_date is not None and households_total:
        on_roster = households_with_a_vote(coop.id, min(assembly_date, today))
        if households_total < on_roster:
            errors["households_total"] = (
                f"大会当日花名册上有表决权的户数为 {on_roster} 户，"
                f"填写的 {households_total} 户少于此数；三分之二按全部有表决权的户数计算")
    resolution_no = (resolution_no or "").strip()
    if not resolution_no:
        errors["resolution_no"] = "请填写决议文号"
    elif len(resolution_no) > 60:
        errors["resolution_no"] = "决议文号不能超过 60 个字"
    if errors:
        raise ValidationFailed(errors)
    # The ledger learns what the year distributes: the next year carries the rest.
    record_distribution(coop.id, plan.year, plan.distributed_fen)
    plan.assembly_date = assembly_date
    plan.households_total = households_total
    plan.households_present = households_present
    plan.votes_for, plan.votes_against, plan.votes_abstain = votes_for, votes_against, votes_abstain
    plan.resolution_no = resolution_no
    plan.approved_at = clock.utcnow()
    plan.status = PlanStatus.APPROVED
    if current is not None:
        current.superseded_by_id = plan.id
    db.session.flush()
    return plan


def publish_plan(plan: DividendPlan, *, notice_start: date | None,
                 notice_days: int | None = rules.DEFAULT_NOTICE_DAYS,
                 expected_version: int | None = None) -> DividendPlan:
    """Record the public notice (公示): it starts no earlier than today, the
    day it is published, and the time of publication is kept."""
    _ensure_current(plan)
    if plan.status != PlanStatus.APPROVED:
        if plan.status == PlanStatus.DRAFT:
            raise ServiceError("草案须经成员（代表）大会表决通过后才能公示")
        raise ServiceError(f"此方案{plan.status_label}")
    check_version(plan, expected_version, describe_field)
    published_at, published_on = clock.utcnow(), clock.today()
    errors = {}
    if notice_start is None:
        errors["notice_start"] = "请填写公示开始日期"
    elif plan.assembly_date and notice_start < plan.assembly_date:
        errors["notice_start"] = f"公示开始日期不能早于大会日期 {plan.assembly_date.isoformat()}"
    elif notice_start < published_on:
        errors["notice_start"] = (
            f"公示开始日期不能早于公示登记当日 {published_on.isoformat()}：公示期从张贴之日起算，"
            "不能补登已经过去的日期")
    if notice_days is None:
        errors["notice_days"] = "请填写公示天数"
    elif not 1 <= notice_days <= rules.MAX_NOTICE_DAYS:
        errors["notice_days"] = f"公示天数应在 1 到 {rules.MAX_NOTICE_DAYS} 天之间（通常 7 天）"
    if errors:
        raise ValidationFailed(errors)
    plan.notice_start = notice_start
    plan.notice_days = notice_days
    plan.published_at = published_at
    plan.status = PlanStatus.PUBLISHED
    db.session.flush()
    return plan


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


def _payment_errors(plan: DividendPlan, paid_on: date | None, method: str | None) -> dict[str, str]:
    errors = {}
    last = notice_end(plan)
    if paid_on is None:
        errors["paid_on"] = "请填写发放日期"
    elif paid_on > clock.today():
        errors["paid_on"] = "发放日期不能晚于今天"
    elif plan.published_at is not None and paid_on < (
            published_on := clock.local(plan.published_at).date()):
        errors["paid_on"] = f"方案于 {published_on.isoformat()} 登记公示，发放日期不能早于公示登记之日"
    elif last is not None and paid_on <= last:
        errors["paid_on"] = f"公示期到 {last.isoformat()} 结束，发放日期应在公示期满之后"
    if method not in set(PayoutMethod):
        errors["method"] = "请选择发放方式"
    return errors


def _check_payable(plan: DividendPlan) -> None:
    _ensure_current(plan)
    if plan.status in (PlanStatus.DRAFT, PlanStatus.APPROVED):
        raise ServiceError("方案须表决通过并公示期满后才能发放分红")
    if plan.status == PlanStatus.PAID:
        raise ServiceError("此方案的分红已全部发放")


def _mark_paid_if_complete(plan: DividendPlan) -> None:
    unpaid = db.session.scalar(select(func.count()).select_from(DividendLine).where(
        DividendLine.plan_id == plan.id, DividendLine.total_fen > 0,
        DividendLine.paid_on.is_(None)))
    if not unpaid:
        plan.status = PlanStatus.PAID


def pay_line(plan: DividendPlan, line: DividendLine, *, paid_on: date | None,
             method: str | None) -> DividendLine:
    _check_payable(plan)
    if line.plan_id != plan.id:
        raise ServiceError("这条分红明细不属于此方案")
    if line.paid_on is not None:
        raise ServiceError(f"{line.name} 的分红已于 {line.paid_on.isoformat()} 发放")
    if line.total_fen <= 0:
        raise ServiceError(f"{line.name} 本年度分红为 0，无需发放")
    errors = _payment_errors(plan, paid_on, method)
    if errors:
        raise ValidationFailed(errors)
    line.paid_on, line.payment_method = paid_on, method
    db.session.flush()
    _mark_paid_if_complete(plan)
    db.session.flush()
    return line


def pay_all(plan: DividendPlan, *, paid_on: date | None, method: str | None,
            user_id: int | None = None) -> int:
    """Pay every unpaid line in one statement; one audit entry records it."""
    _check_payable(plan)
    errors = _payment_errors(plan, paid_on, method)
    if errors:
        raise ValidationFailed(errors)
    result = db.session.execute(
        update(DividendLine.__table__)
        .where(DividendLine.plan_id == plan.id, DividendLine.paid_on.is_(None),
               DividendLine.total_fen > 0)
        .values(paid_on=paid_on, payment_method=method))
    count = result.rowcount or 0
    db.session.add(AuditEntry(
        cooperative_id=plan.cooperative_id, user_id=user_id, at=clock.utcnow(),
        action="update", record_type=DividendLine.__tablename__, record_id=f"plan {plan.id}",
        before={"paid_on": None},
        after={"paid_on": paid_on.isoformat() if paid_on else None, "payment_method": method,
               "lines": count, "plan_id": plan.id}))
    _mark_paid_if_complete(plan)
    db.session.flush()
    return count


# ---------------------------------------------------------------- reading


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
    kind: str  # surplus / fund / pool
    note: str = ""


def waterfall(plan: DividendPlan) -> list[WaterfallStep]:
    """From the year's surplus to each pool; the steps after the first add up to it."""
    steps = [WaterfallStep("本年盈余" if plan.retained_fen else "可分配盈余", plan.surplus_fen,
                           "surplus")]
    if plan.retained_fen:
        steps.append(WaterfallStep("留存（结转下年）", plan.retained_fen, "retained",
                                   f"年度结账时留存，本次分配 {format_yuan(plan.to_distribute_fen)} 元"))
    steps += [WaterfallStep("公积金", plan.reserve_fen, "fund", format_percent(plan.reserve_rate_bp)),
             WaterfallStep("公益金", plan.welfare_fen, "fund", format_percent(plan.welfare_rate_bp)),
             WaterfallStep("风险金", plan.risk_fen, "fund", format_percent(plan.risk_rate_bp))]
    if plan.guaranteed_total_fen or plan.guaranteed_fen_per_mu:
        steps.append(WaterfallStep("保底收益（土地）", plan.guaranteed_total_fen, "pool",
                                   f"每亩 {format_yuan(plan.guaranteed_fen_per_mu)} 元"))
    if plan.mode == DistributionMode.SPECIALIZED:
        steps.append(WaterfallStep("按交易量返还", plan.patronage_pool_fen, "pool",
                                   f"不低于 {format_percent(plan.patronage_rate_bp)}"))
    steps.append(WaterfallStep("按股分红", plan.capital_pool_fen, "pool",
                               plan.basis_label))
    return steps


@dataclass(frozen=True)
class LineArithmetic:
    guaranteed: tuple[int, int, int] | None  # (mu hundredths, fen per mu, result)
    patronage: rules.PoolShare | None
    capital: rules.PoolShare | None


def line_arithmetic(plan: DividendPlan, line: DividendLine) -> LineArithmetic:
    guaranteed = None
    if plan.guaranteed_fen_per_mu and line.land_mu_hundredths:
        guaranteed = (line.land_mu_hundredths, plan.guaranteed_fen_per_mu, line.guaranteed_fen)
    patronage = None
    if plan.patronage_pool_fen:
        patronage = rules.PoolShare(plan.patronage_pool_fen, line.transactions_fen,
                                    plan.total_transactions_fen, line.patronage_fen)
    capital = None
    if plan.capital_pool_fen:
        capital = rules.PoolShare(plan.capital_pool_fen, line.weight, plan.total_weight,
                                  line.capital_fen)
    return LineArithmetic(guaranteed, patronage, capital)


@dataclass(frozen=True)
class Comparison:
    a: DividendPlan
    b: DividendPlan
    changed: int
    differences: list[tuple[str, str, int, int]]  # member_no, name, total a, total b


def compare(a: DividendPlan, b: DividendPlan, limit: int = 50) -> Comparison:
    """Two plans of one year side by side: the members whose totals differ
    most (computed in SQL over the two plans' lines)."""
    if a.year != b.year or a.cooperative_id != b.cooperative_id:
        raise ServiceError("只能比较同一年度的两个方案")
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
    return Comparison(a, b, int(changed), [(r[0], r[1], int(r[2]), int(r[3])) for r in rows])


@dataclass(frozen=True)
class NoticeRow:
    member_no: str
    name: str
    id_number: str | None
    share_class: str
    shares: int
    total_fen: int
    kind: str


def notice_rows(plan: DividendPlan) -> Iterable[NoticeRow]:
    rows = db.session.execute(
        select(DividendLine.member_no, DividendLine.name, Member.id_number,
               DividendLine.share_class, DividendLine.shares, DividendLine.total_fen,
               DividendLine.kind)
        .join(Member, Member.id == DividendLine.member_id)
        .where(DividendLine.plan_id == plan.id)
        .order_by(DividendLine.member_no, DividendLine.member_id))
    for row in rows:
        yield NoticeRow(*row)


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
