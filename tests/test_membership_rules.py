"""The law of membership changes (coop.membership.rules): every reason, every
refusal with its article (《农村集体经济组织法》第八、十二、十六、十七、十八、六十六条)."""
from datetime import date

import pytest

from coop.membership import rules
from coop.membership.constants import GAIN_REASONS, LOSS_REASONS, EventReason
from coop.membership.rules import GainFacts, LossFacts, RefusedGround

TODAY = date(2026, 6, 15)
DAY = date(2026, 5, 1)


def test_every_reason_has_its_rule_and_article():
    assert set(rules.RULES) == set(EventReason)
    for reason, rule in rules.RULES.items():
        assert rule.citation.startswith("《农村集体经济组织法》第")
        assert (rule.confirmation is not None) == (reason in GAIN_REASONS)
    assert rules.RULES[EventReason.BIRTH].confirmation == rules.Confirmation.MUST
    for reason in (EventReason.MARRIAGE_IN, EventReason.ADOPTION, EventReason.MIGRATION):
        assert rules.RULES[reason].confirmation == rules.Confirmation.GENERALLY
        assert rules.RULES[reason].article == "第十二条第二款"
    assert rules.RULES[EventReason.DEATH].article == "第十七条第一款第一项"
    assert rules.RULES[EventReason.NATIONALITY].article == "第十七条第一款第二项"
    assert rules.RULES[EventReason.OTHER_COLLECTIVE].article == "第十七条第一款第三项"
    assert rules.RULES[EventReason.CIVIL_SERVANT].article == "第十七条第一款第四项"
    assert rules.RULES[EventReason.CHARTER_REASON].article == "第十七条第一款第五项"
    assert rules.RULES[EventReason.WITHDRAWAL].article == "第十六条"


@pytest.mark.parametrize("reason", sorted(GAIN_REASONS))
def test_each_gain_is_lawful_with_its_facts(reason):
    facts = GainFacts(reason=reason, occurs_on=DAY, detail="户籍在本村，长期生产生活",
                      birth_date=DAY if reason == EventReason.BIRTH else date(1995, 1, 1),
                      relative_is_member=True if rules.RULES[reason].needs_relative else None,
                      relative_born=date(1990, 1, 1))
    assert rules.gain_errors(facts, TODAY) == {}


@pytest.mark.parametrize("reason,word", [(EventReason.BIRTH, "父亲或母亲"),
                                         (EventReason.MARRIAGE_IN, "配偶"),
                                         (EventReason.ADOPTION, "收养人")])
def test_a_gain_through_a_member_names_the_member(reason, word):
    errors = rules.gain_errors(GainFacts(reason=reason, occurs_on=DAY), TODAY)
    assert word in errors["relative_no"] and "第十二条" in errors["relative_no"]
    errors = rules.gain_errors(GainFacts(reason=reason, occurs_on=DAY, relative_is_member=False),
                               TODAY)
    assert "不是本社在册成员" in errors["relative_no"] and "第十二条第二款" in errors["relative_no"]


def test_a_birth_is_on_the_day_the_id_says_and_after_the_parent():
    errors = rules.gain_errors(GainFacts(reason="birth", occurs_on=DAY, birth_date=date(2026, 4, 30),
                                         relative_is_member=True), TODAY)
    assert "2026-04-30" in errors["occurs_on"]
    errors = rules.gain_errors(GainFacts(reason="birth", occurs_on=DAY, birth_date=DAY,
                                         relative_is_member=True, relative_born=DAY), TODAY)
    assert "出生日期不早于孩子" in errors["relative_no"]


def test_another_basis_must_be_written_down():
    errors = rules.gain_errors(GainFacts(reason="other_gain", occurs_on=DAY), TODAY)
    assert "第十一条" in errors["detail"]


def test_dates_of_the_fact():
    assert "不能晚于今天" in rules.gain_errors(
        GainFacts(reason="migration", occurs_on=date(2026, 6, 16)), TODAY)["occurs_on"]
    assert "请填写" in rules.loss_errors(LossFacts(reason="death"), TODAY)["occurs_on"]
    assert "请选择" in rules.gain_errors(GainFacts(reason="death", occurs_on=DAY), TODAY)["reason"]
    assert "请选择" in rules.loss_errors(LossFacts(reason="birth", occurs_on=DAY), TODAY)["reason"]


@pytest.mark.parametrize("ground", [g for g in RefusedGround if g != RefusedGround.MARRIAGE])
def test_art18_grounds_are_refused_with_the_article(ground):
    errors = rules.loss_errors(LossFacts(reason=ground.value, occurs_on=DAY), TODAY)
    assert list(errors) == ["reason"]
    message = errors["reason"]
    assert "《农村集体经济组织法》第十八条" in message and ground.label in message
    assert "就学、服役、务工、经商、离婚、丧偶、服刑" in message


def test_marriage_is_no_loss_unless_membership_elsewhere_was_gained():
    errors = rules.loss_errors(LossFacts(reason="marriage", occurs_on=DAY), TODAY)
    assert "第十八条第二款" in errors["reason"]
    errors = rules.loss_errors(LossFacts(reason="marriage_out", occurs_on=DAY), TODAY)
    assert "第十八条第二款" in errors["membership_elsewhere"]
    assert rules.loss_errors(LossFacts(reason="marriage_out", occurs_on=DAY,
                                       membership_elsewhere="红旗村股份经济合作社"), TODAY) == {}


