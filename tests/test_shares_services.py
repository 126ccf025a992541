"""The share register services: every rule, every refusal (nothing written), reversal."""
from datetime import date

import pytest
from sqlalchemy import select

from coop import clock
from coop.errors import ServiceError, ValidationFailed
from coop.extensions import db
from coop.shares import land, movements, register, structure
from coop.shares.models import AppendOnlyError, ShareEntry
from tests.conftest_shares import BASE_DAY

D = date(2024, 6, 1)


def refused(world, fingerprint, fn, *args, **kwargs) -> ServiceError:
    before = fingerprint()
    with pytest.raises(ServiceError) as exc:
        world.run(fn, *args, **kwargs)
    assert fingerprint() == before
    return exc.value


def field_error(exc: ServiceError, field: str) -> str:
    assert isinstance(exc, ValidationFailed), exc.message
    return exc.errors[field]


# -- contributions ----------------------------------------------------------------


def test_base_world_holds_65_31_4(share_world):
    assert share_world.totals() == {"collective": 650, "villager": 310, "cadre": 40}
    assert share_world.holdings("V001") == {"collective": 0, "villager": 150, "cadre": 0}


def test_land_contribution_records_mu_and_price(share_world, app):
    entry_id = share_world.contribute("V003", "villager", 0, on=D, kind="land",
                                      land_mu=250, price_per_mu_fen=20_00)
    with app.app_context():
        e = db.session.get(ShareEntry, entry_id)
        assert (e.shares, e.value_fen, e.land_mu, e.unit_price_fen) == (50, 50_00, 250, 20_00)
        assert (e.entry_kind, e.contribution_kind, e.movement != "") == ("subscribe", "land", True)
        assert land.land_mu_by_member(e.cooperative_id, D) == {e.member_id: 250}
        assert land.land_mu_by_member(e.cooperative_id, date(2024, 5, 31)) == {}


def test_labour_contribution(share_world):
    share_world.contribute("V003", "villager", 0, on=D, kind="labour", labour_days=4,
                           price_per_day_fen=5_00)
    assert share_world.holdings("V003")["villager"] == 20


def test_in_kind_needs_a_name(share_world, fingerprint):
    exc = refused(share_world, fingerprint, movements.record_contribution,
                  member_id=share_world.ids["V003"], share_class="villager",
                  contribution_kind="in_kind", effective_on=D, amount_fen=10_00)
    assert field_error(exc, "asset_name") == "请填写实物名称，或选择所出资的农机具"


def test_remainder_refused_nothing_written(share_world, fingerprint):
    exc = refused(share_world, fingerprint, movements.record_contribution,
                  member_id=share_world.ids["V003"], share_class="villager",
                  contribution_kind="cash", effective_on=D, amount_fen=10_50)
    assert "最接近的有效值是 10.00 元（10 股）或 11.00 元（11 股）" in field_error(exc, "amount_fen")


@pytest.mark.parametrize("no,share_class,message", [
    ("V003", "collective", "集体股只能由村集体持有，该成员是村民"),
    ("V003", "cadre", "干部股只能由干部持有，该成员是村民"),
    ("C000", "villager", "村集体只能持有集体股，不能持有村民股"),
])
def test_class_holder_kinds(share_world, fingerprint, no, share_class, message):
    exc = refused(share_world, fingerprint, movements.record_contribution,
                  member_id=share_world.ids[no], share_class=share_class,
                  contribution_kind="cash", effective_on=D, amount_fen=10_00)
    assert field_error(exc, "share_class") == message


def test_band_refused_without_resolution_and_allowed_with_one(share_world, fingerprint, app):
    values = dict(member_id=share_world.ids["V003"], share_class="villager",
                  contribution_kind="cash", effective_on=D, amount_fen=80_00)
    exc = refused(share_world, fingerprint, movements.record_contribution, **values)
    assert exc.field == "resolution_no"
    assert exc.message.startswith(
        "登记后村民股占比将为 36.11%（390 / 1,080 股），超出章程允许区间 26.00%–36.00%（登记前 31.00%）")
    assert "请在“决议文号”中选择该决议" in exc.message
    share_world.resolution("2023-007")
    entry_id = share_world.run(movements.record_contribution, resolution_no="2023-007", **values)
    with app.app_context():
        assert db.session.get(ShareEntry, entry_id).resolution_no == "2023-007"


