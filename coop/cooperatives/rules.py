"""Charter rules as a pure function over plain values (no Flask, no database).

``charter_errors`` is the one place that knows what a valid charter is; the
form, the service and the CLI all ask it.
"""
from __future__ import annotations

from typing import Any, Mapping

from coop.cooperatives.constants import (
    MAX_EXTRA_VOTES_BP,
    MAX_EXTRA_VOTES_PER_MEMBER,
    MIN_PATRONAGE_BP,
    RCEO_NOTICE_DAYS,
    RCEO_REPRESENTATIVE_TERM_YEARS,
    REGIME_FOR_MODE,
    DisclosurePeriod,
    DistributionMode,
    ReserveBasis,
    ExtraVoteBasis,
    LegalRegime,
    OutsideVillageWord,
    ResolutionKind,
    ShareClass,
)
from coop.idcodes import uscc_error
from coop.limits import MAX_AMOUNT_FEN, MAX_CONTRIBUTION_FEN, MAX_GUARANTEE_FEN_PER_MU, MAX_PAR_FEN
from coop.money import FULL_BP, format_percent, format_yuan

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

RCEO = "《农村集体经济组织法》"
FSC = "《农民专业合作社法》"
# FSC art 30: the charter, a merger, split or dissolution need two thirds of all votes
FSC_TWO_THIRDS = frozenset({ResolutionKind.CHARTER, ResolutionKind.MERGER})
MAX_MAJORITY_DENOMINATOR = 100
MAX_NOTICE_DAYS = 90
MAX_TERM_YEARS = 10

MAJORITY_FIELDS = tuple(f"majority_{kind.value}_{part}" for kind in ResolutionKind
                        for part in ("num", "den"))

# the extra-vote rule: step and threshold (fen) per figure, and the most per member
EXTRA_VOTE_FIGURES = {"capital": "出资额", "transactions": "交易额"}
EXTRA_VOTE_RULE_FIELDS = (
    "extra_votes_capital_step_fen", "extra_votes_capital_threshold_fen",
    "extra_votes_transactions_step_fen", "extra_votes_transactions_threshold_fen",
    "extra_votes_member_max",
)

GOVERNANCE_FIELDS = (
    "legal_regime", "representative_assembly", "representative_term_years", "notice_days",
    *MAJORITY_FIELDS, "extra_votes_allowed", "extra_votes_cap_bp", "extra_votes_basis",
    *EXTRA_VOTE_RULE_FIELDS,
)

DISCLOSURE_FIELDS = ("disclosure_period", "major_item_threshold_fen")

CHARTER_FIELDS = (
    "name", "credit_code", "village", "town", "outside_village_word", "par_value_fen", "distribution_mode",
    *RATE_FIELDS, "guaranteed_fen_per_mu", "reserve_basis", *GOVERNANCE_FIELDS, *DISCLOSURE_FIELDS,
)


def majority_field(kind: ResolutionKind) -> str:
    """The form's one field for a kind's majority (``3/4``); the model keeps
    it as ``majority_<kind>_num`` and ``_den``."""
    return f"majority_{kind.value}"


def legal_majority(regime: LegalRegime, kind: ResolutionKind) -> tuple[int, int, bool]:
    """The law's majority of all votes for ``kind``: (numerator, denominator,
    strictly more). RCEO art 27/28: two thirds or more; FSC art 30: more than
    half, two thirds for the charter and mergers."""
    if regime is LegalRegime.COLLECTIVE or kind in FSC_TWO_THIRDS:
        return 2, 3, False
    return 1, 2, True


def _law_words(num: int, den: int, strictly: bool) -> str:
    return "过半数" if strictly else ("三分之二以上" if (num, den) == (2, 3) else f"{num}/{den} 以上")


def _majority_errors(v: Mapping[str, Any], regime: LegalRegime | None) -> dict[str, str]:
    errors: dict[str, str] = {}
    for kind in ResolutionKind:
        field = majority_field(kind)
        num, den = v.get(f"majority_{kind.value}_num"), v.get(f"majority_{kind.value}_den")
        if num is None and den is None:
            continue
        if num is None or den is None or not 0 < num <= den or den > MAX_MAJORITY_DENOMINATOR:
            errors[field] = f"{kind.label}表决比例应写成分数，如 3/4（分子不大于分母，分母不超过 100），不用时留空"
            continue
        if regime is None:
            continue
        law_num, law_den, strictly = legal_majority(regime, kind)
        laxer = num * law_den < law_num * den or (strictly and num * law_den == law_num * den)
        if laxer:
            law, article = (RCEO, "第二十七条、第二十八条") if regime is LegalRegime.COLLECTIVE \
                else (FSC, "第三十条")
            errors[field] = (f"{law}{article}：{kind.label}依法须经全体{'成员（代表）' if regime is LegalRegime.COLLECTIVE else '表决权'}"
                             f"{_law_words(law_num, law_den, strictly)}同意，章程只能规定更严格的比例，不能规定 {num}/{den}")
    return errors


