"""The machines of the cooperative and their straight-line depreciation."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, select

from coop import clock
from coop.audit.api import check_version
from coop.errors import ServiceError, ValidationFailed
from coop.extensions import db
from coop.limits import MAX_AMOUNT_FEN
from coop.machinery import depreciation
from coop.machinery.constants import MachineCategory, MachineSource, MachineStatus
from coop.machinery.models import Machine
from coop.machinery.periods import (FieldLabels, added, closed_years, length_errors,
                                    stripped)
from coop.money import format_yuan

describe_machine_field = FieldLabels(
    {"name": "名称", "category": "类别", "model": "型号", "plate": "牌照号",
     "acquired_on": "购置（入股）日期", "original_value_fen": "原值",
     "source": "来源", "useful_life_months": "使用年限（月）", "salvage_rate_bp": "残值率",
     "status": "状态", "disposed_on": "处置日期", "note": "备注"},
    enums={"category": MachineCategory, "source": MachineSource, "status": MachineStatus})
MACHINE_FIELDS = describe_machine_field.fields


def machine_terms(machine: Machine) -> depreciation.Terms:
    return depreciation.Terms(
        original_value_fen=machine.original_value_fen,
        salvage_rate_bp=machine.salvage_rate_bp,
        useful_life_months=machine.useful_life_months,
        acquired_on=machine.acquired_on,
        disposed_on=machine.disposed_on,
    )


# built once: the order list reads it for its form on every view
_MACHINES = (select(Machine).where(Machine.cooperative_id == bindparam("coop_id"))
             .order_by(Machine.acquired_on, Machine.id))


def list_machines(coop_id: int) -> list[Machine]:
    return list(db.session.scalars(_MACHINES, {"coop_id": coop_id}))


def _machine_errors(values: dict[str, Any]) -> dict[str, str]:
    errors: dict[str, str] = length_errors(Machine, values, {
        "name": "农机名称", "model": "型号", "plate": "牌照号"})
    if not values["name"]:
        errors["name"] = "请填写农机名称"
    if values.get("category") not in MachineCategory._value2member_map_:
        errors["category"] = "请选择农机类别"
    if values.get("source") not in MachineSource._value2member_map_:
        errors["source"] = "请选择来源"
    if values.get("status") not in MachineStatus._value2member_map_:
        errors["status"] = "请选择状态"
    if values.get("acquired_on") is None:
        errors["acquired_on"] = "请填写购置（入股）日期"
    elif message := clock.future_error(values["acquired_on"], "购置（入股）日期"):
        errors["acquired_on"] = message
    value = values.get("original_value_fen")
    if value is None or value <= 0:
        errors["original_value_fen"] = "原值必须大于 0"
    elif value > MAX_AMOUNT_FEN:
        errors["original_value_fen"] = "原值过大，请核对"
    life = values.get("useful_life_months")
    if life is None or not 1 <= life <= 600:
        errors["useful_life_months"] = "使用年限应在 1 到 600 个月之间"
    rate = values.get("salvage_rate_bp")
    if rate is None or not 0 <= rate <= 10000:
        errors["salvage_rate_bp"] = "残值率应在 0% 到 100% 之间"
    disposed = values.get("disposed_on")
    if values.get("status") == MachineStatus.DISPOSED and disposed is None:
        errors["disposed_on"] = "已处置的农机请填写处置日期"
    if disposed is not None and values.get("status") != MachineStatus.DISPOSED:
        errors["disposed_on"] = "只有状态为“已处置”的农机才填写处置日期"
    if disposed is not None and values.get("acquired_on") and disposed < values["acquired_on"]:
        errors["disposed_on"] = "处置日期不能早于购置日期"
    elif message := clock.future_error(disposed, "处置日期"):
        errors["disposed_on"] = message
    return errors


def _checked_machine(values: dict[str, Any]) -> dict[str, Any]:
    """The form's values, cleaned; ValidationFailed when any is wrong."""
    out = stripped(values, MACHINE_FIELDS, ("name", "model", "plate", "note"))
    out["plate"] = out["plate"].upper()
    if errors := _machine_errors(out):
        raise ValidationFailed(errors)
    return out


def _terms_of(values: dict[str, Any]) -> depreciation.Terms:
    return depreciation.Terms(values["original_value_fen"], values["salvage_rate_bp"],
                              values["useful_life_months"], values["acquired_on"],
                              values["disposed_on"])


def _check_closed_depreciation(coop_id: int, old: depreciation.Terms | None,
                               new: depreciation.Terms | None) -> None:
    """A change that would alter the depreciation of a closed year is refused.

    A machine's dates are facts about the machine, not ledger records: an old
    machine may be recorded late, as long as no closed year's figures move."""
    for year in sorted(closed_years(coop_id)):
        before = depreciation.year_amount(old, year) if old else 0
        after = depreciation.year_amount(new, year) if new else 0
        if before != after:
            raise ServiceError(
                f"此项修改会改变已结账的 {year} 年度折旧（{format_yuan(before)} 元 → "
                f"{format_yuan(after)} 元），不能保存。已结账年度的数据不能更改。")


def create_machine(coop_id: int, values: dict[str, Any]) -> Machine:
    values = _checked_machine(values)
    _check_closed_depreciation(coop_id, None, _terms_of(values))
    machine = Machine(cooperative_id=coop_id, **values)
    return added(machine)


def update_machine(coop_id: int, machine: Machine, values: dict[str, Any],
                   expected_version: int | None) -> Machine:
    values = _checked_machine(values)
    check_version(machine, expected_version, describe_machine_field)
    _check_closed_depreciation(coop_id, machine_terms(machine), _terms_of(values))
    for key, value in values.items():
        setattr(machine, key, value)
    db.session.flush()
    return machine


def depreciation_for_year(coop_id: int, year: int) -> int:
    return sum(depreciation.year_amount(machine_terms(m), year) for m in list_machines(coop_id))


def depreciation_by_month(coop_id: int, year: int) -> list[int]:
    months = [0] * 12
    for machine in list_machines(coop_id):
        for i, amount in enumerate(depreciation.year_months(machine_terms(machine), year)):
            months[i] += amount
    return months


@dataclass
class MachineBook:
    machine: Machine
    salvage_fen: int
    accumulated_fen: int  # up to the end of ``year``
    year_fen: int
    book_value_fen: int


def machine_books(coop_id: int, year: int) -> list[MachineBook]:
    out = []
    for machine in list_machines(coop_id):
        terms = machine_terms(machine)
        year_fen = depreciation.year_amount(terms, year)
        accumulated = depreciation.accumulated_before(terms, year) + year_fen
        out.append(MachineBook(machine, depreciation.salvage_fen(terms), accumulated, year_fen,
                               machine.original_value_fen - accumulated))
    return out
