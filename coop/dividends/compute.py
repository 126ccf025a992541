"""Computing a distribution plan: snapshot the year's figures from the
ledger (``coop.machinery``) and the charter's rates into the plan, weigh the
holders from SQL aggregates of the share register (``coop.shares``), run the
pure calculation (``coop.dividends.calculation``) and write the lines with one
bulk insert. Services validate, write and flush; the caller commits once.
"""
from __future__ import annotations

from datetime import date
from itertools import compress, repeat
from typing import Iterable, Iterator, Sequence

from sqlalchemy import delete, func, select

from coop import clock
from coop.bulk import insert_rows, paused_gc
from coop.cooperatives.api import Cooperative, DistributionMode, ShareClass
from coop.dividends import fsc_compute
from coop.dividends.calculation import PlanError, PlanInputs, calculate_plan
from coop.dividends.constants import PlanStatus, WeightBasis
from coop.dividends.models import DividendLine, DividendPlan
from coop.dividends.reading import effective_plan
from coop.errors import ServiceError, ValidationFailed
from coop.extensions import db
from coop.machinery.api import (ensure_distributable, is_year_closed, member_transactions,
                                year_figures)
from coop.members.api import Member
from coop.money import round_half_up_div
from coop.shares.api import RegisterWeight, land_mu_by_member, register_weights

FIRST_YEAR = 2000
FIGURE_FIELDS = ("service_income_members_fen", "service_income_nonmembers_fen",
                 "other_income_fen", "nondistributable_income_fen", "expenses_fen",
                 "depreciation_fen", "carried_surplus_fen", "carried_loss_fen", "surplus_fen",
                 "retained_fen")


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


def check_record_date(year: int, record_date: date | None) -> date:
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

    def __init__(self, rows: Sequence[RegisterWeight]) -> None:
        if len({row.member_id for row in rows}) < len(rows):  # someone holds several classes
            rows = _merge_classes(rows)
        # the columns in RegisterWeight's order
        columns = [list(column) for column in zip(*rows)] if rows else \
            [[] for _ in RegisterWeight._fields]
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


def _merge_classes(rows: Sequence[RegisterWeight]) -> list[RegisterWeight]:
    """One row per member: shares and share-days added up over the classes,
    the classes held on the record date joined in the charter's order."""
    merged: dict[int, list] = {}
    for w in rows:
        held = [w.share_class] if w.shares else []
        row = merged.get(w.member_id)
        if row is None:
            merged[w.member_id] = [w, held, w.shares, w.share_days]
        else:
            row[1] += held
            row[2] += w.shares
            row[3] += w.share_days
    return [w._replace(share_class=_classes_text(held), shares=shares, share_days=days)
            for w, held, shares, days in merged.values()]


def _fill(plan: DividendPlan, coop: Cooperative) -> list[tuple]:
    """Snapshot the inputs into ``plan``, calculate, and return the line rows.

    Column-wise throughout (lists zipped and mapped in C): at 100,000 holders
    a Python loop per holder and step cost more than the queries.
    """
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
    accounts = fsc_compute.AccountFigures.gather(coop, year, on) if specialized else None
    missing = (set(guaranteed) | set(transactions) | (accounts.member_ids if accounts else set())
               ) - holders.number_of.keys()
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
        if accounts is None:
            fsc_compute.clear(plan)
            result, fsc = calculate_plan(inputs), None
        else:
            fsc = fsc_compute.calculate(plan, coop, inputs, accounts, holders.keyed)
            result = fsc.plan
    except PlanError as exc:
        raise ServiceError(str(exc)) from None

    w = result.waterfall
    plan.reserve_fen, plan.welfare_fen, plan.risk_fen = w.reserve_fen, w.welfare_fen, w.risk_fen
    plan.distributable_fen = w.after_funds_fen
    plan.guaranteed_total_fen = w.guaranteed_fen
    plan.patronage_pool_fen = w.patronage_fen
    plan.capital_pool_fen = w.capital_fen
    plan.total_weight = result.total_weight if fsc is None else sum(weights)
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
    if fsc is not None:
        return list(zip(
            repeat(plan.id), member_ids, lines.keys, pick(holders.names), pick(holders.kinds),
            pick(holders.classes), pick(holders.shares),
            fsc_compute.share_weight_column(fsc, dict(zip(holders.numbers, weights))),
            map(land.get, member_ids, repeat(0)), lines.transactions_fen, lines.guaranteed_fen,
            lines.patronage_fen, lines.capital_fen, lines.total_fen, *fsc.columns))
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
    """Replace the draft's lines: one DELETE, then the rows straight to the
    driver. A specialized plan's rows carry the accounts' columns too; a
    joint-stock plan's leave them 0."""
    db.session.execute(delete(DividendLine.__table__).where(DividendLine.plan_id == plan.id))
    if not rows:
        return
    columns = LINE_COLUMNS if len(rows[0]) == len(LINE_COLUMNS) else (
        LINE_COLUMNS + fsc_compute.FSC_LINE_COLUMNS)
    insert_rows(db.session.connection(), DividendLine.__tablename__, columns, rows)


def refill(plan: DividendPlan, coop: Cooperative) -> None:
    """Calculate the draft from the books and replace its lines."""
    with paused_gc():  # 100,000 holders: see coop.bulk
        _write_lines(plan, _fill(plan, coop))
    db.session.flush()


def next_version_no(coop_id: int, year: int) -> int:
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
    record_date = check_record_date(year, record_date)
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
                            version_no=next_version_no(coop.id, year),
                            supersedes_id=supersedes_id, weight_basis=basis_,
                            record_date=record_date, mode=coop.distribution_mode)
        db.session.add(plan)
        db.session.flush()
    plan.record_date = record_date
    refill(plan, coop)
    return plan