def _band_values(share_world, **extra):
    return dict(member_id=share_world.ids["V003"], share_class="villager",
                contribution_kind="cash", effective_on=D, amount_fen=80_00, **extra)


def test_a_number_that_is_no_recorded_resolution_is_refused_beside_the_field(
        share_world, fingerprint):
    share_world.resolution("2023-007")
    exc = refused(share_world, fingerprint, movements.record_contribution,
                  **_band_values(share_world, resolution_no="村民代表大会决议〔2024〕3号"))
    assert field_error(exc, "resolution_no") == (
        "“村民代表大会决议〔2024〕3号”不是本社已通过决议的编号；股权变动只能依据成员（代表）大会"
        "已通过的决议（没有时请先在“会议”中召开大会表决）")
    # a movement the charter allows may cite none, but not an unknown one
    exc = refused(share_world, fingerprint, movements.record_contribution,
                  member_id=share_world.ids["V003"], share_class="villager",
                  contribution_kind="cash", effective_on=D, amount_fen=10_00, resolution_no="X1")
    assert "“X1”不是本社已通过决议的编号" in field_error(exc, "resolution_no")


def test_another_cooperatives_resolution_is_refused(share_world, fingerprint, app, create_coop):
    from tests.conftest_shares import ShareWorld

    other = ShareWorld(app, create_coop("t2"))
    for i in range(1, 4):
        other.member(f"B00{i}", household_no=f"B{i}")
    other.resolution("2023-001")
    exc = refused(share_world, fingerprint, movements.record_contribution,
                  **_band_values(share_world, resolution_no="2023-001"))
    assert "“2023-001”不是本社已通过决议的编号" in field_error(exc, "resolution_no")
    share_world.resolution("2023-001")  # the same number, this cooperative's own: accepted
    share_world.run(movements.record_contribution, **_band_values(share_world, resolution_no="2023-001"))


def test_the_number_proposed_for_a_failed_item_is_refused(share_world, fingerprint, app):
    from coop import clock
    from coop.governance import attendance, decisions, meetings

    on = date(2023, 12, 20)
    with app.app_context(), clock.replaying(on):
        coop_id = share_world.coop().id
        meeting = meetings.convene_meeting(
            coop_id, regime="collective", body="assembly", title="成员大会", meeting_on=on,
            place="村委会", convened_by="理事会", notice_on=date(2023, 12, 1),
            items=[meetings.ItemSpec(kind="other", title="超出区间入股")])
        item = meeting.items[0]
        members = decisions.entitled_voters(meeting).voters
        for member in members:
            attendance.record_attendance(meeting, member.id, mode="in_person")
        decisions.record_tally(item, votes_for=1, votes_against=len(members) - 1, votes_abstain=0)
        decision = decisions.decide_item(item, resolution_no="2023-009")
        assert decision.item.outcome == "failed" and decision.item.resolution_no is None
        db.session.commit()
    exc = refused(share_world, fingerprint, movements.record_contribution,
                  **_band_values(share_world, resolution_no="2023-009"))
    assert "“2023-009”不是本社已通过决议的编号" in field_error(exc, "resolution_no")


def test_a_distribution_resolution_is_not_cited_by_a_share_movement(share_world, fingerprint, app):
    from coop.governance.models import AgendaItem
    from coop.shares.citing import citable_resolutions

    share_world.resolution("2023-001")
    share_world.resolution("2023-002")
    with app.app_context():
        item = db.session.scalar(select(AgendaItem).where(AgendaItem.resolution_no == "2023-002"))
        item.kind = "distribution"  # as a passed distribution plan's item is
        db.session.commit()
        assert [r.resolution_no for r in citable_resolutions(share_world.coop().id)] == ["2023-001"]
    exc = refused(share_world, fingerprint, movements.record_contribution,
                  **_band_values(share_world, resolution_no="2023-002"))
    assert field_error(exc, "resolution_no") == (
        "决议 2023-002 是收益分配方案的决议，只批准该年度的收益分配，不能作为股权变动的依据")