def _extra_vote_rule_errors(v: Mapping[str, Any], basis: ExtraVoteBasis) -> dict[str, str]:
    """The steps, thresholds and most per member of the extra-vote rule."""
    errors: dict[str, str] = {}
    for figure, label in EXTRA_VOTE_FIGURES.items():
        if not getattr(basis, f"uses_{figure}"):
            continue
        step, threshold = v.get(f"extra_votes_{figure}_step_fen"), v.get(f"extra_votes_{figure}_threshold_fen")
        if step is None or step <= 0:
            errors[f"extra_votes_{figure}_step_fen"] = (f"按{label}分配附加表决权的，请填写每多少元{label}"
                                                        "增加一票（大于 0）")
        elif step > MAX_CONTRIBUTION_FEN:
            errors[f"extra_votes_{figure}_step_fen"] = (f"每票的{label}不能超过 "
                                                        f"{format_yuan(MAX_CONTRIBUTION_FEN)} 元，请核对")
        if threshold is not None and threshold < 0:
            errors[f"extra_votes_{figure}_threshold_fen"] = f"{label}起点不能为负数；不设起点的留空"
        elif threshold is not None and threshold > MAX_CONTRIBUTION_FEN:
            errors[f"extra_votes_{figure}_threshold_fen"] = (f"{label}起点不能超过 "
                                                             f"{format_yuan(MAX_CONTRIBUTION_FEN)} 元，请核对")
    most = v.get("extra_votes_member_max")
    if most is None or most <= 0:
        errors["extra_votes_member_max"] = "请填写每名成员最多享有的附加表决权票数（至少 1 票）"
    elif most > MAX_EXTRA_VOTES_PER_MEMBER:
        errors["extra_votes_member_max"] = f"每名成员的附加表决权不能超过 {MAX_EXTRA_VOTES_PER_MEMBER} 票，请核对"
    return errors


def governance_errors(v: Mapping[str, Any]) -> dict[str, str]:
    """Field name -> message for the charter's governance rules."""
    errors: dict[str, str] = {}
    regime = v.get("legal_regime")
    regime = LegalRegime(regime) if regime in set(LegalRegime) else None
    if regime is None:
        errors["legal_regime"] = "请选择法律类型（农村集体经济组织或农民专业合作社）"
    mode = v.get("distribution_mode")
    if regime is not None and mode in set(DistributionMode) and REGIME_FOR_MODE[DistributionMode(mode)] is not regime:
        if regime is LegalRegime.COLLECTIVE:
            errors["distribution_mode"] = (f"{RCEO}第四十二条：农村集体经济组织的收益提取公积公益金后按成员持有的"
                                           "集体收益分配权份额分配，分配方式应为按股分红")
        else:
            errors["distribution_mode"] = (f"{FSC}第四十四条：可分配盈余主要按照成员与本社的交易量（额）比例返还，"
                                           "分配方式应为按交易量返还为主")
    term = v.get("representative_term_years")
    if term is None:
        errors["representative_term_years"] = "请填写成员代表任期（年）"
    elif not 1 <= term <= MAX_TERM_YEARS:
        errors["representative_term_years"] = f"成员代表任期应在 1 到 {MAX_TERM_YEARS} 年之间"
    elif regime is LegalRegime.COLLECTIVE and v.get("representative_assembly") \
            and term != RCEO_REPRESENTATIVE_TERM_YEARS:
        errors["representative_term_years"] = f"{RCEO}第二十八条：成员代表每届任期五年，现填 {term} 年"
    days = v.get("notice_days")
    if days is None:
        errors["notice_days"] = "请填写会议通知提前的天数"
    elif days > MAX_NOTICE_DAYS:
        errors["notice_days"] = f"会议通知提前天数不能超过 {MAX_NOTICE_DAYS} 日"
    elif regime is LegalRegime.COLLECTIVE and days < RCEO_NOTICE_DAYS:
        errors["notice_days"] = (f"{RCEO}第二十七条：应当于会议召开十日前通知全体成员，"
                                 f"章程只能规定更长的通知期限，不能规定 {days} 日")
    elif days < 1:
        errors["notice_days"] = "会议通知至少提前 1 日"
    errors.update(_majority_errors(v, regime))
    cap = v.get("extra_votes_cap_bp")
    basis = v.get("extra_votes_basis") or ""
    if v.get("extra_votes_allowed"):
        if regime is LegalRegime.COLLECTIVE:
            errors["extra_votes_allowed"] = f"{RCEO}第二十七条：成员大会实行一人一票，不设附加表决权"
        if cap is None or cap <= 0:
            errors["extra_votes_cap_bp"] = "设附加表决权的，请填写附加表决权总票数上限（占基本表决权的比例）"
        elif cap > MAX_EXTRA_VOTES_BP:
            errors["extra_votes_cap_bp"] = (f"{FSC}第二十二条：附加表决权总票数不得超过本社成员基本表决权总票数的"
                                            f"百分之二十，不能定为 {format_percent(cap)}")
        if basis not in set(ExtraVoteBasis):
            errors["extra_votes_basis"] = (f"{FSC}第二十二条：附加表决权按出资额或者与本社交易量（额）较大者分配，"
                                           "请选择依据")
        else:
            errors.update(_extra_vote_rule_errors(v, ExtraVoteBasis(basis)))
    elif cap is not None and cap < 0:
        errors["extra_votes_cap_bp"] = "附加表决权上限不能为负数"
    return errors


