"""Extra votes of a specialized cooperative computed, not typed (issue 14,
农民专业合作社法第二十二条): the pure rule (capital, transactions, both, a
threshold, the most per member, the 20 % cap exactly at and just over), the
figures answered by the share register and the machinery ledger through
``vote_basis_requested``, the charter page refusing a rule over the cap,
convening computing and storing each member's votes (and refusing when the
figures grew past the cap), and a resolution that needs more than half of
ALL votes decided on the computed counts."""
from __future__ import annotations

from datetime import date

import pytest
from flask import render_template
from sqlalchemy import select

from coop.cooperatives.api import get_by_code
from coop.errors import ValidationFailed
from coop.extensions import db
from coop.governance.by_charter import convene_under_charter, update_under_charter
from coop.governance.constants import AttendanceMode, Body, ItemKind
from coop.governance.decisions import decide_item, record_vote
from coop.governance.attendance import record_attendance
from coop.governance.meetings import ItemSpec
from coop.governance.models import Meeting, MeetingExtraVotes
from coop.governance.papers import Paper, meeting_papers
from coop.governance.sheets import sign_in_rows
from coop.governance.vote_sources import vote_basis
from coop.governance.votes import (ExtraVoteRule, MemberFigures, cap_error, count_extra_votes,
                                   member_extra_votes)
from coop.machinery.orders import OrderInput, create_order
from tests.test_charter import FSC_GOOD

YUAN = 100
TODAY = date(2026, 6, 15)          # the suite's fixed today
MEETING_ON = date(2026, 7, 1)


# -- the pure rule ------------------------------------------------------------------

def rule(basis: str = "capital", *, cap_bp: int = 2000, member_max: int = 5, **steps) -> ExtraVoteRule:
    return ExtraVoteRule(basis=basis, cap_bp=cap_bp, member_max=member_max, **steps)


def votes(r: ExtraVoteRule, capital_yuan: int = 0, transactions_yuan: int = 0):
    return member_extra_votes(r, MemberFigures(1, capital_yuan * YUAN, transactions_yuan * YUAN))


def test_by_capital_one_vote_per_full_step():
    r = rule(capital_step_fen=10_000 * YUAN)
    assert [votes(r, c).extra_votes for c in (0, 9_999, 10_000, 29_999, 30_000)] == [0, 0, 1, 2, 3]
    assert votes(r, 50_000, transactions_yuan=10**6).by_transactions == 0   # not the basis


def test_by_transactions_of_the_year_before():
    r = rule("transactions", transactions_step_fen=5_000 * YUAN)
    got = votes(r, capital_yuan=10**6, transactions_yuan=12_000)
    assert (got.by_capital, got.by_transactions, got.extra_votes) == (0, 2, 2)


def test_both_figures_add_up():
    r = rule("both", capital_step_fen=10_000 * YUAN, transactions_step_fen=5_000 * YUAN)
    got = votes(r, capital_yuan=20_000, transactions_yuan=5_000)
    assert (got.by_capital, got.by_transactions, got.extra_votes) == (2, 1, 3)


def test_only_the_amount_above_the_threshold_counts():
    r = rule(capital_step_fen=10_000 * YUAN, capital_threshold_fen=50_000 * YUAN)
    assert [votes(r, c).extra_votes for c in (50_000, 59_999, 60_000, 80_000)] == [0, 0, 1, 3]
    assert votes(r, -5_000).extra_votes == 0          # a negative figure gives none


def test_no_member_has_more_than_the_charters_most():
    r = rule("both", member_max=2, capital_step_fen=1_000 * YUAN, transactions_step_fen=1_000 * YUAN)
    got = votes(r, capital_yuan=5_000, transactions_yuan=5_000)
    assert (got.by_capital + got.by_transactions, got.extra_votes, got.limited) == (10, 2, True)