def test_cap_refused_for_villager(share_world, fingerprint):
    # V001 holds 150 of 1000; 60 more -> 210 / 1060 = 19.81 % (allowed); 80 more -> 21.7 %
    exc = refused(share_world, fingerprint, movements.record_contribution,
                  member_id=share_world.ids["V001"], share_class="villager",
                  contribution_kind="cash", effective_on=D, amount_fen=80_00)
    assert "村民1持股将占全部股份的 21.30%（230 / 1,080 股），超过章程规定的单一成员持股上限 20.00%" in exc.message
    share_world.contribute("V001", "villager", 60, on=D)


def test_collective_is_not_capped(share_world):
    share_world.contribute("C000", "collective", 50, on=D, kind="in_kind")
    assert share_world.totals()["collective"] == 700  # 66.7 % of all, over 20 %


def test_redemption_that_pushes_another_member_over_cap_is_refused(share_world, fingerprint):
    # V002 holds 160 of 1000 (16 %); the collective redeeming 250 gives 160/750 = 21.3 %
    exc = refused(share_world, fingerprint, movements.record_redemption,
                  member_id=share_world.ids["C000"], share_class="collective", shares=250,
                  effective_on=D, resolution_no="")
    assert "村民2持股将占全部股份的 21.33%（160 / 750 股）" in exc.message


def test_closed_year_refused(share_world, fingerprint, app, monkeypatch):
    from coop import clock
    from coop.cooperatives.models import YearClose

    monkeypatch.setattr(clock, "today", lambda: date(2025, 6, 1))
    with app.app_context():
        coop = share_world.coop()
        columns = {c.name: 0 for c in YearClose.__table__.columns
                   if not c.nullable and c.name not in ("id", "cooperative_id", "year",
                                                        "closed_at") and c.default is None}
        db.session.add(YearClose(cooperative_id=coop.id, year=2024, **columns))
        db.session.commit()
    exc = refused(share_world, fingerprint, movements.record_contribution,
                  member_id=share_world.ids["V003"], share_class="villager",
                  contribution_kind="cash", effective_on=D, amount_fen=10_00)
    assert field_error(exc, "effective_on") == (
        "2024 年度已结账，不能登记 2024-12-31 及以前的日期；请按本年度（2025）的日期登记")


def test_future_date_refused(share_world, fingerprint):
    exc = refused(share_world, fingerprint, movements.record_contribution,
                  member_id=share_world.ids["V003"], share_class="villager",
                  contribution_kind="cash", effective_on=date(2999, 1, 1), amount_fen=10_00)
    assert field_error(exc, "effective_on") == f"登记日期不能晚于今天（{clock.today().isoformat()}）"


def test_withdrawn_member_cannot_subscribe(share_world, fingerprint):
    share_world.member("V009", "退社人", status="withdrawn")
    exc = refused(share_world, fingerprint, movements.record_contribution,
                  member_id=share_world.ids["V009"], share_class="villager",
                  contribution_kind="cash", effective_on=D, amount_fen=10_00)
    assert field_error(exc, "member_id") == "退社人（V009）状态为已退社，不能入股"


def test_member_of_another_cooperative_is_refused(share_world, fingerprint, create_coop, app):
    from coop.cooperatives.services import get_by_code
    from coop.members.models import Member

    other = create_coop("t2")
    with app.app_context():
        m = Member(cooperative_id=get_by_code(other).id, member_no="X1", name="外社人",
                   kind="villager")
        db.session.add(m)
        db.session.commit()
        outsider = m.id
    exc = refused(share_world, fingerprint, movements.record_transfer,
                  from_member_id=share_world.ids["V001"], to_member_id=outsider,
                  share_class="villager", shares=10, effective_on=D)
    assert field_error(exc, "to_member_id") == "本合作社没有这位受让成员；股权只能在本合作社成员之间变动"


# -- transfers, redemption, holdings ---------------------------------------------------


def test_transfer_moves_shares_and_keeps_classes(share_world, app):
    ids = share_world.run(movements.record_transfer, from_member_id=share_world.ids["V001"],
                          to_member_id=share_world.ids["V003"], share_class="villager",
                          shares=40, effective_on=D)
    assert share_world.holdings("V001")["villager"] == 110
    assert share_world.holdings("V003")["villager"] == 40
    assert share_world.holdings("V003", date(2024, 5, 31))["villager"] == 0
    assert share_world.totals() == {"collective": 650, "villager": 310, "cadre": 40}
    with app.app_context():
        out, into = (db.session.get(ShareEntry, i) for i in ids)
        assert (out.entry_kind, out.shares, into.entry_kind, into.shares) == (
            "transfer_out", -40, "transfer_in", 40)
        assert out.counterparty_id == into.member_id and out.movement == into.movement


