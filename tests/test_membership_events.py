"""Recording membership events (coop.membership.events): a gain creates the
pending member, a loss waits for the assembly, refusals name their article,
the art 8 review, evidence stored privately, confirming and household numbers."""
from __future__ import annotations

import os
import stat
from datetime import date

import pytest
from sqlalchemy import select

from coop.errors import ServiceError, ValidationFailed
from coop.extensions import db
from coop.members.api import Member
from coop.membership import events, households
from coop.membership.api import apply_confirmed, reject_event
from coop.membership.evidence import MAX_SCAN_BYTES, Scan, scan_path
from coop.membership.models import MembershipEvent
from coop.membership.rules import LossFacts
from tests.conftest_members import make_id

PDF = b"%PDF-1.4\n%scan\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 20
BABY = make_id(501, born=date(2026, 3, 2))          # a boy born 2026-03-02
BRIDE = make_id(502, born=date(1998, 8, 8))          # 17th digit 2: a woman
GROOM = make_id(503, born=date(1996, 2, 2))          # 17th digit 3: a man


@pytest.fixture
def village(app, create_coop, create_member):
    code = create_coop("t1")
    father = create_member(code, member_no="CY0007", name="王建国", household_no="01003",
                           village_group="一组", id_number=make_id(7, born=date(1990, 1, 1)))
    wife = create_member(code, member_no="CY0008", name="李秀英", household_no="01003",
                         village_group="一组", id_number=make_id(8, born=date(1992, 1, 1)))
    other = create_member(code, member_no="CY0009", name="赵六", household_no="01004",
                          village_group="一组", id_number=make_id(9, born=date(1970, 1, 1)))
    return {"code": code, "father": father, "wife": wife, "other": other}


def _coop(code):
    from coop.cooperatives.api import get_by_code
    return get_by_code(code)


def _gain(code, reason="birth", relative="CY0007", id_number=BABY, name="王小宝",
          occurs_on=date(2026, 3, 2), **kw):
    person = events.Person(name=name, id_number=id_number, **kw.pop("person", {}))
    return events.record_gain(_coop(code), reason=reason, occurs_on=occurs_on, person=person,
                              relative_no=relative, **kw)


def test_a_birth_creates_the_pending_member_in_the_parents_household(app, village):
    with app.app_context():
        event = _gain(village["code"], person={"relation_to_head": "子"}, user_id=None)
        db.session.commit()
        member = db.session.get(Member, event.member_id)
        assert member.status == "pending" and member.status_label == "待确认"
        assert member.member_no == "CY0010"  # the next number of the series
        assert member.household_no == "01003" and member.village_group == "一组"
        assert member.relation_to_head == "子"
        assert member.acquired_how == "birth" and member.acquired_on == date(2026, 3, 2)
        assert member.joined_on is None and member.confirmed_on is None
        assert event.status == "pending" and event.household_to == "01003"
        assert not event.women_review


def test_a_bride_marrying_in_joins_her_husbands_household_flagged_for_art8(app, village):
    with app.app_context():
        event = _gain(village["code"], reason="marriage_in", relative="CY0009", id_number=BRIDE,
                      name="刘桂兰", occurs_on=date(2026, 5, 1))
        member = db.session.get(Member, event.member_id)
        assert member.household_no == "01004" and member.relation_to_head == "配偶"
        assert event.women_review and event.awaits_review
        with pytest.raises(ServiceError) as refused:
            apply_confirmed(event, date(2026, 6, 10))
        assert "第八条" in refused.value.message
        with pytest.raises(ServiceError):
            events.review_event(event, "", user_id=None)
        events.review_event(event, "已核实其在原村未被取消成员身份，婚入本村不损害其权益", user_id=None)
        apply_confirmed(event, date(2026, 6, 10))
        db.session.commit()
        assert member.status == "active" and member.joined_on == date(2026, 6, 10)
        assert member.confirmed_on == date(2026, 6, 10) and member.acquired_how == "marriage"
        assert event.status == "confirmed"


def test_a_groom_marrying_in_is_not_flagged(app, village):
    with app.app_context():
        event = _gain(village["code"], reason="marriage_in", relative="CY0008", id_number=GROOM,
                      name="张志强", occurs_on=date(2026, 5, 1))
        assert not event.women_review


