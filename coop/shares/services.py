"""The share register: contributions, transfers, inheritance, redemption, reversal.

Every movement is first *planned* (inputs checked, the entries it would write
worked out), then *assessed* against the register (bands, cap, no holding
below zero) and only then written. The htmx previews call the same plan and
assessment without writing, so the preview shows exactly what a save would do.
Holdings are always sums of entries computed in SQL. Services flush, never commit.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Iterable, NamedTuple

from sqlalchemy import (BigInteger, ColumnElement, Integer, and_, case, cast, func, literal,
                        literal_column, or_, select)

from coop import clock
from coop.cooperatives.closing import closed_date_error, ensure_date_open
from coop.cooperatives.constants import ShareClass
from coop.cooperatives.models import Cooperative
from coop.cooperatives.services import lock_par_value_when
from coop.errors import ServiceError, ValidationFailed
from coop.extensions import cache, db
from coop.members.models import Member
from coop.money import format_mu, format_yuan
from coop.shares.land import (  # noqa: F401  (land_mu_by_member: the dividends' input)
    class_land,
    land_below_zero,
    land_mu_by_member,
    member_land_mu,
)
from coop.shares.models import ShareEntry
from coop.shares.rules import (
    ClassBand,
    ContributionKind,
    EntryKind,
    RuleError,
    band_errors,
    cap_error,
    first_negative,
    holder_kind_error,
    land_moved,
    ratio_bp,
    value_contribution,
)

CLASSES = tuple(sc.value for sc in ShareClass)
COLLECTIVE_KIND = "collective"
RESOLUTION_HINT = "如成员（代表）大会已作出决议同意，请在“决议文号”中填写决议文号后再保存。"
FOUNDING_HINT = ("股权登记簿还没有股份：新设立合作社的首批入股请在“设立登记”页面一次登记"
                 "（或导入表格），按全部登记完成后的股权结构检查。")


# -- queries: holdings are sums of entries, in SQL ---------------------------


class Holding(NamedTuple):
    member_id: int
    share_class: str
    shares: int


def _sum_shares():
    return func.coalesce(func.sum(ShareEntry.shares), 0)


def holdings_as_of(coop_id: int, on: date) -> list[Holding]:
    """(member_id, share_class, shares) of every non-zero holding on ``on``: one GROUP BY.

    Run as a Core statement on the session's connection: for 100,000 holders
    the ORM's row handling costs more than the query itself.
    """
    t = ShareEntry.__table__
    total = func.sum(t.c.shares)
    db.session.flush()
    rows = db.session.connection().execute(
        select(t.c.member_id, t.c.share_class, total)
        .where(t.c.cooperative_id == coop_id, t.c.effective_on <= on)
        .group_by(t.c.member_id, t.c.share_class)
        .having(total != 0)
        .order_by(t.c.member_id, t.c.share_class)
    ).all()
    return [Holding(m, c, int(s)) for m, c, s in rows]


def class_totals(coop_id: int, on: date | None = None) -> dict[str, int]:
    query = select(ShareEntry.share_class, _sum_shares()).where(
        ShareEntry.cooperative_id == coop_id).group_by(ShareEntry.share_class)
    if on is not None:
        query = query.where(ShareEntry.effective_on <= on)
    totals = {sc: 0 for sc in CLASSES}
    for sc, n in db.session.execute(query):
        totals[sc] = int(n)
    return totals


def member_holdings(member_id: int, on: date | None = None) -> dict[str, int]:
    """Shares of one member per class (all classes, zeros included)."""
    query = select(ShareEntry.share_class, _sum_shares()).where(
        ShareEntry.member_id == member_id).group_by(ShareEntry.share_class)
    if on is not None:
        query = query.where(ShareEntry.effective_on <= on)
    out = {sc: 0 for sc in CLASSES}
    for sc, n in db.session.execute(query):
        out[sc] = int(n)
    return out


def member_total_shares(member_id: int) -> int:
    """The member's current total of all classes (every entry recorded so far)."""
    return int(db.session.scalar(
        select(_sum_shares()).where(ShareEntry.member_id == member_id)) or 0)


PAR_VALUE_LOCKED = "已有股份登记，每股面值不能再修改"


@lock_par_value_when
def par_value_locked_by_register(coop_id: int) -> str | None:
    """Every entry was valued at the par value of its day: once one exists the
    par value is fixed (a split or consolidation would be a recorded act that
    converts every holding; none is offered)."""
    entry = db.session.scalar(select(ShareEntry.id)
                              .where(ShareEntry.cooperative_id == coop_id).limit(1))
    return PAR_VALUE_LOCKED if entry is not None else None


def _share_days_sum(connection, year: int):
    """SUM of shares x days held in ``year`` over the entries dated up to its
    31 December (both ends counted): an entry before 1 January counts the
    whole year, an entry dated d inside the year counts from d to 31 December
    - the arithmetic of :func:`coop.dividends.share_days.share_days_sql_formula`,
    done by the database."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    days_in_year = (end - start).days + 1
    t = ShareEntry.__table__
    if connection.dialect.name == "postgresql":
        days = literal(end) - t.c.effective_on + 1
    else:  # no date objects to build: julianday on the stored text
        days = cast(func.julianday(literal(end.isoformat())) - func.julianday(t.c.effective_on),
                    Integer) + 1
    # 64-bit before multiplying: PostgreSQL's int x int overflows at 2^31
    return func.sum(cast(t.c.shares, BigInteger)
                    * case((t.c.effective_on < start, days_in_year), else_=days))


def share_days(coop_id: int, year: int) -> dict[int, int]:
    """member_id -> shares x days held in ``year`` (both ends counted), all
    classes: :func:`register_weights`'s share-days, added up over the classes."""
    days: dict[int, int] = {}
    for member_id, *_, n in register_weights(coop_id, date(year, 12, 31), with_share_days=True):
        days[member_id] = days.get(member_id, 0) + n
    return {member_id: n for member_id, n in days.items() if n}