def test_the_cap_exactly_at_twenty_percent_and_one_over():
    r = rule(capital_step_fen=10_000 * YUAN)
    at = count_extra_votes(r, 10, [MemberFigures(1, 20_000 * YUAN), MemberFigures(2, 9_999 * YUAN)])
    assert (at.total, at.limit, at.within_cap) == (2, 2, True) and cap_error(at, figures_of="按今天") is None
    over = count_extra_votes(r, 10, [MemberFigures(1, 20_000 * YUAN), MemberFigures(2, 10_000 * YUAN)])
    assert (over.total, over.within_cap) == (3, False)
    message = cap_error(over, figures_of="按 2026-07-01 的出资额")
    assert message.startswith("《农民专业合作社法》第二十二条：本社的附加表决权总票数，不得超过本社成员基本表决权总票数的百分之二十")
    assert "附加表决权最多 2 票" in message and "共 3 票，多出 1 票" in message
    # the charter's own cap below 20 %: 15 % of 10 is one vote
    strict = count_extra_votes(rule(cap_bp=1500, capital_step_fen=10_000 * YUAN), 10,
                               [MemberFigures(1, 20_000 * YUAN)])
    assert not strict.within_cap and "本社章程规定不超过 15.00%" in cap_error(strict, figures_of="按今天")
    # 20 % of 14 basic votes is 2.8: two extra votes, not three
    assert not count_extra_votes(r, 14, [MemberFigures(1, 30_000 * YUAN)]).within_cap


def test_a_rule_over_twenty_percent_or_without_its_step_cannot_be_built():
    with pytest.raises(ValueError, match="第二十二条"):
        rule(cap_bp=2001, capital_step_fen=100)
    with pytest.raises(ValueError, match="每票的金额应大于零"):
        rule("both", capital_step_fen=100)
    assert ExtraVoteRule.of_charter({"extra_votes_allowed": False}) is None


# -- the figures, from the register and the ledger --------------------------------------

@pytest.fixture
def fsc_world(share_world, create_user, auth):
    """share_world (t1: register of 2024-01-10, capital C000 650, V001 150,
    V002 160, G001 40 yuan; eight members) with two more members: ten
    members, ten basic votes, at most two extra votes. Its secretary is
    signed in; the cooperative is a specialized one."""
    share_world.member("V006")
    share_world.member("V007")
    with share_world.app.app_context():
        coop = share_world.coop()
        coop.legal_regime = coop.distribution_mode = "specialized"
        db.session.commit()
    create_user("t1", "admin", role="admin")
    auth.login("admin")
    return share_world


