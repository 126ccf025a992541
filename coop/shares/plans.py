"""Planning a movement of the register: a subscription (入股), a transfer
(转让), an inheritance (继承), a redemption (退股) or the reversal of an entry.

A plan checks its inputs and works out the entries the movement would
write (``Draft``), without writing anything: ``coop.shares.assessment``
then checks it against the register and ``coop.shares.movements`` writes
it. The htmx previews call the same plan and assessment without writing,
so the preview shows exactly what a save would do.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func, select

from coop import clock
from coop.cooperatives.api import Cooperative, ShareClass, closed_date_error
from coop.errors import ServiceError, ValidationFailed
from coop.extensions import db
from coop.machinery.api import Machine
from coop.members.api import Member, MemberKind, MemberStatus, validate_member
from coop.money import format_mu, format_yuan
from coop.shares.land import class_land
from coop.shares.models import ShareEntry
from coop.shares.register import CLASSES, member_holdings
from coop.shares.rules import (
    ContributionKind,
    EntryKind,
    RuleError,
    holder_kind_error,
    land_moved,
    value_contribution,
)
from coop.tenancy import find_owned


# -- dates --------------------------------------------------------------------


def date_error(coop: Cooperative, on: date | None, what: str = "登记日期") -> str | None:
    if on is None:
        return f"请填写{what}"
    if message := clock.future_error(on, what):
        return message
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


def _member_in_coop(coop: Cooperative, member_id: int | None, field_name: str,
                    errors: dict[str, str], what: str = "成员") -> Member | None:
    if not member_id:
        errors[field_name] = f"请填写{what}"
        return None
    member = find_owned(Member, member_id, coop.id)
    if member is None:
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
    if member.status != MemberStatus.ACTIVE:
        errors.setdefault(field_name, f"{member.name}（{member.member_no}）状态为"
                                      f"{member.status_label}，不能{what}")


def _check_shares_and_date(coop: Cooperative, shares: int | None, effective_on: date | None,
                           errors: dict[str, str], what: str) -> None:
    """The number of shares a transfer or redemption moves and its date; raises
    ValidationFailed with these and the ``errors`` found before."""
    if not shares or shares <= 0:
        errors["shares"] = f"请填写大于 0 的{what}股数"
    if (msg := date_error(coop, effective_on)):
        errors["effective_on"] = msg
    if errors:
        raise ValidationFailed(errors)


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


def _machine_in_coop(coop: Cooperative, machine_id: int, errors: dict[str, str]) -> Machine | None:
    machine = find_owned(Machine, machine_id, coop.id)
    if machine is None:
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
    _check_shares_and_date(coop, shares, effective_on, errors, "转让")
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
    _check_shares_and_date(coop, shares, effective_on, errors, "退股")
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
        if deceased.kind == MemberKind.COLLECTIVE:
            errors["deceased_id"] = "村集体的股份不能继承"
        elif deceased.status != MemberStatus.DECEASED:
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
        if sc == ShareClass.CADRE and heir_kind != MemberKind.CADRE:
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
    if (any(d.share_class == ShareClass.CADRE for d in drafts if d.shares < 0)
            and heir_kind != MemberKind.CADRE):
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
    values["kind"] = values["kind"] or MemberKind.VILLAGER.value
    if deceased is not None:
        values["household_no"] = values["household_no"] or deceased.household_no
        values["village_group"] = values["village_group"] or deceased.village_group
    values["id_number"] = values["id_number"] or None
    values["joined_on"] = on
    return values


def _new_heir_errors(coop: Cooperative, values: dict[str, Any]) -> dict[str, str]:
    """The members domain's own checks of a new member, keyed ``heir_<field>``."""
    errors = {}
    if values["kind"] not in (MemberKind.VILLAGER, MemberKind.CADRE):
        errors["heir_kind"] = "继承人只能是村民或干部"
    _, member_errors = validate_member(coop.id, dict(values, is_party_member=False))
    for field_name, message in member_errors.items():
        errors.setdefault(f"heir_{field_name}", message)
    return errors


def plan_reversal(coop: Cooperative, *, entry_id: int, effective_on: date | None) -> Plan:
    """Undo a movement: one new entry per entry of it, with the opposite sign."""
    entry = find_owned(ShareEntry, entry_id, coop.id)
    if entry is None:
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