def register_weights(coop_id: int, record_date: date, *, with_share_days: bool = False
                     ) -> list[tuple[int, str, str, str, str, int, int]]:
    """(member id, member number, name, kind, class, shares held on
    ``record_date``, share-days in its year or 0 unless asked for) per member
    and class, in no particular order: the inputs of a dividend plan in one
    pass over the register's covering index.

    Only rows where either figure is non-zero (filtered outside the grouping:
    SQLite would compute the sums twice in a HAVING). The register is grouped first
    and the groups joined to the roster (joining 1,000,000 entries before
    grouping cost ten times more). Core rows, not ORM objects: 100,000 holders.
    """
    e, m = ShareEntry.__table__, Member.__table__
    db.session.flush()
    connection = db.session.connection()
    if with_share_days:
        shares = func.sum(case((e.c.effective_on <= record_date, e.c.shares), else_=0))
        days = cast(_share_days_sum(connection, record_date.year), BigInteger)
        until = date(record_date.year, 12, 31)
    else:
        shares = func.sum(e.c.shares)
        days = literal_column("0")
        until = record_date
    shares = cast(shares, BigInteger)  # PostgreSQL's SUM of bigint is numeric (Decimal)
    held = (select(e.c.member_id, e.c.share_class, shares.label("shares"), days.label("days"))
            .where(e.c.cooperative_id == coop_id, e.c.effective_on <= until)
            .group_by(e.c.member_id, e.c.share_class)).subquery()
    return connection.execute(
        select(held.c.member_id, m.c.member_no, m.c.name, m.c.kind, held.c.share_class,
               held.c.shares, held.c.days)
        .join(m, m.c.id == held.c.member_id)
        .where(or_(held.c.shares != 0, held.c.days != 0) if with_share_days
               else held.c.shares != 0)).all()


def _latest_date(coop_id: int) -> date | None:
    return db.session.scalar(
        select(func.max(ShareEntry.effective_on)).where(ShareEntry.cooperative_id == coop_id))


def _member_class_deltas_from(member_id: int, share_class: str, on: date) -> tuple[int, list]:
    """Holding before ``on`` and the per-date sums from ``on`` on, for one member and class."""
    base = and_(ShareEntry.member_id == member_id, ShareEntry.share_class == share_class)
    opening = int(db.session.scalar(
        select(_sum_shares()).where(base, ShareEntry.effective_on < on)) or 0)
    later = [(d, int(n)) for d, n in db.session.execute(
        select(ShareEntry.effective_on, func.sum(ShareEntry.shares))
        .where(base, ShareEntry.effective_on >= on)
        .group_by(ShareEntry.effective_on).order_by(ShareEntry.effective_on))]
    return opening, later


def _top_holder(coop_id: int, on: date, exclude: Iterable[int]) -> tuple[int, int] | None:
    """(member_id, shares) of the largest holder other than the collective entity."""
    total = func.sum(ShareEntry.shares)
    query = (
        select(ShareEntry.member_id, total)
        .join(Member, Member.id == ShareEntry.member_id)
        .where(ShareEntry.cooperative_id == coop_id, ShareEntry.effective_on <= on,
               Member.kind != COLLECTIVE_KIND)
        .group_by(ShareEntry.member_id)
        .order_by(total.desc(), ShareEntry.member_id)
        .limit(1)
    )
    exclude = [m for m in exclude if m is not None]
    if exclude:
        query = query.where(ShareEntry.member_id.not_in(exclude))
    row = db.session.execute(query).first()
    return (row[0], int(row[1])) if row else None


# -- dates --------------------------------------------------------------------


def date_error(coop: Cooperative, on: date | None, what: str = "登记日期") -> str | None:
    if on is None:
        return f"请填写{what}"
    if on > clock.today():
        return f"{what}不能晚于今天"
    if on.year < 1950:
        return f"{what}不合理，请核对"
    return closed_date_error(coop.id, on)


# -- plans ----------------------------------------------------------------------


@dataclass
class Draft:
    """One entry a plan would write; ``member_id`` None is the heir to be created."""

    member_id: int | None
    share_class: str
    shares: int
    entry_kind: str
    contribution_kind: str | None = None
    value_fen: int = 0
    land_mu: int | None = None
    unit_price_fen: int | None = None
    labour_days: int | None = None
    asset_name: str = ""
    machine_id: int | None = None
    counterparty_id: int | None = None
    reverses_id: int | None = None


@dataclass
class Plan:
    coop: Cooperative
    effective_on: date
    drafts: list[Draft]
    summary: str
    members: dict[int | None, Any] = field(default_factory=dict)  # id -> Member or heir info
    new_heir: dict[str, Any] | None = None


@dataclass
class ClassImpact:
    share_class: str
    label: str
    before: int
    after: int
    before_bp: int | None
    after_bp: int | None
    target_bp: int
    min_bp: int
    max_bp: int

    @property
    def in_band(self) -> bool:
        return self.after_bp is None or self.min_bp <= self.after_bp <= self.max_bp

    @property
    def change(self) -> int:
        return self.after - self.before


@dataclass
class MemberImpact:
    member_id: int | None
    member_no: str
    name: str
    before: dict[str, int]
    after: dict[str, int]
    after_bp: int | None

    @property
    def before_total(self) -> int:
        return sum(self.before.values())

    @property
    def after_total(self) -> int:
        return sum(self.after.values())


@dataclass
class Assessment:
    plan: Plan
    classes: list[ClassImpact]
    members: list[MemberImpact]
    total_before: int
    total_after: int
    needs_resolution: list[str]  # band and cap messages a resolution may override
    later_entries: bool  # entries dated after this one exist
    founding: bool = False  # a founding batch, checked on its end state


def charter_bands(coop: Cooperative) -> list[ClassBand]:
    return [ClassBand(sc, *coop.class_band(sc)) for sc in ShareClass]


def _member_in_coop(coop: Cooperative, member_id: int | None, field_name: str,
                    errors: dict[str, str], what: str = "成员") -> Member | None:
    if not member_id:
        errors[field_name] = f"请填写{what}"
        return None
    member = db.session.get(Member, member_id)
    if member is None or member.cooperative_id != coop.id:
        errors[field_name] = f"本合作社没有这位{what}；股权只能在本合作社成员之间变动"
        return None
    return member