def order(world, member_no: str, on: date, yuan: int) -> None:
    """A service order of ``member_no`` worth ``yuan`` (10 mu)."""
    with world.app.app_context():
        create_order(world.coop().id, OrderInput(service_on=on, client_text=member_no, service="sowing",
                                                 area_cmu=1000, unit_price_fen=yuan * YUAN // 10))
        db.session.commit()


def test_the_register_and_the_ledger_answer_the_figures_of_the_day(fsc_world):
    w = fsc_world
    order(w, "V003", date(2025, 5, 1), 3_000)
    order(w, "V003", date(2026, 5, 1), 9_000)        # this year: not the year before the meeting
    order(w, "V004", date(2024, 5, 1), 9_000)        # two years before
    w.contribute("V001", "villager", 50, on=date(2026, 6, 1))     # after the day asked for first
    with w.app.app_context():
        basis = vote_basis(w.coop().id, date(2026, 5, 31))
    assert basis.transactions_year == 2025
    assert dict(basis.capital) == {w.ids["C000"]: 65_000, w.ids["G001"]: 4_000, w.ids["V001"]: 15_000,
                                   w.ids["V002"]: 16_000}
    assert dict(basis.transactions) == {w.ids["V003"]: 300_000}
    with w.app.app_context():
        assert vote_basis(w.coop().id, TODAY).capital[w.ids["V001"]] == 20_000


# -- the charter page -----------------------------------------------------------------------

def charter_data(**rule_values) -> dict:
    return {**FSC_GOOD, "version": "", "extra_votes_allowed": "y", "extra_votes_cap_bp": "20",
            "extra_votes_basis": "capital", "extra_votes_member_max": "5", **rule_values}


def post_charter(client, app, **rule_values):
    with app.app_context():
        version = get_by_code("t1").version
    return client.post("/charter", data={**charter_data(**rule_values), "version": str(version)},
                       headers={"HX-Request": "true"})


def test_the_charter_refuses_a_rule_over_the_cap_at_todays_figures(client, app, fsc_world, fingerprint):
    # one vote per 100 yuan: C000 6 (at most 5), V001 1, V002 1 = 7 > 2 (20 % of 10)
    before = fingerprint()
    resp = post_charter(client, app, extra_votes_capital_step_fen="100")
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    block = html[html.index('id="field-extra_votes_cap_bp"'):]
    block = block[:block.index("</div>")]
    assert "《农民专业合作社法》第二十二条" in block and "按 2026-06-15 的出资额" in block
    assert "附加表决权最多 2 票" in block and "共 7 票" in block
    assert fingerprint() == before
    # the most per member 1: C000, V001, V002 one each = 3, still over
    assert post_charter(client, app, extra_votes_capital_step_fen="100",
                        extra_votes_member_max="1").status_code == 422
    # above 150 yuan, one per 100: C000 5, V002 0 (160 - 150 < 100); at most 2: exactly the cap
    resp = post_charter(client, app, extra_votes_capital_step_fen="100", extra_votes_capital_threshold_fen="150",
                        extra_votes_member_max="2")
    assert resp.status_code == 204 and resp.headers["HX-Redirect"] == "/charter"
    page = client.get("/charter").get_data(as_text=True)
    assert "每增加一票的出资额" in page and "超过起点的部分每满" in page


# -- convening ----------------------------------------------------------------------------

def convene(world, *, kind: str = ItemKind.OTHER, meeting_on: date = MEETING_ON):
    return convene_under_charter(world.coop(), body=Body.ASSEMBLY, title="2026年成员大会", meeting_on=meeting_on,
                                 place="合作社会议室", convened_by="理事会", notice_on=TODAY,
                                 items=[ItemSpec(kind=kind, title="购置收割机")])


def set_rule(world, **values) -> None:
    with world.app.app_context():
        coop = world.coop()
        for name, value in dict(extra_votes_allowed=True, extra_votes_cap_bp=2000, extra_votes_basis="both",
                                extra_votes_capital_step_fen=200 * YUAN, extra_votes_transactions_step_fen=1_000 * YUAN,
                                extra_votes_member_max=1, **values).items():
            setattr(coop, name, value)
        db.session.commit()


def test_convening_computes_and_stores_everyones_extra_votes(fsc_world, client):
    w = fsc_world
    order(w, "V003", date(2025, 5, 1), 1_500)
    set_rule(w)            # C000: 3 by capital, at most 1; V003: 1 by 2025's transactions
    with w.app.app_context():
        meeting = convene(w)
        db.session.commit()
        rows = {r.member_id: r for r in db.session.scalars(select(MeetingExtraVotes))}
        assert meeting.extra_votes == 2
        assert {m: r.extra_votes for m, r in rows.items()} == {w.ids["C000"]: 1, w.ids["V003"]: 1}
        c000 = rows[w.ids["C000"]]
        assert (c000.capital_fen, c000.by_capital, c000.by_transactions) == (65_000, 3, 0)
        assert rows[w.ids["V003"]].transactions_fen == 150_000
        meeting_id = meeting.id
    page = client.get(f"/meetings/{meeting_id}/attendance").get_data(as_text=True)
    assert "表决权 <strong>2</strong> 票（基本 1 + 附加 1：出资 650.00 元得 3 票，超过章程每人最多 1 票的上限，按 1 票计）" in page
    assert "上年交易 1,500.00 元得 1 票" in page and "表决权共 <strong>12</strong> 票" in page


def test_convening_is_refused_when_the_figures_grew_past_the_cap(fsc_world, fingerprint):
    w = fsc_world
    set_rule(w)            # C000 alone: one extra vote
    w.contribute("V002", "villager", 40, on=date(2026, 6, 1))     # V002 200 yuan: one more
    order(w, "V003", date(2025, 5, 1), 1_000)                    # V003: a third
    before = fingerprint()
    with w.app.app_context(), pytest.raises(ValidationFailed) as refused:
        convene(w)
    errors = refused.value.errors
    assert "《农民专业合作社法》第二十二条" in errors["extra_votes"]
    assert "共 3 票，多出 1 票" in errors["extra_votes"] and "请先修改章程" in errors["extra_votes"]
    with w.app.app_context():
        db.session.rollback()
    assert fingerprint() == before


def test_moving_the_meeting_computes_its_extra_votes_again(fsc_world):
    w = fsc_world
    order(w, "V003", date(2026, 5, 1), 1_000)       # counts for a meeting in 2027
    set_rule(w)
    with w.app.app_context():
        meeting = convene(w)
        assert meeting.extra_votes == 1             # C000 alone
        update_under_charter(w.coop(), meeting, title=meeting.title, meeting_on=date(2027, 1, 10),
                             place=meeting.place, convened_by=meeting.convened_by, notice_on=TODAY)
        rows = db.session.scalars(select(MeetingExtraVotes.member_id)).all()
        assert meeting.extra_votes == 2 and set(rows) == {w.ids["C000"], w.ids["V003"]}


def test_a_collective_has_one_person_one_vote_whatever_the_capital(share_world):
    with share_world.app.app_context():
        meeting = convene(share_world)
        assert share_world.coop().legal_regime == "collective" and meeting.extra_votes == 0
        assert db.session.scalars(select(MeetingExtraVotes)).all() == []


# -- a resolution on the computed counts ----------------------------------------------------

def test_more_than_half_of_all_votes_counts_the_computed_extra_votes(fsc_world, set_clock):
    """Ten members, two extra votes (C000 by capital, V003 by transactions):
    twelve votes; six for is not more than half, seven is."""
    w = fsc_world
    order(w, "V003", date(2025, 5, 1), 1_500)
    set_rule(w)
    members = ["C000", "V001", "V002", "V003", "V004", "V005", "V006", "V007", "G001", "G002"]
    with w.app.app_context():
        first, second = convene(w), convene(w, meeting_on=date(2026, 7, 2))
        db.session.commit()
        first_id, second_id = first.id, second.id
    set_clock(date(2026, 7, 2))
    with w.app.app_context():
        for meeting_id, ayes in ((first_id, ["C000", "V001", "V002", "V004", "V005"]),  # 2 + 4 = 6
                                 (second_id, ["C000", "V003", "V001", "V002", "V004"])):  # 2 + 2 + 3 = 7
            meeting = db.session.get(Meeting, meeting_id)
            for no in members:
                record_attendance(meeting, w.ids[no], mode=AttendanceMode.IN_PERSON.value)
            item = meeting.items[0]
            for no in members:
                record_vote(item, w.ids[no], "for" if no in ayes else "against")
            decide_item(item)
            db.session.commit()
        decided = [db.session.get(Meeting, m).items[0] for m in (first_id, second_id)]
        assert [(i.total_votes, i.needed_for, i.votes_for, i.passed) for i in decided] == [
            (12, 7, 6, False), (12, 7, 7, True)]
        assert any("附加表决权 2 票" in reason for reason in decided[1].reasons)


# -- the migration ---------------------------------------------------------------------------

def test_the_migration_keeps_the_extra_votes_typed_before(old_db):
    old_db.at("0023")
    old_db.insert_cooperative(distribution_mode="specialized", legal_regime="specialized")
    for member_id in range(1, 11):     # ten basic votes: two extra votes are within 20 %
        old_db.insert("members", id=member_id, cooperative_id=1, member_no=f"A{member_id}", name="张三",
                      name_initials="zs", kind="villager", household_no="", village_group="", id_tail="",
                      phone="", is_party_member=False, status="active", created_at="2026-01-01 00:00:00",
                      version=1)
    old_db.insert("meetings", id=1, cooperative_id=1, regime="specialized", body="assembly", title="成员大会",
                  meeting_on=date(2026, 3, 1), place="会议室", convened_by="理事会", notice_on=date(2026, 2, 1),
                  status="held", extra_votes=2, minutes="", created_at="2026-02-01 00:00:00", version=1)
    for member_id, extra in ((1, 2), (2, 0)):
        old_db.insert("attendances", cooperative_id=1, meeting_id=1, member_id=member_id, status="present",
                      mode="in_person", proxy_form="", extra_votes=extra, recorded_at="2026-03-01 00:00:00",
                      version=1)
    old_db.upgrade("0024")
    assert old_db.rows("SELECT meeting_id, member_id, extra_votes, capital_fen FROM "
                       "meeting_extra_votes") == [(1, 1, 2, 0)]
    assert old_db.rows("SELECT COUNT(*) FROM attendances") == [(2,)]
    old_db.upgrade()  # the models read below are those of the head
    app = old_db.app
    with app.test_request_context():
        rows = {row.member.id: row for row in sign_in_rows(db.session.get(Meeting, 1))}
        assert (rows[1].votes, rows[1].extra_basis, rows[2].votes) == (3, "", 1)
        meeting = db.session.get(Meeting, 1)
        html = render_template("governance/papers/sign-in.html", pdf=True, paper=Paper.SIGN_IN, meeting=meeting,
                               title="签到表", papers=meeting_papers(meeting, "合作社"))
        assert "本次会议附加表决权共 2 票：张三（A1）2 票。" in html