def _funds_leave_the_patronage_floor(v: Mapping[str, Any]) -> dict[str, str]:
    """FSC art 44: the patronage floor is a share of what the reserve leaves,
    so the welfare and risk funds may take at most the rest of it."""
    reserve, patronage = v["reserve_rate_bp"], v["patronage_rate_bp"]
    funds = v["welfare_rate_bp"] + v["risk_rate_bp"]
    room = (FULL_BP - reserve) * (FULL_BP - patronage)
    if funds * FULL_BP <= room:
        return {}
    return {"welfare_rate_bp": (
        f"{FSC}第四十四条：提取公积金 {format_percent(reserve)} 后的可分配盈余至少 "
        f"{format_percent(patronage)} 按交易量返还，公益金、风险金合计最多只能提取盈余的 "
        f"{format_percent(room // FULL_BP)}，现为 {format_percent(funds)}")}


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
    if v.get("outside_village_word") not in set(OutsideVillageWord):
        errors["outside_village_word"] = "请选择外村客户的称呼：外村或外嘎查村"
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
    if v.get("reserve_basis") not in set(ReserveBasis):
        errors["reserve_basis"] = f"{FSC}第四十二条：请选择公积金量化到成员账户的方式"
    if not any(f in errors for f in ("reserve_rate_bp", "welfare_rate_bp", "risk_rate_bp")):
        funds = v["reserve_rate_bp"] + v["welfare_rate_bp"] + v["risk_rate_bp"]
        if funds > FULL_BP:
            errors["risk_rate_bp"] = (
                f"公积金、公益金、风险金比例合计 {format_percent(funds)}，不能超过 100%"
            )
        elif v.get("distribution_mode") == DistributionMode.SPECIALIZED and "patronage_rate_bp" not in errors:
            errors.update(_funds_leave_the_patronage_floor(v))
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
    for field, message in governance_errors(v).items():
        errors.setdefault(field, message)
    for field, message in disclosure_errors(v).items():
        errors.setdefault(field, message)
    return errors


def disclosure_errors(v: Mapping[str, Any]) -> dict[str, str]:
    """The disclosure period and the major-item threshold of the charter."""
    errors: dict[str, str] = {}
    if v.get("disclosure_period") not in set(DisclosurePeriod):
        errors["disclosure_period"] = ("《村民委员会组织法》第三十条：财务至少每季度公布一次，"
                                       "财务往来较多的每月公布一次；请选择每季度或每月")
    threshold = v.get("major_item_threshold_fen")
    if threshold is None or threshold <= 0:
        errors["major_item_threshold_fen"] = "请填写重大事项的金额标准（大于 0 元），单笔超过此数的收支逐笔公开"
    elif threshold > MAX_AMOUNT_FEN:
        errors["major_item_threshold_fen"] = f"重大事项金额标准不能超过 {format_yuan(MAX_AMOUNT_FEN)} 元，请核对"
    return errors