@pytest.mark.parametrize("reason", sorted(LOSS_REASONS))
def test_each_loss_is_lawful_with_its_facts(reason):
    facts = LossFacts(reason=reason, occurs_on=DAY, membership_elsewhere="红旗村股份经济合作社",
                      detail="章程第十条：户籍迁出本村满五年且不履行义务", withdrawal_terms="compensation",
                      doc_type="书面退出申请", doc_date=DAY)
    assert rules.loss_errors(facts, TODAY) == {}


def test_other_collective_names_the_collective():
    errors = rules.loss_errors(LossFacts(reason="other_collective", occurs_on=DAY), TODAY)
    assert "第十七条第一款第三项" in errors["membership_elsewhere"]


def test_a_charter_reason_is_named():
    errors = rules.loss_errors(LossFacts(reason="charter_reason", occurs_on=DAY), TODAY)
    assert "第十七条第一款第五项" in errors["detail"]


def test_a_civil_servant_appointed_by_contract_keeps_membership():
    errors = rules.loss_errors(LossFacts(reason="civil_servant", occurs_on=DAY,
                                         contract_civil_servant=True), TODAY)
    assert "聘任制公务员除外" in errors["contract_civil_servant"]
    assert "第十七条第一款第四项" in errors["contract_civil_servant"]


def test_withdrawal_needs_a_written_application_and_lawful_terms():
    errors = rules.loss_errors(LossFacts(reason="withdrawal", occurs_on=DAY), TODAY)
    assert "书面申请" in errors["doc_type"] and "第十六条" in errors["doc_type"]
    assert "第十六条" in errors["withdrawal_terms"]
    errors = rules.loss_errors(LossFacts(reason="withdrawal", occurs_on=DAY, doc_type="申请书",
                                         doc_date=DAY, withdrawal_terms="split"), TODAY)
    assert errors["withdrawal_terms"] == rules.SPLIT_MESSAGE
    assert "不得要求分割集体财产" in rules.SPLIT_MESSAGE and "第十六条" in rules.SPLIT_MESSAGE
    errors = rules.loss_errors(LossFacts(reason="withdrawal", occurs_on=DAY, doc_type="申请书",
                                         doc_date=DAY, withdrawal_terms="rights_kept"), TODAY)
    assert "截止日期" in errors["rights_kept_until"]
    assert rules.loss_errors(LossFacts(reason="withdrawal", occurs_on=DAY, doc_type="申请书",
                                       doc_date=DAY, withdrawal_terms="rights_kept",
                                       rights_kept_until=date(2031, 5, 1)), TODAY) == {}


def test_rights_are_kept_only_where_the_law_allows():
    errors = rules.loss_errors(LossFacts(reason="death", occurs_on=DAY,
                                         rights_kept_until=date(2030, 1, 1)), TODAY)
    assert "第十七条第二款" in errors["rights_kept_until"]
    assert rules.loss_errors(LossFacts(reason="civil_servant", occurs_on=DAY,
                                       rights_kept_until=date(2030, 1, 1)), TODAY) == {}
    errors = rules.loss_errors(LossFacts(reason="civil_servant", occurs_on=DAY,
                                         rights_kept_until=DAY), TODAY)
    assert "晚于" in errors["rights_kept_until"]


WOMAN = "150203199001010028"  # 17th digit 2: a woman
MAN = "150203199001010013"


def test_gender_from_the_id():
    assert rules.gender_of(WOMAN) == "女" and rules.gender_of(MAN) == "男"
    assert rules.gender_of(None) == "" and rules.gender_of("123") == ""


def test_art8_flags_a_change_touching_a_woman_because_of_marriage_or_divorce():
    assert rules.needs_women_review("marriage_in", "女")
    assert rules.needs_women_review("marriage_out", "女")
    assert not rules.needs_women_review("marriage_in", "男")
    assert not rules.needs_women_review("birth", "女")
    assert not rules.needs_women_review("death", "女")
    # another reason, marked as caused by a marriage or a divorce
    assert rules.needs_women_review("other_gain", "女", marital=True)
    assert rules.needs_women_review("other_collective", "女", marital=True)
    assert not rules.needs_women_review("other_collective", "男", marital=True)
    assert "第八条" in rules.WOMEN_REVIEW_NOTE and "第八条" in rules.UNREVIEWED_MESSAGE


def test_art66_members_need_no_reconfirmation():
    message = rules.reconfirmation_message("CY0001", "张三", basis_is_art66=True)
    assert "第六十六条" in message and "不需要重新确认" in message
    assert "第六十六条" not in rules.reconfirmation_message("CY0001", "张三", basis_is_art66=False)
    assert not rules.needs_reconfirmation("confirmed_before_law", None)
    assert rules.needs_reconfirmation("birth", None)
    assert not rules.needs_reconfirmation("birth", DAY)


def test_what_confirming_does():
    assert [rules.basis_of(r) for r in ("birth", "marriage_in", "adoption", "migration",
                                        "other_gain")] == [
        "birth", "marriage", "adoption", "migration", "other"]
    assert rules.status_after_loss("death") == "deceased"
    assert rules.status_after_loss("withdrawal") == "withdrawn"
    for reason in ("nationality", "other_collective", "marriage_out", "civil_servant",
                   "charter_reason"):
        assert rules.status_after_loss(reason) == "lost"


def test_next_number_keeps_the_series():
    assert rules.next_number(["CY0009", "CY0200", "JT001", "GB006"], "CY") == "CY0201"
    assert rules.next_number([], "CY") == "CY0001"
    assert rules.next_number(["01001", "01012", "02001"], "01", width=3) == "01013"
    assert rules.next_number(["H099"], "H") == "H100"
