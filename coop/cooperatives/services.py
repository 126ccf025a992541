"""The cooperative and its charter. Services flush, the view commits."""
from __future__ import annotations

from typing import Any, Callable, Mapping

from sqlalchemy import select

from coop.audit.api import check_version
from coop.cooperatives.area_services import area_name_errors, village_of_names
from coop.cooperatives.constants import (FSC_NOTICE_DAYS, MIN_PATRONAGE_BP, REGIME_FOR_MODE, DisclosurePeriod,
                                         DistributionMode, ExtraVoteBasis, LegalRegime, OutsideVillageWord,
                                         ReserveBasis, ResolutionKind, ShareClass)
from coop.cooperatives.models import Cooperative
from coop.cooperatives.rules import (CHARTER_FIELDS, EXTRA_VOTE_FIGURES, EXTRA_VOTE_RULE_FIELDS, RATE_FIELDS,
                                     charter_errors)
from coop.cooperatives.signals import charter_review
from coop.errors import ServiceError, ValidationFailed
from coop.extensions import db
from coop.money import FULL_BP, format_percent, format_yuan

FIELD_LABELS = {
    "name": "合作社名称",
    "credit_code": "统一社会信用代码",
    "village": "所在村",
    "town": "所在镇（乡）",
    "outside_village_word": "外村客户的称呼",
    "par_value_fen": "每股面值",
    "distribution_mode": "分配方式",
    "guaranteed_fen_per_mu": "每亩保底收益",
    "reserve_basis": "公积金量化方式",
    **RATE_FIELDS,
    "legal_regime": "法律类型",
    "representative_assembly": "设成员代表大会",
    "representative_term_years": "成员代表任期（年）",
    "notice_days": "会议通知提前天数",
    "extra_votes_allowed": "设附加表决权",
    "extra_votes_cap_bp": "附加表决权总票数上限",
    "extra_votes_basis": "附加表决权分配依据",
    "extra_votes_capital_step_fen": "每增加一票的出资额",
    "extra_votes_capital_threshold_fen": "出资额起点",
    "extra_votes_transactions_step_fen": "每增加一票的交易额",
    "extra_votes_transactions_threshold_fen": "交易额起点",
    "extra_votes_member_max": "每名成员附加表决权上限（票）",
    "disclosure_period": "财务公开周期",
    "major_item_threshold_fen": "重大事项金额标准",
    **{f"majority_{kind.value}_{part}": f"{kind.label}表决比例{'分子' if part == 'num' else '分母'}"
       for kind in ResolutionKind for part in ("num", "den")},
}


def describe_field(field: str, value: Any) -> tuple[str, str]:
    """(label, value as shown) for one charter column."""
    label = FIELD_LABELS.get(field, field)
    if value is None:
        return label, "（空）"
    if field.endswith("_bp"):
        return label, format_percent(value)
    if field.endswith("_fen") or field.endswith("_fen_per_mu"):
        return label, format_yuan(value) + " 元"
    if field == "distribution_mode":
        return label, DistributionMode.label_of(value)
    if field == "legal_regime":
        return label, LegalRegime.label_of(value)
    if field == "disclosure_period":
        return label, DisclosurePeriod.label_of(value)
    if field == "reserve_basis":
        return label, ReserveBasis.label_of(value)
    if field == "extra_votes_basis":
        return label, ExtraVoteBasis.label_of(value, "不设")
    if isinstance(value, bool):
        return label, "是" if value else "否"
    return label, str(value)


ParValueLock = Callable[[int], str | None]
_par_value_locks: list[ParValueLock] = []


def lock_par_value_when(check: ParValueLock) -> ParValueLock:
    """Register a reason the par value may no longer change: ``check(coop_id)``
    returns the message, or None. The domains that value records at the par
    value (the share register) sit above this one, so they register it here."""
    _par_value_locks.append(check)
    return check


def par_value_lock(coop_id: int) -> str | None:
    """Why the par value of cooperative ``coop_id`` can't change, or None."""
    for check in _par_value_locks:
        if reason := check(coop_id):
            return reason
    return None


def get_by_code(code: str) -> Cooperative:
    coop = db.session.scalar(select(Cooperative).where(Cooperative.code == code))
    if coop is None:
        raise ServiceError(f"没有代码为 {code} 的合作社")
    return coop


def outside_village_word(coop_id: int) -> str:
    """The charter's word for a village client from outside (外村 or 外嘎查村)."""
    coop = db.session.get(Cooperative, coop_id)
    return coop.outside_village_word if coop is not None else OutsideVillageWord.VILLAGE.value