def test_transfer_of_cadre_shares_to_villager_refused(share_world, fingerprint):
    exc = refused(share_world, fingerprint, movements.record_transfer,
                  from_member_id=share_world.ids["G001"], to_member_id=share_world.ids["V003"],
                  share_class="cadre", shares=10, effective_on=D)
    assert field_error(exc, "to_member_id") == "干部股只能由干部持有，该成员是村民"


def test_no_holding_below_zero(share_world, fingerprint):
    exc = refused(share_world, fingerprint, movements.record_transfer,
                  from_member_id=share_world.ids["V001"], to_member_id=share_world.ids["V003"],
                  share_class="villager", shares=151, effective_on=D)
    assert exc.message == "村民1在 2024-06-01 持有村民股 150 股，不足 151 股；持股不能小于零"


def test_backdated_entry_may_not_make_a_later_holding_negative(share_world, fingerprint):
    share_world.run(movements.record_transfer, from_member_id=share_world.ids["V001"],
                    to_member_id=share_world.ids["V003"], share_class="villager", shares=100,
                    effective_on=D)
    # on 2024-03-01 V001 still holds 150, but after 2024-06-01 only 50
    exc = refused(share_world, fingerprint, movements.record_redemption,
                  member_id=share_world.ids["V001"], share_class="villager", shares=60,
                  effective_on=date(2024, 3, 1))
    assert "其村民股在 2024-06-01 将变为 -10 股；持股不能小于零" in exc.message


def test_redemption_pays_back_par_value(share_world, app):
    entry_id = share_world.run(movements.record_redemption, member_id=share_world.ids["V002"],
                               share_class="villager", shares=10, effective_on=D)
    with app.app_context():
        e = db.session.get(ShareEntry, entry_id)
        assert (e.entry_kind, e.shares, e.value_fen) == ("redeem", -10, -10_00)
    assert share_world.holdings("V002")["villager"] == 150


def test_holdings_as_of_and_member_total(share_world, app):
    share_world.run(movements.record_transfer, from_member_id=share_world.ids["V001"],
                    to_member_id=share_world.ids["V003"], share_class="villager", shares=150,
                    effective_on=D)
    with app.app_context():
        coop_id = share_world.coop().id
        before = {(h.member_id, h.share_class): h.shares
                  for h in register.holdings_as_of(coop_id, date(2024, 5, 31))}
        after = {(h.member_id, h.share_class): h.shares
                 for h in register.holdings_as_of(coop_id, D)}
        assert before[(share_world.ids["V001"], "villager")] == 150
        assert (share_world.ids["V001"], "villager") not in after  # zero holdings left out
        assert after[(share_world.ids["V003"], "villager")] == 150
        assert register.member_total_shares(share_world.ids["V001"]) == 0
        assert register.member_total_shares(share_world.ids["C000"]) == 650
        assert register.holdings_as_of(coop_id, date(2023, 12, 31)) == []


def test_share_days(share_world, app):
    share_world.run(movements.record_transfer, from_member_id=share_world.ids["V001"],
                    to_member_id=share_world.ids["V003"], share_class="villager", shares=50,
                    effective_on=D)
    with app.app_context():
        days = register.share_days(share_world.coop().id, 2024)
        # bought 10 January 2024: 357 days of 2024 (leap year), both ends counted
        assert days[share_world.ids["C000"]] == 650 * 357
        # 1 June .. 31 December = 214 days
        assert days[share_world.ids["V003"]] == 50 * 214
        assert days[share_world.ids["V001"]] == 150 * 357 - 50 * 214
        assert register.share_days(share_world.coop().id, 2025)[share_world.ids["V003"]] == 50 * 365


# -- inheritance ----------------------------------------------------------------------


def _deceased(world, app, no):
    from coop.members.models import Member

    with app.app_context():
        m = db.session.get(Member, world.ids[no])
        m.status = "deceased"
        m.status_changed_on = date(2024, 5, 1)
        db.session.commit()