def test_a_policy_migrant_gets_a_new_household_and_is_its_head(app, village):
    with app.app_context():
        event = _gain(village["code"], reason="migration", relative="",
                      id_number=make_id(504, born=date(1980, 5, 5)), name="孟和",
                      occurs_on=date(2026, 4, 1), evidence=events.Evidence(
                          doc_type="移民安置文件", doc_no="包移字〔2026〕3号", doc_date=date(2026, 3, 1)))
        member = db.session.get(Member, event.member_id)
        assert member.household_no == "01005" and member.relation_to_head == "户主"
        assert event.doc_no == "包移字〔2026〕3号"


def test_a_gain_refusals(app, village):
    code = village["code"]
    with app.app_context():
        with pytest.raises(ValidationFailed) as refused:
            _gain(code, relative="CY0099")
        assert "第十二条第二款" in refused.value.errors["relative_no"]
        with pytest.raises(ValidationFailed) as refused:
            _gain(code, id_number=make_id(7, born=date(1990, 1, 1)), occurs_on=date(1990, 1, 1))
        assert "已经是本社成员" in refused.value.errors["id_number"]
        with pytest.raises(ValidationFailed) as refused:
            _gain(code, reason="other_gain", relative="", name="")
        assert "第十一条" in refused.value.errors["detail"] and "姓名" in refused.value.errors["name"]
        assert db.session.scalar(select(MembershipEvent.id)) is None


def test_a_member_confirmed_before_the_law_is_not_confirmed_again(app, village):
    with app.app_context():
        member = db.session.get(Member, village["father"])
        member.acquired_how = "confirmed_before_law"
        with pytest.raises(ValidationFailed) as refused:
            _gain(village["code"], reason="other_gain", relative="", detail="户籍在本村",
                  id_number=member.id_number, occurs_on=date(2026, 1, 1))
        assert "第六十六条" in refused.value.errors["id_number"]


def test_gains_are_for_collective_economic_organizations_only(app, create_coop):
    code = create_coop("t2", distribution_mode="specialized")
    with app.app_context():
        with pytest.raises(ServiceError) as refused:
            _gain(code, relative="")
        assert "《农民专业合作社法》" in refused.value.message


def test_cancelling_a_gain_leaves_no_member_and_the_person_may_be_recorded_again(app, village):
    with app.app_context():
        event = _gain(village["code"])
        events.cancel_event(event, event.version)
        member = db.session.get(Member, event.member_id)
        assert event.status == "cancelled" and member.status == "not_confirmed"
        with pytest.raises(ServiceError):
            events.cancel_event(event)
        again = _gain(village["code"], name="王宝")
        assert again.member_id == member.id and member.status == "pending" and member.name == "王宝"


def _loss(member_id, **facts):
    member = db.session.get(Member, member_id)
    facts.setdefault("occurs_on", date(2026, 6, 1))
    marital = facts.pop("marital", False)
    evidence = facts.pop("evidence", events.Evidence())
    folder = facts.pop("folder", None)
    from coop.cooperatives.api import Cooperative
    return events.record_loss(member, db.session.get(Cooperative, member.cooperative_id),
                              facts=LossFacts(**facts), marital=marital, evidence=evidence,
                              folder=folder)


@pytest.mark.parametrize("ground", ["study", "military", "work", "business", "divorce",
                                    "widowhood", "prison"])
def test_art18_refusals_change_nothing(app, village, ground, fingerprint):
    before = fingerprint()
    with app.app_context():
        with pytest.raises(ValidationFailed) as refused:
            _loss(village["father"], reason=ground)
        assert "第十八条" in refused.value.errors["reason"]
    assert fingerprint() == before


def test_a_woman_marrying_out_loses_membership_only_once_she_has_it_elsewhere(app, village):
    with app.app_context():
        with pytest.raises(ValidationFailed) as refused:
            _loss(village["wife"], reason="marriage_out")
        assert "第十八条第二款" in refused.value.errors["membership_elsewhere"]
        event = _loss(village["wife"], reason="marriage_out",
                      membership_elsewhere="红旗村股份经济合作社")
        assert event.women_review and event.household_from == "01003"
        events.review_event(event, "已取得红旗村成员身份，有该村证明", user_id=None)
        member = apply_confirmed(event, date(2026, 6, 10))
        assert member.status == "lost" and member.status_changed_on == date(2026, 6, 10)


def test_a_death_is_confirmed_as_deceased_on_the_day_of_death(app, village):
    with app.app_context():
        event = _loss(village["other"], reason="death")
        with pytest.raises(ServiceError) as refused:
            _loss(village["other"], reason="nationality")
        assert "已有一项待确认的变动" in refused.value.message
        member = apply_confirmed(event, date(2026, 6, 10))
        assert member.status == "deceased" and member.status_changed_on == date(2026, 6, 1)
        with pytest.raises(ServiceError):
            apply_confirmed(event, date(2026, 6, 10))


