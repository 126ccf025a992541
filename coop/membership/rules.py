"""The law of membership changes as pure functions (no Flask, no database).

《中华人民共和国农村集体经济组织法》 (in force 2025-05-01):

- 第十二条: the member assembly confirms members; a person added by a
  member's child-bearing shall be confirmed, one added by a member's
  marriage, by adoption or by policy migration generally shall be.
- 第十六条: a member may withdraw by written application, with appropriate
  compensation or keeping the property rights already enjoyed for a period,
  but may not demand a split of the collective property.
- 第十七条: membership is lost only by death, loss of PRC nationality,
  membership of another collective, becoming a civil servant (not one
  appointed by contract), or what laws and the charter provide; after items
  3 and 4 rights may be kept for a period by agreement.
- 第十八条: membership is not lost by study, military service, work or
  business elsewhere, divorce, widowhood or imprisonment; a member who
  marries keeps it unless membership of another collective was gained
  (第二款).
- 第八条 (third paragraph): women's rights may not be harmed on the ground of
  marriage, divorce, widowhood or moving the household registration.
- 第六十六条: members confirmed before the law took effect need no
  re-confirmation.

Every refusal here names its law and article in its message."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from coop.clock import future_error
from coop.labels import LabelledEnum
from coop.membership.constants import GAIN_REASONS, LOSS_REASONS, EventReason, WithdrawalTerms

LAW = "《农村集体经济组织法》"
LAW_IN_FORCE = date(2025, 5, 1)


class RefusedGround(LabelledEnum):
    """What is often given as a reason to strike someone off and is not one
    (第十八条). The loss form offers them so that the refusal and its article
    are shown where the mistake would be made."""

    STUDY = "study", "外出就学"
    MILITARY = "military", "服兵役"
    WORK = "work", "外出务工"
    BUSINESS = "business", "外出经商"
    DIVORCE = "divorce", "离婚"
    WIDOWHOOD = "widowhood", "丧偶"
    PRISON = "prison", "服刑"
    MARRIAGE = "marriage", "结婚（外嫁、入赘）"


class RefusedTerms(LabelledEnum):
    """Withdrawal terms the law forbids (第十六条)."""

    SPLIT = "split", "分割集体财产"


class Confirmation(LabelledEnum):
    """How strongly 第十二条 binds the member assembly for a gain."""

    MUST = "must", "应当确认"
    GENERALLY = "generally", "一般应当确认"
    ASSEMBLY = "assembly", "由成员大会依法确认"


@dataclass(frozen=True)
class ReasonRule:
    """What the law says of one reason: its article, how the assembly is bound
    (gains), and what the event must carry."""

    reason: EventReason
    article: str
    confirmation: Confirmation | None = None  # gains only
    needs_relative: bool = False      # a member parent / spouse of this cooperative
    needs_detail: bool = False        # the basis or the named charter reason
    needs_elsewhere: bool = False     # the collective where membership was gained
    needs_application: bool = False   # a written application (document and date)
    may_keep_rights: bool = False     # 第十七条第二款 / 第十六条: rights kept for a period
    marital: bool = False             # caused by marriage (第八条 review for a woman)

    @property
    def is_gain(self) -> bool:
        return self.reason in GAIN_REASONS

    @property
    def citation(self) -> str:
        return f"{LAW}{self.article}"


RULES: dict[EventReason, ReasonRule] = {r.reason: r for r in (
    ReasonRule(EventReason.BIRTH, "第十二条第二款", Confirmation.MUST, needs_relative=True),
    ReasonRule(EventReason.MARRIAGE_IN, "第十二条第二款", Confirmation.GENERALLY,
               needs_relative=True, marital=True),
    ReasonRule(EventReason.ADOPTION, "第十二条第二款", Confirmation.GENERALLY, needs_relative=True),
    ReasonRule(EventReason.MIGRATION, "第十二条第二款", Confirmation.GENERALLY),
    ReasonRule(EventReason.OTHER_GAIN, "第十一条、第十二条第一款", Confirmation.ASSEMBLY,
               needs_detail=True),
    ReasonRule(EventReason.DEATH, "第十七条第一款第一项"),
    ReasonRule(EventReason.NATIONALITY, "第十七条第一款第二项"),
    ReasonRule(EventReason.OTHER_COLLECTIVE, "第十七条第一款第三项", needs_elsewhere=True,
               may_keep_rights=True),
    ReasonRule(EventReason.MARRIAGE_OUT, "第十七条第一款第三项、第十八条第二款",
               needs_elsewhere=True, may_keep_rights=True, marital=True),
    ReasonRule(EventReason.CIVIL_SERVANT, "第十七条第一款第四项", may_keep_rights=True),
    ReasonRule(EventReason.CHARTER_REASON, "第十七条第一款第五项", needs_detail=True),
    ReasonRule(EventReason.WITHDRAWAL, "第十六条", needs_application=True, may_keep_rights=True),
)}

assert set(RULES) == set(EventReason)
assert {r for r in RULES if RULES[r].is_gain} == GAIN_REASONS


# -- the refusals -----------------------------------------------------------------

_ART18 = (f"依照{LAW}第十八条，农村集体经济组织成员不因就学、服役、务工、经商、离婚、丧偶、服刑等"
          "原因而丧失成员身份")


def refused_ground_message(ground: RefusedGround) -> str:
    """Why ``ground`` is no reason to lose membership, with its article."""
    if ground == RefusedGround.MARRIAGE:
        return marriage_out_message()
    return f"不能以“{ground.label}”为由登记丧失成员身份：{_ART18}。"


def marriage_out_message() -> str:
    return (f"不能以结婚为由登记丧失成员身份：依照{LAW}第十八条第二款，成员结婚，未取得其他农村集体"
            "经济组织成员身份的，原农村集体经济组织不得取消其成员身份。请先取得并填写其已在哪个集体"
            "经济组织取得成员身份（附证明）。")


SPLIT_MESSAGE = (f"依照{LAW}第十六条，成员自愿退出的，可以与农村集体经济组织协商获得适当补偿或者在一定期限内"
                 "保留其已经享有的财产权益，但是不得要求分割集体财产。")

CONTRACT_CIVIL_SERVANT_MESSAGE = (
    f"聘任制公务员不丧失成员身份：依照{LAW}第十七条第一款第四项，已经成为公务员的丧失成员身份，"
    "但是聘任制公务员除外。")


def reconfirmation_message(member_no: str, name: str, basis_is_art66: bool) -> str:
    """A gain recorded for someone who already is a member."""
    if basis_is_art66:
        return (f"{name}（{member_no}）是2025年5月1日前已确认的成员：依照{LAW}第六十六条，"
                "不需要重新确认。")
    return f"{name}（{member_no}）已经是本社成员，不需要再登记取得成员身份。"


_REFUSED_GROUNDS = frozenset(g.value for g in RefusedGround)
_TERMS = frozenset(t.value for t in WithdrawalTerms)


@dataclass(frozen=True)
class LossFacts:
    """What the loss form says, as plain values."""

    reason: str                   # an EventReason value or a RefusedGround value
    membership_elsewhere: str = ""
    detail: str = ""
    withdrawal_terms: str = ""
    rights_kept_until: date | None = None
    occurs_on: date | None = None
    doc_type: str = ""
    doc_date: date | None = None
    contract_civil_servant: bool = False


def loss_errors(facts: LossFacts, today: date) -> dict[str, str]:
    """Field -> message for every rule a loss breaks (empty when lawful)."""
    errors: dict[str, str] = {}
    if facts.reason in _REFUSED_GROUNDS:
        return {"reason": refused_ground_message(RefusedGround(facts.reason))}
    if facts.reason not in LOSS_REASONS:
        return {"reason": "请选择丧失成员身份的原因"}
    rule = RULES[EventReason(facts.reason)]
    _date_errors(errors, facts.occurs_on, today)
    if rule.needs_elsewhere and not facts.membership_elsewhere.strip():
        errors["membership_elsewhere"] = (
            marriage_out_message() if rule.marital else
            f"请填写已在哪个农村集体经济组织取得成员身份（{LAW}第十七条第一款第三项）")
    if rule.needs_detail and not facts.detail.strip():
        errors["detail"] = (f"请写明章程规定的具体情形及章程条款（{LAW}第十七条第一款第五项："
                            "法律法规和农村集体经济组织章程规定的其他情形）")
    if rule.reason == EventReason.CIVIL_SERVANT and facts.contract_civil_servant:
        errors["contract_civil_servant"] = CONTRACT_CIVIL_SERVANT_MESSAGE
    if rule.needs_application:
        if not facts.doc_type.strip() or facts.doc_date is None:
            errors["doc_type"] = (f"自愿退出须有本人书面申请（{LAW}第十六条）：请填写申请书及其日期")
        if facts.withdrawal_terms == RefusedTerms.SPLIT:
            errors["withdrawal_terms"] = SPLIT_MESSAGE
        elif facts.withdrawal_terms not in _TERMS:
            errors["withdrawal_terms"] = (f"请选择退出的安排：给予适当补偿，或在一定期限内保留已享有的"
                                          f"财产权益（{LAW}第十六条）")
        elif facts.withdrawal_terms == WithdrawalTerms.RIGHTS_KEPT and facts.rights_kept_until is None:
            errors["rights_kept_until"] = "请填写保留财产权益的截止日期"
    elif facts.withdrawal_terms == RefusedTerms.SPLIT:
        errors["withdrawal_terms"] = SPLIT_MESSAGE
    if facts.rights_kept_until is not None:
        if not rule.may_keep_rights:
            errors["rights_kept_until"] = (f"只有取得其他集体成员身份、成为公务员（{LAW}第十七条第二款）"
                                           f"或自愿退出（第十六条）的，才可约定在一定期限内保留权益")
        elif facts.occurs_on is not None and facts.rights_kept_until <= facts.occurs_on:
            errors["rights_kept_until"] = "保留权益的截止日期应晚于事由发生日期"
    return errors


@dataclass(frozen=True)
class GainFacts:
    reason: str
    occurs_on: date | None = None
    detail: str = ""
    birth_date: date | None = None      # from the resident ID
    relative_is_member: bool | None = None  # None: no relative named
    relative_born: date | None = None


def gain_errors(facts: GainFacts, today: date) -> dict[str, str]:
    """Field -> message for every rule a gain breaks (empty when lawful)."""
    if facts.reason not in GAIN_REASONS:
        return {"reason": "请选择取得成员身份的方式"}
    rule = RULES[EventReason(facts.reason)]
    errors: dict[str, str] = {}
    _date_errors(errors, facts.occurs_on, today)
    if rule.needs_relative:
        if facts.relative_is_member is None:
            errors["relative_no"] = {
                EventReason.BIRTH: "请填写父亲或母亲的成员编号（第十二条：因成员生育而增加的人员）",
                EventReason.MARRIAGE_IN: "请填写配偶的成员编号（第十二条：因成员结婚而增加的人员）",
                EventReason.ADOPTION: "请填写收养人的成员编号（第十二条：因成员收养而增加的人员）",
            }[rule.reason]
        elif not facts.relative_is_member:
            errors["relative_no"] = (f"所填的亲属不是本社在册成员：{LAW}第十二条第二款所说的是因本社"
                                     "成员生育、结婚、收养而增加的人员")
    if rule.reason == EventReason.BIRTH and facts.birth_date and facts.occurs_on \
            and facts.birth_date != facts.occurs_on:
        errors["occurs_on"] = (f"出生日期应与身份证号中的出生日期一致"
                               f"（{facts.birth_date:%Y-%m-%d}）")
    if rule.reason == EventReason.BIRTH and facts.relative_born and facts.birth_date \
            and facts.relative_born >= facts.birth_date:
        errors["relative_no"] = "所填父亲或母亲的出生日期不早于孩子，请核对成员编号"
    if rule.needs_detail and not facts.detail.strip():
        errors["detail"] = (f"请写明取得成员身份的依据（{LAW}第十一条：户籍关联、与本集体形成稳定的"
                            "权利义务关系、以集体土地等财产为基本生活保障）")
    return errors


def _date_errors(errors: dict[str, str], occurs_on: date | None, today: date) -> None:
    if occurs_on is None:
        errors["occurs_on"] = "请填写事由发生日期"
    elif message := future_error(occurs_on, "事由发生日期", today):
        errors["occurs_on"] = message
    elif occurs_on.year < 1949:
        errors["occurs_on"] = "事由发生日期不合理，请核对"


# -- the women's-rights review (第八条) ---------------------------------------------

def gender_of(id_number: str | None) -> str:
    """男 / 女 from the 17th character of an 18-character resident ID, "" when unknown."""
    if not id_number or len(id_number) != 18 or not id_number[16].isdigit():
        return ""
    return "男" if int(id_number[16]) % 2 else "女"


def needs_women_review(reason: str, gender: str, marital: bool = False) -> bool:
    """A change touching a woman's membership because of marriage or divorce
    is reviewed before the roster is filed (第八条)."""
    if gender != "女" or reason not in RULES:
        return False
    return RULES[EventReason(reason)].marital or marital


WOMEN_REVIEW_NOTE = (f"此变动因婚姻或离婚涉及妇女的成员身份：依照{LAW}第八条，不得以妇女未婚、结婚、离婚、"
                     "丧偶、户口迁移等为由侵害妇女在农村集体经济组织中的各项权益。提交成员大会确认前，"
                     "须由监事或书记复核并写明意见。")

UNREVIEWED_MESSAGE = (f"此变动因婚姻或离婚涉及妇女的成员身份，尚未复核：依照{LAW}第八条，须先由监事或书记"
                      "复核并写明意见，才能确认。")


# -- what confirming does (第十二条) -------------------------------------------------

def basis_of(reason: str) -> str:
    """The member's ``acquired_how`` (MembershipBasis value) after a gain."""
    return {
        EventReason.BIRTH: "birth",
        EventReason.MARRIAGE_IN: "marriage",
        EventReason.ADOPTION: "adoption",
        EventReason.MIGRATION: "migration",
        EventReason.OTHER_GAIN: "other",
    }[EventReason(reason)]


def status_after_loss(reason: str) -> str:
    """The member's status (MemberStatus value) after a confirmed loss:
    death -> deceased, withdrawal -> withdrawn, the rest of 第十七条 -> lost."""
    return {EventReason.DEATH: "deceased", EventReason.WITHDRAWAL: "withdrawn"}.get(
        EventReason(reason), "lost")


def needs_reconfirmation(acquired_how: str, confirmed_on: date | None) -> bool:
    """Whether a member on the roster would still need the assembly's
    confirmation: never for one confirmed before 2025-05-01 (第六十六条)."""
    if acquired_how == "confirmed_before_law":
        return False
    return confirmed_on is None


# -- household numbers --------------------------------------------------------------

def next_number(used: list[str], prefix: str, width: int = 4) -> str:
    """The number after the highest of ``used`` that is ``prefix`` and digits,
    keeping their width (CY0200 -> CY0201); ``prefix`` + 0001 when none."""
    best_n, best_width = 0, width
    for value in used:
        digits = value[len(prefix):]
        if value.startswith(prefix) and digits.isdigit() and digits.isascii():
            if int(digits) >= best_n:
                best_n, best_width = int(digits), max(len(digits), 1)
    return f"{prefix}{best_n + 1:0{best_width}d}"