def test_inheritance_requires_deceased_status(share_world, fingerprint):
    exc = refused(share_world, fingerprint, movements.record_inheritance,
                  deceased_id=share_world.ids["V001"], heir_id=share_world.ids["V003"],
                  effective_on=D)
    assert field_error(exc, "deceased_id") == (
        "村民1（V001）的状态是在册；请先在成员页登记其去世，再办理继承")


def test_inheritance_to_existing_member(share_world, app):
    share_world.contribute("V001", "villager", 0, on=date(2024, 2, 1), kind="land",
                           land_mu=100, price_per_mu_fen=10_00)
    _deceased(share_world, app, "V001")
    share_world.run(movements.record_inheritance, deceased_id=share_world.ids["V001"],
                    heir_id=share_world.ids["V003"], effective_on=D)
    assert share_world.holdings("V001")["villager"] == 0
    assert share_world.holdings("V003")["villager"] == 160
    with app.app_context():
        assert land.land_mu_by_member(share_world.coop().id, D) == {share_world.ids["V003"]: 100}


def test_inheritance_creates_a_new_heir(share_world, app):
    _deceased(share_world, app, "V002")
    share_world.run(movements.record_inheritance, deceased_id=share_world.ids["V002"],
                    new_heir={"member_no": "V100", "name": "新继承人", "kind": "villager",
                              "id_number": "150203199001011232"},
                    effective_on=D)
    from coop.members.models import Member

    with app.app_context():
        heir = db.session.scalar(select(Member).where(Member.member_no == "V100"))
        assert heir is not None and heir.name == "新继承人" and heir.status == "active"
        assert heir.household_no == "H2"  # the deceased's household unless told otherwise
        assert register.member_holdings(heir.id)["villager"] == 160
        entries = db.session.scalars(select(ShareEntry).where(
            ShareEntry.entry_kind.in_(["inherit_in", "inherit_out"]))).all()
        assert {(e.member_id, e.shares, e.counterparty_id) for e in entries} == {
            (heir.id, 160, share_world.ids["V002"]), (share_world.ids["V002"], -160, heir.id)}


def test_inherited_cadre_shares_become_villager_shares(share_world, app):
    _deceased(share_world, app, "G001")
    share_world.run(movements.record_inheritance, deceased_id=share_world.ids["G001"],
                    heir_id=share_world.ids["V004"], effective_on=D,
                    resolution_no=share_world.resolution("2023-001"))
    assert share_world.holdings("V004") == {"collective": 0, "villager": 40, "cadre": 0}
    assert share_world.totals()["cadre"] == 0


def test_partial_inheritance_for_several_heirs(share_world, app, fingerprint):
    _deceased(share_world, app, "V002")
    exc = refused(share_world, fingerprint, movements.record_inheritance,
                  deceased_id=share_world.ids["V002"], heir_id=share_world.ids["V003"],
                  effective_on=D, shares_by_class={"villager": 161})
    assert field_error(exc, "villager_shares") == "村民2在 2024-06-01 只持有村民股 160 股"
    share_world.run(movements.record_inheritance, deceased_id=share_world.ids["V002"],
                    heir_id=share_world.ids["V003"], effective_on=D,
                    shares_by_class={"villager": 60})
    share_world.run(movements.record_inheritance, deceased_id=share_world.ids["V002"],
                    heir_id=share_world.ids["V004"], effective_on=D)
    assert share_world.holdings("V003")["villager"] == 60
    assert share_world.holdings("V004")["villager"] == 100


# -- reversal and the append-only register ------------------------------------------------


def test_reversal_restores_holdings(share_world, app):
    entry_id = share_world.contribute("V003", "villager", 30, on=D)
    share_world.run(movements.reverse_entry, entry_id, effective_on=D, note="录入错误")
    assert share_world.holdings("V003", D)["villager"] == 0
    assert share_world.totals() == {"collective": 650, "villager": 310, "cadre": 40}
    from coop.audit.models import AuditEntry

    with app.app_context():
        rev = db.session.scalar(select(ShareEntry).where(ShareEntry.reverses_id == entry_id))
        assert (rev.shares, rev.value_fen, rev.note) == (-30, -30_00, "录入错误")
        logged = db.session.scalars(select(AuditEntry).where(
            AuditEntry.record_type == "share_entries", AuditEntry.action == "reverse")).all()
        assert [(a.after["reverses_id"], a.after["shares"]) for a in logged] == [(entry_id, -30)]