def test_a_withdrawal_keeps_its_terms_and_is_confirmed_as_withdrawn(app, village):
    with app.app_context():
        event = _loss(village["other"], reason="withdrawal", withdrawal_terms="rights_kept",
                      rights_kept_until=date(2031, 6, 1), doc_type="书面退出申请",
                      doc_date=date(2026, 5, 20),
                      evidence=events.Evidence(doc_type="书面退出申请", doc_date=date(2026, 5, 20)))
        assert event.withdrawal_terms == "rights_kept" and event.rights_kept_until == date(2031, 6, 1)
        assert apply_confirmed(event, date(2026, 6, 10)).status == "withdrawn"


def test_a_pending_person_cannot_lose_and_a_rejected_loss_keeps_the_member(app, village):
    with app.app_context():
        gain = _gain(village["code"])
        with pytest.raises(ServiceError) as refused:
            _loss(gain.member_id, reason="death")
        assert "尚待确认" in refused.value.message
        loss = _loss(village["other"], reason="nationality")
        reject_event(loss)
        assert db.session.get(Member, village["other"]).status == "active"
        reject_event(gain)
        assert db.session.get(Member, gain.member_id).status == "not_confirmed"


# -- evidence ---------------------------------------------------------------------

def test_a_scan_is_stored_outside_the_web_root_privately(app, village, tmp_path):
    with app.app_context():
        event = _gain(village["code"], folder=tmp_path, evidence=events.Evidence(
            doc_type="出生医学证明", doc_no="Q123", doc_date=date(2026, 3, 5),
            scan=Scan("../../etc/出生证明.pdf", PDF)))
        assert event.scan_name == "出生证明.pdf"
        assert "/" not in event.scan_file and event.scan_file.endswith(".pdf")
        path = scan_path(tmp_path, event.scan_file)
        assert path.parent == tmp_path / "membership_files"
        assert path.read_bytes() == PDF
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
        assert scan_path(tmp_path, "../" + event.scan_file) is None


@pytest.mark.parametrize("data,message", [
    (b"", "空的"),
    (b"MZ\x90\x00 not a scan", "PDF、JPEG 或 PNG"),
    (b"%PDF-" + b"0" * MAX_SCAN_BYTES, "5 MB"),
])
def test_a_bad_scan_is_refused_and_nothing_is_written(app, village, tmp_path, data, message):
    with app.app_context():
        with pytest.raises(ValidationFailed) as refused:
            _gain(village["code"], folder=tmp_path,
                  evidence=events.Evidence(scan=Scan("x.pdf", data)))
        assert message in refused.value.errors["scan"]
    assert not (tmp_path / "membership_files").exists() or not any(
        (tmp_path / "membership_files").iterdir())


def test_evidence_is_added_later_to_an_open_event_only(app, village, tmp_path):
    with app.app_context():
        event = _gain(village["code"])
        events.update_evidence(event, events.Evidence(doc_type="出生医学证明", doc_no="Q1",
                                                      scan=Scan("b.png", PNG)), tmp_path)
        assert event.scan_file.endswith(".png") and event.doc_type == "出生医学证明"
        events.cancel_event(event)
        with pytest.raises(ServiceError):
            events.update_evidence(event, events.Evidence(doc_type="x"), tmp_path)


# -- households --------------------------------------------------------------------

def test_household_split_merge_and_move_keep_one_head(app, village):
    with app.app_context():
        father = db.session.get(Member, village["father"])
        wife = db.session.get(Member, village["wife"])
        other = db.session.get(Member, village["other"])
        father.relation_to_head, wife.relation_to_head = "户主", "配偶"
        other.relation_to_head = "户主"
        change = households.split_household(father.cooperative_id, "01003", [wife.id], wife.id)
        assert change.household_no == "01005" and wife.household_no == "01005"
        assert wife.relation_to_head == "户主" and father.household_no == "01003"
        with pytest.raises(ServiceError):
            households.split_household(father.cooperative_id, "01003", [father.id], father.id)
        with pytest.raises(ServiceError) as refused:
            households.move_member(father, "01004", "户主")
        assert "一户只有一位户主" in refused.value.message
        households.move_member(father, "01005", "配偶")
        assert father.household_no == "01005"
        change = households.merge_households(father.cooperative_id, "01004", "01005")
        assert change.moved == 2 and {wife.household_no, father.household_no} == {"01004"}
        assert [m.relation_to_head for m in (other, wife, father)].count("户主") == 1