def _class_or_error(share_class: str | None, errors: dict[str, str]) -> ShareClass | None:
    try:
        return ShareClass(share_class)
    except ValueError:
        errors["share_class"] = "请选择股份类别"
        return None


def _require_active(member: Member, field_name: str, errors: dict[str, str], what: str) -> None:
    if member.status != "active":
        errors.setdefault(field_name, f"{member.name}（{member.member_no}）状态为"
                                      f"{member.status_label}，不能{what}")


def plan_contribution(coop: Cooperative, *, member_id: int | None, share_class: str | None,
                      contribution_kind: str | None, effective_on: date | None,
                      amount_fen: int | None = None, land_mu: int | None = None,
                      price_per_mu_fen: int | None = None, labour_days: int | None = None,
                      price_per_day_fen: int | None = None, asset_name: str = "",
                      machine_id: int | None = None) -> Plan:
    """A subscription (入股): value -> whole shares, for a member allowed to hold the class."""
    errors: dict[str, str] = {}
    member = _member_in_coop(coop, member_id, "member_id", errors)
    sc = _class_or_error(share_class, errors)
    if member is not None:
        _require_active(member, "member_id", errors, "入股")
        if sc is not None and (msg := holder_kind_error(sc, member.kind)):
            errors["share_class"] = msg
    if (msg := date_error(coop, effective_on)):
        errors["effective_on"] = msg
    try:
        kind = ContributionKind(contribution_kind)
    except ValueError:
        errors["contribution_kind"] = "请选择出资方式"
        kind = None
    valuation = None
    asset_name = (asset_name or "").strip()
    machine = None
    if kind is not None:
        try:
            valuation = value_contribution(
                kind, coop.par_value_fen, amount_fen=amount_fen, land_mu=land_mu,
                price_per_mu_fen=price_per_mu_fen, labour_days=labour_days,
                price_per_day_fen=price_per_day_fen)
        except RuleError as exc:
            errors[exc.field or "amount_fen"] = exc.message
        if kind == ContributionKind.IN_KIND:
            if machine_id:
                machine = _machine_in_coop(coop, machine_id, errors)
                if machine is not None and not asset_name:
                    asset_name = machine.name
            if not asset_name and "machine_id" not in errors:
                errors["asset_name"] = "请填写实物名称，或选择所出资的农机具"
            if len(asset_name) > 120:
                errors["asset_name"] = "实物名称不能超过 120 个字"
    if errors:
        raise ValidationFailed(errors)
    assert member is not None and sc is not None and kind is not None and valuation
    draft = Draft(
        member_id=member.id, share_class=sc.value, shares=valuation.shares,
        entry_kind=EntryKind.SUBSCRIBE.value, contribution_kind=kind.value,
        value_fen=valuation.value_fen,
        land_mu=land_mu if kind == ContributionKind.LAND else None,
        unit_price_fen=(price_per_mu_fen if kind == ContributionKind.LAND else
                        price_per_day_fen if kind == ContributionKind.LABOUR else None),
        labour_days=labour_days if kind == ContributionKind.LABOUR else None,
        asset_name=asset_name if kind == ContributionKind.IN_KIND else "",
        machine_id=machine.id if machine is not None else None,
    )
    summary = (f"{member.name}（{member.member_no}）以{valuation.description}入股，"
               f"折合{sc.label} {valuation.shares:,} 股")
    return Plan(coop, effective_on, [draft], summary, {member.id: member})


def _machine_in_coop(coop: Cooperative, machine_id: int, errors: dict[str, str]):
    try:
        from coop.machinery.models import Machine
    except ImportError:  # pragma: no cover - machinery is part of the app
        errors["machine_id"] = "农机具登记尚不可用"
        return None
    machine = db.session.get(Machine, machine_id)
    if machine is None or machine.cooperative_id != coop.id:
        errors["machine_id"] = "本合作社没有这台农机具"
        return None
    used = db.session.execute(
        select(ShareEntry.member_id, func.sum(ShareEntry.shares))
        .where(ShareEntry.machine_id == machine.id)
        .group_by(ShareEntry.member_id).having(func.sum(ShareEntry.shares) != 0)
    ).first()
    if used is not None:
        holder = db.session.get(Member, used[0])
        errors["machine_id"] = f"这台农机具（{machine.name}）已登记为{holder.name}的实物出资"
        return None
    return machine


def plan_transfer(coop: Cooperative, *, from_member_id: int | None, to_member_id: int | None,
                  share_class: str | None, shares: int | None,
                  effective_on: date | None) -> Plan:
    """A transfer (转让) between two members of this cooperative, inside one class."""
    errors: dict[str, str] = {}
    giver = _member_in_coop(coop, from_member_id, "from_member_id", errors, "转出成员")
    taker = _member_in_coop(coop, to_member_id, "to_member_id", errors, "受让成员")
    sc = _class_or_error(share_class, errors)
    if giver is not None:
        _require_active(giver, "from_member_id", errors, "转让股份")
    if taker is not None:
        _require_active(taker, "to_member_id", errors, "受让股份")
        if sc is not None and (msg := holder_kind_error(sc, taker.kind)):
            errors["to_member_id"] = msg
    if giver is not None and taker is not None and giver.id == taker.id:
        errors["to_member_id"] = "转出成员和受让成员不能是同一人"
    if not shares or shares <= 0:
        errors["shares"] = "请填写大于 0 的转让股数"
    if (msg := date_error(coop, effective_on)):
        errors["effective_on"] = msg
    if errors:
        raise ValidationFailed(errors)
    value = shares * coop.par_value_fen
    mu = _land_with(giver.id, sc.value, effective_on, shares)
    drafts = [
        Draft(giver.id, sc.value, -shares, EntryKind.TRANSFER_OUT.value, value_fen=-value,
              land_mu=-mu if mu else None, counterparty_id=taker.id),
        Draft(taker.id, sc.value, shares, EntryKind.TRANSFER_IN.value, value_fen=value,
              land_mu=mu or None, counterparty_id=giver.id),
    ]
    summary = (f"{giver.name}（{giver.member_no}）将{sc.label} {shares:,} 股"
               f"转让给{taker.name}（{taker.member_no}）")
    if mu:
        summary += f"，其中入股土地 {format_mu(mu)} 亩随股份转让（土地保底收益随之转移）"
    return Plan(coop, effective_on, drafts, summary, {giver.id: giver, taker.id: taker})