def test_reversal_of_a_transfer_reverses_both_sides(share_world):
    ids = share_world.run(movements.record_transfer, from_member_id=share_world.ids["V001"],
                          to_member_id=share_world.ids["V003"], share_class="villager",
                          shares=40, effective_on=D)
    share_world.run(movements.reverse_entry, ids[1], effective_on=date(2024, 7, 1))
    assert share_world.holdings("V001")["villager"] == 150
    assert share_world.holdings("V003")["villager"] == 0
    # between the transfer and its reversal the transfer stood
    assert share_world.holdings("V003", date(2024, 6, 30))["villager"] == 40


def test_reversal_refusals(share_world, fingerprint):
    entry_id = share_world.contribute("V003", "villager", 30, on=D)
    exc = refused(share_world, fingerprint, movements.reverse_entry, entry_id,
                  effective_on=date(2024, 5, 1))
    assert field_error(exc, "effective_on") == "冲销日期不能早于原登记日期 2024-06-01"
    (rev_id,) = share_world.run(movements.reverse_entry, entry_id, effective_on=D)
    exc = refused(share_world, fingerprint, movements.reverse_entry, entry_id, effective_on=D)
    assert exc.message == f"第 {entry_id} 号登记已经冲销过，不能重复冲销"
    exc = refused(share_world, fingerprint, movements.reverse_entry, rev_id, effective_on=D)
    assert exc.message == "这是一条冲销记录，不能再冲销；如需恢复，请重新登记"


def test_reversal_that_would_leave_a_holding_negative_is_refused(share_world, fingerprint):
    entry_id = share_world.contribute("V003", "villager", 30, on=D)
    share_world.run(movements.record_transfer, from_member_id=share_world.ids["V003"],
                    to_member_id=share_world.ids["V004"], share_class="villager", shares=30,
                    effective_on=date(2024, 7, 1))
    exc = refused(share_world, fingerprint, movements.reverse_entry, entry_id,
                  effective_on=date(2024, 8, 1))
    assert "持有村民股 0 股，不足 30 股" in exc.message


def test_entries_are_never_edited_or_deleted(share_world, app):
    with app.app_context():
        entry = db.session.scalars(select(ShareEntry)).first()
        entry.shares = 1
        with pytest.raises(AppendOnlyError):
            db.session.flush()
        db.session.rollback()
        entry = db.session.scalars(select(ShareEntry)).first()
        db.session.delete(entry)
        with pytest.raises(AppendOnlyError):
            db.session.flush()
        db.session.rollback()


def test_structure(share_world, app):
    share_world.contribute("V003", "villager", 0, on=D, kind="land", land_mu=250,
                           price_per_mu_fen=20_00)
    with app.app_context():
        s = structure.structure(share_world.coop(), D)
        by = {c.share_class: c for c in s.classes}
        assert (s.total_shares, s.holders, s.land_mu) == (1050, 5, 250)
        assert (by["villager"].shares, by["villager"].holders, by["villager"].ratio_bp) == (
            360, 3, 3429)
        assert dict((k, v) for k, _, v in s.contributions) == {
            "cash": 350_00, "land": 50_00, "in_kind": 650_00, "labour": 0}
        assert s.warnings == []
        early = structure.structure(share_world.coop(), BASE_DAY)
        assert early.total_shares == 1000


# -- a page of the holdings table ---------------------------------------------------------


def test_a_page_of_holders_carries_the_count_of_all_of_them_even_past_the_end(share_world, app):
    with app.app_context():
        coop_id = share_world.coop().id
        query = register.holdings_table_query(coop_id, D)
        everyone = db.session.execute(query).all()
        assert len(everyone) >= 3
        pages = [register.counted_page(query, n, 2) for n in range(1, len(everyone) // 2 + 3)]
        assert {p.total for p in pages} == {len(everyone)}
        read = [row for p in pages for row in p.items]
        assert [tuple(r) for r in read] == [tuple(r) for r in everyone]  # same rows, same order
        assert all(len(row) == 5 for row in read)  # Member and the four sums, no count
        assert pages[-1].items == [] and pages[-1].page > pages[-1].pages
