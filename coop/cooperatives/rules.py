"""Charter rules as a pure function over plain values (no Flask, no database).

``charter_errors`` is the one place that knows what a valid charter is; the
form, the service and the CLI all ask it.
"""
from __future__ import annotations

from typing import Any, Mapping

from coop.cooperatives.constants import (
    MIN_PATRONAGE_BP,
    DistributionMode,
    ShareClass,
)
from coop.idcodes import uscc_error
from coop.limits import MAX_GUARANTEE_FEN_PER_MU, MAX_PAR_FEN
from coop.money import FULL_BP, format_percent

RATE_FIELDS = {
    "member_cap_bp": "单一成员持股上限",
    "reserve_rate_bp": "公积金提取比例",
    "welfare_rate_bp": "公益金提取比例",
    "risk_rate_bp": "风险金提取比例",
    "patronage_rate_bp": "按交易量返还比例",
}
for _sc in ShareClass:
    RATE_FIELDS[f"{_sc.value}_target_bp"] = f"{_sc.label}目标比例"
    RATE_FIELDS[f"{_sc.value}_min_bp"] = f"{_sc.label}区间下限"
    RATE_FIELDS[f"{_sc.value}_max_bp"] = f"{_sc.label}区间上限"

CHARTER_FIELDS = (
    "name", "credit_code", "village", "town", "par_value_fen", "distribution_mode",
    *RATE_FIELDS, "guaranteed_fen_per_mu",
)


def charter_errors(v: Mapping[str, Any]) -> dict[str, str]:
    """Field name -> message for every rule the values break; empty when valid."""
    errors: dict[str, str] = {}
    name = (v.get("name") or "").strip()
    if not name:
        errors["name"] = "请填写合作社名称"
    elif len(name) > 120:
        errors["name"] = "合作社名称不能超过 120 个字"
    if err := uscc_error(v.get("credit_code") or ""):
        errors["credit_code"] = err
    for field, label in (("village", "所在村"), ("town", "所在镇")):
        text = (v.get(field) or "").strip()
        if not text:
            errors[field] = f"请填写{label}"
        elif len(text) > 60:
            errors[field] = f"{label}不能超过 60 个字"
    par = v.get("par_value_fen")
    if par is None or par <= 0:
        errors["par_value_fen"] = "每股面值必须大于 0"
    elif par > MAX_PAR_FEN:
        errors["par_value_fen"] = "每股面值过大，请核对"
    if v.get("distribution_mode") not in set(DistributionMode):
        errors["distribution_mode"] = "请选择分配方式"
    for field, label in RATE_FIELDS.items():
        value = v.get(field)
        if value is None:
            errors[field] = f"请填写{label}"
        elif not 0 <= value <= FULL_BP:
            errors[field] = f"{label}必须在 0% 到 100% 之间"
    cap = v.get("member_cap_bp")
    if "member_cap_bp" not in errors and cap == 0:
        errors["member_cap_bp"] = "单一成员持股上限必须大于 0%"
    pat = v.get("patronage_rate_bp")
    if "patronage_rate_bp" not in errors and pat < MIN_PATRONAGE_BP:
        errors["patronage_rate_bp"] = "按交易量返还比例不得低于 60%（农民专业合作社法第四十四条）"
    if not any(f in errors for f in ("reserve_rate_bp", "welfare_rate_bp", "risk_rate_bp")):
        funds = v["reserve_rate_bp"] + v["welfare_rate_bp"] + v["risk_rate_bp"]
        if funds > FULL_BP:
            errors["risk_rate_bp"] = (
                f"公积金、公益金、风险金比例合计 {format_percent(funds)}，不能超过 100%"
            )
    targets_ok = True
    for sc in ShareClass:
        t, lo, hi = (f"{sc.value}_target_bp", f"{sc.value}_min_bp", f"{sc.value}_max_bp")
        if any(f in errors for f in (t, lo, hi)):
            targets_ok = False
            continue
        label = sc.label
        if v[lo] > v[hi]:
            errors[hi] = f"{label}区间上限不能低于下限"
        elif not v[lo] <= v[t] <= v[hi]:
            errors[t] = (
                f"{label}目标比例 {format_percent(v[t])} 不在允许区间 "
                f"{format_percent(v[lo])}–{format_percent(v[hi])} 内"
            )
    if targets_ok:
        total = sum(v[f"{sc.value}_target_bp"] for sc in ShareClass)
        if total != FULL_BP:
            errors["cadre_target_bp"] = errors.get("cadre_target_bp") or (
                f"三类股份目标比例之和必须等于 100%，现在是 {format_percent(total)}"
            )
    g = v.get("guaranteed_fen_per_mu")
    if g is None or g < 0:
        errors["guaranteed_fen_per_mu"] = "每亩保底收益不能为负数"
    elif g > MAX_GUARANTEE_FEN_PER_MU:
        errors["guaranteed_fen_per_mu"] = "每亩保底收益过大，请核对"
    return errors