def plan_redemption(coop: Cooperative, *, member_id: int | None, share_class: str | None,
                    shares: int | None, effective_on: date | None) -> Plan:
    """A redemption (退股): the cooperative pays back shares x par value; the
    contributed land those shares carry is returned and its guarantee ends."""
    errors: dict[str, str] = {}
    member = _member_in_coop(coop, member_id, "member_id", errors)
    sc = _class_or_error(share_class, errors)
    if member is not None:
        _require_active(member, "member_id", errors, "退股")
    if not shares or shares <= 0:
        errors["shares"] = "请填写大于 0 的退股股数"
    if (msg := date_error(coop, effective_on)):
        errors["effective_on"] = msg
    if errors:
        raise ValidationFailed(errors)
    value = shares * coop.par_value_fen
    mu = _land_with(member.id, sc.value, effective_on, shares)
    draft = Draft(member.id, sc.value, -shares, EntryKind.REDEEM.value, value_fen=-value,
                  land_mu=-mu if mu else None)
    summary = (f"{member.name}（{member.member_no}）退{sc.label} {shares:,} 股，"
               f"退还股金 {format_yuan(value)} 元")
    if mu:
        summary += f"，退还入股土地 {format_mu(mu)} 亩（其土地保底收益随之终止）"
    return Plan(coop, effective_on, [draft], summary, {member.id: member})


def _land_with(member_id: int, share_class: str, on: date, shares: int) -> int:
    """The land (hundredths of a mu) that goes with ``shares`` of the member's class on ``on``."""
    held = class_land(member_id, share_class, on)
    return land_moved(held.land_mu, held.shares, shares)


def plan_inheritance(coop: Cooperative, *, deceased_id: int | None, heir_id: int | None = None,
                     new_heir: dict[str, Any] | None = None, effective_on: date | None,
                     shares_by_class: dict[str, int | None] | None = None) -> Plan:
    """Inheritance (继承) from a deceased member to one heir.

    The heir is a member of this cooperative, or ``new_heir`` (member_no,
    name, kind, household_no ...), created when the inheritance is saved.
    ``shares_by_class`` limits the shares per class (several heirs); absent or
    None means everything the deceased holds in that class. Cadre shares that
    go to an heir who is not a cadre become villager shares (only cadres hold
    cadre shares). Contributed land goes with the shares (coop.shares.land).
    """
    errors: dict[str, str] = {}
    deceased = _member_in_coop(coop, deceased_id, "deceased_id", errors, "已故成员")
    if deceased is not None:
        if deceased.kind == COLLECTIVE_KIND:
            errors["deceased_id"] = "村集体的股份不能继承"
        elif deceased.status != "deceased":
            errors["deceased_id"] = (f"{deceased.name}（{deceased.member_no}）的状态是"
                                     f"{deceased.status_label}；请先在成员页登记其去世，再办理继承")
    heir = None
    heir_kind = None
    heir_label = ""
    if new_heir is not None:
        new_heir = _heir_values(coop, new_heir, deceased, effective_on)
        errors.update(_new_heir_errors(coop, new_heir))
        heir_kind = new_heir["kind"]
        heir_label = f"{new_heir['name']}（新成员 {new_heir['member_no']}）"
    else:
        heir = _member_in_coop(coop, heir_id, "heir_id", errors, "继承人")
        if heir is not None:
            _require_active(heir, "heir_id", errors, "继承股份")
            if deceased is not None and heir.id == deceased.id:
                errors["heir_id"] = "继承人不能是已故成员本人"
            heir_kind = heir.kind
            heir_label = f"{heir.name}（{heir.member_no}）"
    if (msg := date_error(coop, effective_on)):
        errors["effective_on"] = msg
    if errors:
        raise ValidationFailed(errors)
    held = member_holdings(deceased.id, effective_on)
    wanted = {sc: held[sc] for sc in CLASSES}
    for sc, n in (shares_by_class or {}).items():
        if n is None:
            continue
        if n < 0:
            errors[f"{sc}_shares"] = "继承股数不能为负数"
        elif n > held.get(sc, 0):
            errors[f"{sc}_shares"] = (f"{deceased.name}在 {effective_on.isoformat()} 只持有"
                                      f"{ShareClass(sc).label} {held.get(sc, 0):,} 股")
        wanted[sc] = n
    if not errors and not any(n > 0 for n in wanted.values()):
        errors["deceased_id"] = f"{deceased.name}在 {effective_on.isoformat()} 没有可继承的股份"
    drafts: list[Draft] = []
    heir_key = heir.id if heir is not None else None
    for sc in CLASSES:
        n = wanted[sc]
        if n <= 0:
            continue
        to_class = sc
        if sc == ShareClass.CADRE and heir_kind != "cadre":
            to_class = ShareClass.VILLAGER.value
        if (msg := holder_kind_error(to_class, heir_kind)):
            errors["heir_id"] = msg
            continue
        value = n * coop.par_value_fen
        mu = land_moved(class_land(deceased.id, sc, effective_on).land_mu, held[sc], n) or None
        drafts.append(Draft(deceased.id, sc, -n, EntryKind.INHERIT_OUT.value, value_fen=-value,
                            land_mu=-mu if mu else None, counterparty_id=heir_key))
        drafts.append(Draft(heir_key, to_class, n, EntryKind.INHERIT_IN.value, value_fen=value,
                            land_mu=mu, counterparty_id=deceased.id))
    if errors:
        raise ValidationFailed(errors)
    parts = "、".join(f"{ShareClass(d.share_class).label} {-d.shares:,} 股"
                     for d in drafts if d.shares < 0)
    summary = f"{heir_label}继承已故成员{deceased.name}（{deceased.member_no}）的{parts}"
    if any(d.share_class == "cadre" for d in drafts if d.shares < 0) and heir_kind != "cadre":
        summary += "（干部股由非干部继承人继承，转为村民股）"
    if (mu := sum(d.land_mu or 0 for d in drafts if d.shares > 0)):
        summary += f"，其中入股土地 {format_mu(mu)} 亩随股份继承（土地保底收益随之转移）"
    members: dict[int | None, Any] = {deceased.id: deceased}
    if heir is not None:
        members[heir.id] = heir
    else:
        members[None] = new_heir
    return Plan(coop, effective_on, drafts, summary, members, new_heir=new_heir)