def all_cooperatives() -> list[Cooperative]:
    return list(db.session.scalars(select(Cooperative).order_by(Cooperative.code)))


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    out = dict(values)
    for key in ("name", "credit_code", "village", "town"):
        out[key] = (out.get(key) or "").strip()
    out["credit_code"] = out["credit_code"].upper()
    out["representative_assembly"] = bool(out.get("representative_assembly"))
    out["extra_votes_allowed"] = bool(out.get("extra_votes_allowed"))
    if not out["extra_votes_allowed"]:
        out["extra_votes_cap_bp"] = 0
        out["extra_votes_basis"] = ""
        out.update(dict.fromkeys(EXTRA_VOTE_RULE_FIELDS))
    elif out.get("extra_votes_basis") in set(ExtraVoteBasis):
        basis = ExtraVoteBasis(out["extra_votes_basis"])
        for figure in EXTRA_VOTE_FIGURES:
            if not getattr(basis, f"uses_{figure}"):
                out[f"extra_votes_{figure}_step_fen"] = out[f"extra_votes_{figure}_threshold_fen"] = None
    return out


# The default charter of a new farmers' specialized cooperative: no share
# class holds a band or a target that makes one class control the others and
# no single-holding cap (the FSC sets neither; art 22 caps the extra votes,
# which the charter sets when it grants any), the reserve only (the law knows
# no welfare or risk fund), patronage at the floor of art 44, and the notice
# of the fifteen days the plan is at the office before the assembly (art 40).
SPECIALIZED_DEFAULTS: dict[str, Any] = {
    "legal_regime": LegalRegime.SPECIALIZED.value,
    "distribution_mode": DistributionMode.SPECIALIZED.value,
    **{f"{sc.value}_{part}": value for sc in ShareClass
       for part, value in (("target_bp", 0), ("min_bp", 0), ("max_bp", FULL_BP))},
    "villager_target_bp": FULL_BP,
    "member_cap_bp": FULL_BP,
    "reserve_rate_bp": 1000, "welfare_rate_bp": 0, "risk_rate_bp": 0,
    "patronage_rate_bp": MIN_PATRONAGE_BP,
    "notice_days": FSC_NOTICE_DAYS,
}


def _regime_asked(values: dict[str, Any]) -> LegalRegime | None:
    """The regime a new cooperative is created under: the one given, else
    the one its distribution mode implies; None for neither."""
    if values.get("legal_regime") in set(LegalRegime):
        return LegalRegime(values["legal_regime"])
    if values.get("distribution_mode") in set(DistributionMode):
        return REGIME_FOR_MODE[DistributionMode(values["distribution_mode"])]
    return None


def credit_code_errors(values: Mapping[str, Any], coop_id: int | None = None) -> dict[str, str]:
    """The credit code another cooperative of the installation already has:
    one organization, one code (GB 32100-2015), so it is a typing mistake."""
    code = values.get("credit_code") or ""
    if not code:
        return {}
    other = db.session.execute(select(Cooperative.code, Cooperative.name).where(
        Cooperative.credit_code == code, Cooperative.id != (coop_id or 0))).first()
    if other is None:
        return {}
    return {"credit_code": (f"统一社会信用代码 {code} 已是本系统中“{other.name}”（代码 {other.code}）"
                            "的代码；一个组织只有一个统一社会信用代码（GB 32100—2015），请核对")}


def create_cooperative(code: str, **values: Any) -> Cooperative:
    """A new cooperative with the default charter of its regime (the
    collective's unless ``legal_regime`` or ``distribution_mode`` says
    specialized), ``values`` overriding any of it."""
    code = code.strip().lower()
    if not code or len(code) > 32 or not code.replace("-", "").isalnum() or not code.isascii():
        raise ServiceError("合作社代码只能由字母、数字和短横线组成，最多 32 位", field="code")
    if db.session.scalar(select(Cooperative.id).where(Cooperative.code == code)):
        raise ServiceError(f"合作社代码 {code} 已存在", field="code")
    coop = Cooperative(code=code)
    columns = Cooperative.__table__.c
    defaults = {f: columns[f].default.arg for f in CHARTER_FIELDS
                if columns[f].default is not None}
    if _regime_asked(values) is LegalRegime.SPECIALIZED:
        defaults.update(SPECIALIZED_DEFAULTS)
    merged = {**defaults, **values}
    if "legal_regime" not in values and merged.get("distribution_mode") in set(DistributionMode):
        merged["legal_regime"] = REGIME_FOR_MODE[DistributionMode(merged["distribution_mode"])]
    merged = _clean(merged)
    if errors := charter_errors(merged) or credit_code_errors(merged):
        raise ValidationFailed(errors)
    for key in CHARTER_FIELDS:
        setattr(coop, key, merged.get(key))
    coop.area = village_of_names(coop.town, coop.village)
    db.session.add(coop)
    db.session.flush()
    return coop


def update_charter(coop: Cooperative, values: dict[str, Any],
                   expected_version: int | None) -> Cooperative:
    """Validate every rule first; write nothing unless all pass."""
    values = _clean(values)
    errors = charter_errors(values)
    if values.get("par_value_fen") != coop.par_value_fen and (
            reason := par_value_lock(coop.id)):
        errors["par_value_fen"] = reason
    if not errors:
        errors = credit_code_errors(values, coop.id) or area_name_errors(coop, values)
    if not errors:
        errors = charter_review(coop, values)
    if errors:
        raise ValidationFailed(errors)
    check_version(coop, expected_version, describe_field)
    for key in CHARTER_FIELDS:
        setattr(coop, key, values.get(key))
    db.session.flush()
    return coop