HEIR_FIELDS = ("member_no", "name", "kind", "household_no", "village_group", "id_number",
               "phone")


def _heir_values(coop: Cooperative, info: dict[str, Any], deceased: Member | None,
                 on: date | None) -> dict[str, Any]:
    values = {f: (info.get(f) or "").strip() for f in HEIR_FIELDS}
    values["kind"] = values["kind"] or "villager"
    if deceased is not None:
        values["household_no"] = values["household_no"] or deceased.household_no
        values["village_group"] = values["village_group"] or deceased.village_group
    values["id_number"] = values["id_number"] or None
    values["joined_on"] = on
    return values


def _new_heir_errors(coop: Cooperative, values: dict[str, Any]) -> dict[str, str]:
    """The members domain's own checks of a new member, keyed ``heir_<field>``."""
    errors = {}
    if values["kind"] not in ("villager", "cadre"):
        errors["heir_kind"] = "继承人只能是村民或干部"
    try:
        from coop.members.services import validate_member
    except ImportError:  # pragma: no cover - the members domain is part of the app
        validate_member = None
    if validate_member is not None:
        _, member_errors = validate_member(coop.id, dict(values, is_party_member=False))
        for field_name, message in member_errors.items():
            errors.setdefault(f"heir_{field_name}", message)
    else:  # pragma: no cover
        if not values["member_no"]:
            errors["heir_member_no"] = "请填写成员编号"
        if not values["name"]:
            errors["heir_name"] = "请填写姓名"
    return errors


def plan_reversal(coop: Cooperative, *, entry_id: int, effective_on: date | None) -> Plan:
    """Undo a movement: one new entry per entry of it, with the opposite sign."""
    entry = db.session.get(ShareEntry, entry_id)
    if entry is None or entry.cooperative_id != coop.id:
        raise ServiceError("没有这条股权登记")
    if entry.reverses_id is not None:
        raise ServiceError("这是一条冲销记录，不能再冲销；如需恢复，请重新登记")
    originals = list(db.session.scalars(
        select(ShareEntry).where(ShareEntry.cooperative_id == coop.id,
                                 ShareEntry.movement == entry.movement)
        .order_by(ShareEntry.id)))
    reversed_ids = set(db.session.scalars(
        select(ShareEntry.reverses_id).where(
            ShareEntry.reverses_id.in_([e.id for e in originals]))))
    if reversed_ids:
        raise ServiceError(f"第 {entry.id} 号登记已经冲销过，不能重复冲销")
    errors = {}
    if (msg := date_error(coop, effective_on, "冲销日期")):
        errors["effective_on"] = msg
    elif effective_on < entry.effective_on:
        errors["effective_on"] = (f"冲销日期不能早于原登记日期 {entry.effective_on.isoformat()}")
    if errors:
        raise ValidationFailed(errors)
    drafts = [
        Draft(e.member_id, e.share_class, -e.shares, e.entry_kind,
              contribution_kind=e.contribution_kind, value_fen=-e.value_fen,
              land_mu=-e.land_mu if e.land_mu else None, unit_price_fen=e.unit_price_fen,
              labour_days=e.labour_days, asset_name=e.asset_name, machine_id=e.machine_id,
              counterparty_id=e.counterparty_id, reverses_id=e.id)
        for e in originals
    ]
    ids = "、".join(f"第 {e.id} 号" for e in originals)
    summary = f"冲销{ids}登记（{entry.kind_label}，{entry.effective_on.isoformat()}）"
    members = {e.member_id: e.member for e in originals}
    return Plan(coop, effective_on, drafts, summary, members)


# -- assessment -------------------------------------------------------------------


def _deltas(plan: Plan) -> tuple[dict[str, int], dict[int | None, dict[str, int]]]:
    by_class = {sc: 0 for sc in CLASSES}
    by_member: dict[int | None, dict[str, int]] = {}
    for d in plan.drafts:
        by_class[d.share_class] += d.shares
        by_member.setdefault(d.member_id, {sc: 0 for sc in CLASSES})[d.share_class] += d.shares
    return by_class, by_member


def _member_label(plan: Plan, member_id: int | None) -> tuple[str, str, str]:
    """(member_no, name, kind) of a member of the plan, or of the heir to be created."""
    m = plan.members.get(member_id)
    if member_id is None:
        info = m or {}
        return (info.get("member_no") or "", (info.get("name") or "").strip() or "继承人",
                info.get("kind") or "villager")
    if m is None:
        m = db.session.get(Member, member_id)
    return m.member_no, m.name, m.kind


def assess(plan: Plan) -> Assessment:
    """What the plan does to the register; raises ServiceError for a hard refusal.

    Hard: a holding below zero, on the date or on any later date. Soft (a
    charter resolution may allow them): a class taken out of its band, or
    further out; a member other than the collective entity taken over the cap.
    Both are checked on the entry's date and on the register's latest date.
    """
    coop, on = plan.coop, plan.effective_on
    class_delta, member_delta = _deltas(plan)

    # no holding below zero, now or later
    for member_id, per_class in member_delta.items():
        if member_id is None:
            continue
        for sc, delta in per_class.items():
            if delta >= 0:
                continue
            opening, later = _member_class_deltas_from(member_id, sc, on)
            merged: dict[date, int] = dict(later)
            merged[on] = merged.get(on, 0) + delta
            bad = first_negative(opening, sorted(merged.items()))
            if bad is not None:
                _, name, _ = _member_label(plan, member_id)
                label = ShareClass(sc).label
                held_then = opening + dict(later).get(on, 0)
                if bad[0] == on:
                    raise ServiceError(
                        f"{name}在 {on.isoformat()} 持有{label} {held_then:,} 股，"
                        f"不足 {-delta:,} 股；持股不能小于零", field="shares")
                raise ServiceError(
                    f"{name}在 {on.isoformat()} 之后还有登记：按此登记，其{label}在 "
                    f"{bad[0].isoformat()} 将变为 {bad[1]:,} 股；持股不能小于零",
                    field="shares")

    # no land below zero either: the land a redemption or transfer takes is
    # worked out on its date; an entry back-dated before later ones can't
    # take land that a later entry already moved
    for d in plan.drafts:
        if d.member_id is None or not d.land_mu or d.land_mu > 0:
            continue
        bad = land_below_zero(d.member_id, d.share_class, on, d.land_mu)
        if bad is not None:
            _, name, _ = _member_label(plan, d.member_id)
            raise ServiceError(
                f"{name}在 {on.isoformat()} 之后还有涉及入股土地的登记：按此登记，其"
                f"{ShareClass(d.share_class).label}所附入股土地在 "
                f"{bad[0].isoformat()} 将变为 {format_mu(bad[1])} 亩；入股土地不能小于零，"
                "请按时间顺序登记", field="effective_on")

    bands = charter_bands(coop)
    latest = _latest_date(coop.id)
    check_dates = [on] + ([latest] if latest and latest > on else [])
    needs_resolution: list[str] = []
    first_before = first_after = None
    for when in check_dates:
        before = class_totals(coop.id, when)
        after = {sc: before[sc] + class_delta[sc] for sc in CLASSES}
        if first_before is None:
            first_before, first_after = before, after
        for msg in band_errors(before, after, bands, when if when != on else None):
            if msg not in needs_resolution:
                needs_resolution.append(msg)
        total_before, total_after = sum(before.values()), sum(after.values())
        # every member of the plan whose part of all shares grows, and when
        # the total shrinks, everyone else's part grows: the largest of them
        # is over the cap if anyone is
        held = {m: sum(member_holdings(m, when).values()) if m is not None else 0
                for m in member_delta}
        over = [(m, held[m], held[m] + sum(member_delta[m].values())) for m in member_delta]
        if total_after < total_before:
            top = _top_holder(coop.id, when, [m for m in member_delta if m is not None])
            if top is not None:
                over.append((top[0], top[1], top[1]))
        for member_id, held_before, held_after in over:
            _, name, kind = _member_label(plan, member_id)
            if kind == COLLECTIVE_KIND:
                continue
            msg = cap_error(name, held_before, total_before, held_after, total_after,
                            coop.member_cap_bp)
            if msg and msg not in needs_resolution:
                needs_resolution.append(msg)

    total_before, total_after = sum(first_before.values()), sum(first_after.values())
    classes = []
    for band in bands:
        sc = band.share_class.value
        classes.append(ClassImpact(
            sc, band.share_class.label, first_before[sc], first_after[sc],
            ratio_bp(first_before[sc], total_before), ratio_bp(first_after[sc], total_after),
            band.target_bp, band.min_bp, band.max_bp))
    members = []
    for member_id, per_class in member_delta.items():
        no, name, _ = _member_label(plan, member_id)
        before = member_holdings(member_id, on) if member_id else {sc: 0 for sc in CLASSES}
        after = {sc: before[sc] + per_class[sc] for sc in CLASSES}
        members.append(MemberImpact(member_id, no, name, before, after,
                                    ratio_bp(sum(after.values()), total_after)))
    return Assessment(plan, classes, members, total_before, total_after, needs_resolution,
                      later_entries=bool(latest and latest > on))


# -- writing ----------------------------------------------------------------------


def clean_resolution(resolution_no: str | None) -> str:
    text = (resolution_no or "").strip()
    if len(text) > 60:
        raise ValidationFailed({"resolution_no": "决议文号不能超过 60 个字"})
    return text


def clean_note(note: str | None) -> str:
    text = (note or "").strip()
    if len(text) > 200:
        raise ValidationFailed({"note": "备注不能超过 200 个字"})
    return text


def resolution_refusal(assessment: Assessment) -> ServiceError:
    """The refusal of an assessment whose band or cap messages need a resolution."""
    hint = FOUNDING_HINT if assessment.total_before == 0 and not assessment.founding else ""
    return ServiceError("；".join(assessment.needs_resolution) + "。" + hint + RESOLUTION_HINT,
                        field="resolution_no")


def commit_plan(plan: Plan, *, resolution_no: str = "", note: str = "",
                recorded_by_id: int | None = None) -> list[ShareEntry]:
    """Assess the plan and write its entries; nothing is written when a rule refuses."""
    ensure_date_open(plan.coop.id, plan.effective_on, field="effective_on")
    resolution_no = clean_resolution(resolution_no)
    note = clean_note(note)
    assessment = assess(plan)
    if assessment.needs_resolution and not resolution_no:
        raise resolution_refusal(assessment)
    return write_plan(plan, resolution_no=resolution_no, note=note,
                      recorded_by_id=recorded_by_id)


def write_plan(plan: Plan, *, resolution_no: str, note: str,
               recorded_by_id: int | None) -> list[ShareEntry]:
    """Write an assessed plan's entries as one movement (no rule is checked here)."""
    heir_id = None
    if plan.new_heir is not None:
        heir_id = _create_heir(plan).id
    movement = uuid.uuid4().hex
    now = clock.utcnow()
    entries = []
    for d in plan.drafts:
        entry = ShareEntry(
            cooperative_id=plan.coop.id,
            member_id=d.member_id if d.member_id is not None else heir_id,
            share_class=d.share_class, effective_on=plan.effective_on, shares=d.shares,
            entry_kind=d.entry_kind, contribution_kind=d.contribution_kind,
            value_fen=d.value_fen, land_mu=d.land_mu, unit_price_fen=d.unit_price_fen,
            labour_days=d.labour_days, asset_name=d.asset_name, machine_id=d.machine_id,
            counterparty_id=d.counterparty_id if d.counterparty_id is not None
            else (heir_id if d.entry_kind == EntryKind.INHERIT_OUT else None),
            movement=movement, resolution_no=resolution_no, note=note,
            reverses_id=d.reverses_id, recorded_by_id=recorded_by_id, recorded_at=now,
        )
        db.session.add(entry)
        entries.append(entry)
    db.session.flush()
    return entries


def _create_heir(plan: Plan) -> Member:
    values = dict(plan.new_heir or {})
    try:
        from coop.members.services import create_member
    except ImportError:  # pragma: no cover - the members domain is part of the app
        member = Member(cooperative_id=plan.coop.id, **values)
        db.session.add(member)
        db.session.flush()
        return member
    try:
        return create_member(plan.coop, **values)
    except ValidationFailed as exc:  # checked in the plan; only a race gets here
        raise ValidationFailed({f"heir_{k}": v for k, v in exc.errors.items()}) from None


def record_contribution(coop: Cooperative, *, resolution_no: str = "", note: str = "",
                        recorded_by_id: int | None = None, **values: Any) -> ShareEntry:
    plan = plan_contribution(coop, **values)
    return commit_plan(plan, resolution_no=resolution_no, note=note,
                       recorded_by_id=recorded_by_id)[0]


def record_transfer(coop: Cooperative, *, resolution_no: str = "", note: str = "",
                    recorded_by_id: int | None = None, **values: Any) -> list[ShareEntry]:
    return commit_plan(plan_transfer(coop, **values), resolution_no=resolution_no, note=note,
                       recorded_by_id=recorded_by_id)


def record_redemption(coop: Cooperative, *, resolution_no: str = "", note: str = "",
                      recorded_by_id: int | None = None, **values: Any) -> ShareEntry:
    return commit_plan(plan_redemption(coop, **values), resolution_no=resolution_no,
                       note=note, recorded_by_id=recorded_by_id)[0]


def record_inheritance(coop: Cooperative, *, resolution_no: str = "", note: str = "",
                       recorded_by_id: int | None = None, **values: Any) -> list[ShareEntry]:
    return commit_plan(plan_inheritance(coop, **values), resolution_no=resolution_no,
                       note=note, recorded_by_id=recorded_by_id)


def reverse_entry(coop: Cooperative, entry_id: int, *, effective_on: date | None,
                  resolution_no: str = "", note: str = "",
                  recorded_by_id: int | None = None) -> list[ShareEntry]:
    return commit_plan(plan_reversal(coop, entry_id=entry_id, effective_on=effective_on),
                       resolution_no=resolution_no, note=note, recorded_by_id=recorded_by_id)


# -- lookups for the pages --------------------------------------------------------


def member_by_no(coop: Cooperative, member_no: str | None) -> Member | None:
    no = (member_no or "").strip()
    if not no:
        return None
    return db.session.scalar(select(Member).where(Member.cooperative_id == coop.id,
                                                  Member.member_no == no))


def get_entry(coop: Cooperative, entry_id: int) -> ShareEntry | None:
    entry = db.session.get(ShareEntry, entry_id)
    return entry if entry is not None and entry.cooperative_id == coop.id else None


def movement_entries(entry: ShareEntry) -> list[ShareEntry]:
    return list(db.session.scalars(
        select(ShareEntry).where(ShareEntry.cooperative_id == entry.cooperative_id,
                                 ShareEntry.movement == entry.movement)
        .order_by(ShareEntry.id)))


def reversal_of(entry: ShareEntry) -> ShareEntry | None:
    return db.session.scalar(select(ShareEntry).where(ShareEntry.reverses_id == entry.id))


def of_member(coop_id: int, member_id: int) -> tuple[ColumnElement[bool], ...]:
    """The conditions for one member's entries, read through the member's own
    index (member, class, date). The cooperative is still checked, but in a
    form no index serves: given ``cooperative_id = ?`` and an ORDER BY date,
    SQLite (which has no statistics) walked every entry of a 1,000,000-entry
    cooperative in date order to find a member's eleven (1.5 s)."""
    return ShareEntry.member_id == member_id, ShareEntry.cooperative_id + 0 == coop_id


def register_query(coop_id: int, *, member_id: int | None = None, share_class: str | None = None,
                   entry_kind: str | None = None, date_from: date | None = None,
                   date_to: date | None = None):
    if member_id:
        query = select(ShareEntry).where(*of_member(coop_id, member_id))
    else:
        query = select(ShareEntry).where(ShareEntry.cooperative_id == coop_id)
    if share_class:
        query = query.where(ShareEntry.share_class == share_class)
    if entry_kind:
        query = query.where(ShareEntry.entry_kind == entry_kind)
    if date_from:
        query = query.where(ShareEntry.effective_on >= date_from)
    if date_to:
        query = query.where(ShareEntry.effective_on <= date_to)
    return query.order_by(ShareEntry.effective_on.desc(), ShareEntry.id.desc())


def member_history(member_id: int) -> list[ShareEntry]:
    return list(db.session.scalars(
        select(ShareEntry).where(ShareEntry.member_id == member_id)
        .order_by(ShareEntry.effective_on, ShareEntry.id)))


def holdings_table_query(coop_id: int, on: date, member_ids: Iterable[int] | None = None):
    """One row per member holding shares on ``on``: Member, collective, villager, cadre, total."""
    per_class = [
        func.sum(case((ShareEntry.share_class == sc, ShareEntry.shares), else_=0)).label(sc)
        for sc in CLASSES
    ]
    total = func.sum(ShareEntry.shares)
    sub = (
        select(ShareEntry.member_id.label("member_id"), *per_class, total.label("total"))
        .where(ShareEntry.cooperative_id == coop_id, ShareEntry.effective_on <= on)
        .group_by(ShareEntry.member_id)
        .having(total != 0)
    )
    if member_ids is not None:
        sub = sub.where(ShareEntry.member_id.in_(list(member_ids)))
    sub = sub.subquery()
    return (
        select(Member, sub.c.collective, sub.c.villager, sub.c.cadre, sub.c.total)
        .join(sub, sub.c.member_id == Member.id)
        .order_by(Member.member_no)
    )


class HolderRef(NamedTuple):
    """What an export needs of a member."""

    member_no: str
    name: str
    kind: str


def holdings_with_members(coop_id: int, on: date) -> list[tuple[HolderRef, str, int]]:
    """(member, class, shares) on ``on``, ordered by member number: for exports.
    ``member`` has member_no, name and kind."""
    total = func.sum(ShareEntry.shares)
    sub = (
        select(ShareEntry.member_id, ShareEntry.share_class, total.label("shares"))
        .where(ShareEntry.cooperative_id == coop_id, ShareEntry.effective_on <= on)
        .group_by(ShareEntry.member_id, ShareEntry.share_class)
        .having(total != 0)
        .subquery()
    )
    order = case({sc: i for i, sc in enumerate(CLASSES)}, value=sub.c.share_class)
    # plain columns, not Member objects: 90,374 holdings of 100,000 members
    # take 1/3 of the time (benchmark, issue 8)
    rows = db.session.execute(
        select(Member.member_no, Member.name, Member.kind, sub.c.share_class, sub.c.shares)
        .join(sub, sub.c.member_id == Member.id)
        .order_by(Member.member_no, order))
    return [(HolderRef(no, name, kind), sc, int(n)) for no, name, kind, sc, n in rows]


@dataclass
class ClassStructure:
    share_class: str
    label: str
    shares: int
    value_fen: int
    holders: int
    ratio_bp: int | None
    target_bp: int
    min_bp: int
    max_bp: int

    @property
    def in_band(self) -> bool:
        return self.ratio_bp is None or self.min_bp <= self.ratio_bp <= self.max_bp


@dataclass
class Structure:
    on: date
    classes: list[ClassStructure]
    total_shares: int
    total_value_fen: int
    holders: int
    contributions: list[tuple[str, str, int]]  # (kind, label, value_fen)
    redeemed_fen: int
    land_mu: int
    machinery_fen: int  # in-kind contributions linked to a machine record

    @property
    def warnings(self) -> list[ClassStructure]:
        return [c for c in self.classes if self.total_shares and not c.in_band]


SCAN_ABOVE = 20_000  # register entries of a cooperative read by a scan, not the index


def _register_sums(coop_id: int, on: date, size: int) -> dict[str, int]:
    """Every sum the structure page shows, in one pass over the register.

    Conditional sums in one statement instead of a query per figure. A
    county-size cooperative's register (``size`` entries) is read as a
    sequential scan (the ``+ 0`` keeps SQLite from walking the date index and
    fetching each of its million rows one by one: 1,000,000 entries, 2.5 s ->
    0.4 s); a small one through the index.
    """
    e = ShareEntry.__table__
    subscribe = e.c.entry_kind == EntryKind.SUBSCRIBE.value

    def total(column, *when):
        return func.coalesce(func.sum(case((and_(*when), column), else_=0)), 0)

    figures = {f"class_{sc}": total(e.c.shares, e.c.share_class == sc) for sc in CLASSES}
    figures |= {f"kind_{k.value}": total(e.c.value_fen, subscribe, e.c.contribution_kind == k.value)
                for k in ContributionKind}
    figures["redeemed"] = total(e.c.value_fen, e.c.entry_kind == EntryKind.REDEEM.value)
    figures["land"] = total(func.coalesce(e.c.land_mu, 0), e.c.id.is_not(None))
    figures["machinery"] = total(e.c.value_fen, subscribe, e.c.machine_id.is_not(None))
    coop_column = e.c.cooperative_id + 0 if size > SCAN_ABOVE else e.c.cooperative_id
    row = db.session.execute(
        select(*(expr.label(name) for name, expr in figures.items()))
        .where(coop_column == coop_id, e.c.effective_on <= on)).one()
    return {name: int(value or 0) for name, value in row._mapping.items()}


def register_stamp(coop_id: int) -> tuple[int, int, str]:
    """What identifies the state of a cooperative's register: its number of
    entries, the last entry's id and when that entry was recorded. The
    register is append-only (corrections are reversing entries), so any
    change gives a new stamp; the time tells apart a register restored from
    a backup and then written differently."""
    count, last = db.session.execute(
        select(func.count(), func.max(ShareEntry.id))
        .where(ShareEntry.cooperative_id == coop_id)).one()
    recorded = db.session.scalar(select(ShareEntry.recorded_at).where(ShareEntry.id == last)) \
        if last else None
    return int(count), int(last or 0), recorded.isoformat() if recorded else ""


@cache.memoize()
def _structure_figures(coop_id: int, on: date, stamp: tuple[int, int, str]
                       ) -> tuple[dict[str, int], dict[str, int], int]:
    """The register's sums and holder counts on ``on``, for one state of the
    register (``stamp``): at 1,000,000 entries a second of SQL, computed once
    per worker process until the register changes."""
    sums = _register_sums(coop_id, on, size=stamp[0])
    # holders by class and in all from one grouping of the register (a CTE
    # used twice is materialized once: 1,000,000 entries, 484 -> 280 ms)
    held = (
        select(ShareEntry.member_id, ShareEntry.share_class)
        .where(ShareEntry.cooperative_id == coop_id, ShareEntry.effective_on <= on)
        .group_by(ShareEntry.member_id, ShareEntry.share_class)
        .having(func.sum(ShareEntry.shares) > 0)
        .cte("held")
    )
    rows = db.session.execute(
        select(held.c.share_class, func.count(),
               select(func.count(func.distinct(held.c.member_id))).scalar_subquery())
        .group_by(held.c.share_class)).all()
    return sums, {share_class: int(n) for share_class, n, _ in rows}, int(rows[0][2]) if rows else 0


def structure(coop: Cooperative, on: date) -> Structure:
    """The share structure on ``on``: per class shares, value, holders and ratio."""
    sums, holders_by_class, holders = _structure_figures(coop.id, on, register_stamp(coop.id))
    totals = {sc: sums[f"class_{sc}"] for sc in CLASSES}
    total = sum(totals.values())
    classes = []
    for band in charter_bands(coop):
        sc = band.share_class.value
        classes.append(ClassStructure(
            sc, band.share_class.label, totals[sc], totals[sc] * coop.par_value_fen,
            int(holders_by_class.get(sc, 0)), ratio_bp(totals[sc], total),
            band.target_bp, band.min_bp, band.max_bp))
    contributions = [(k.value, k.label, sums[f"kind_{k.value}"]) for k in ContributionKind]
    redeemed = -sums["redeemed"]
    land = sums["land"]
    machinery = sums["machinery"]
    return Structure(on, classes, total, total * coop.par_value_fen, int(holders),
                     contributions, redeemed, land, machinery)
