"""The demo register of wljs holds exactly what DESIGN.md section 2 states."""
from sqlalchemy import select

from coop import clock
from coop.extensions import db
from coop.shares import register, structure
from coop.shares.models import ShareEntry


def _coop():
    from coop.cooperatives.services import get_by_code

    return get_by_code("wljs")


def test_demo_figures(app, demo):
    from coop.members.models import Member

    with app.app_context():
        coop = _coop()
        s = structure.structure(coop, clock.today())
        by = {c.share_class: c for c in s.classes}
        assert s.total_shares == 1_000_000 and coop.par_value_fen == 100
        assert (by["collective"].shares, by["villager"].shares, by["cadre"].shares) == (
            650_000, 310_000, 40_000)
        assert (by["collective"].ratio_bp, by["villager"].ratio_bp, by["cadre"].ratio_bp) == (
            6500, 3100, 400)
        kinds = {k: v for k, _, v in s.contributions}
        assert kinds == {"cash": 220_000_00, "in_kind": 780_000_00, "land": 0, "labour": 0}
        # collective: machinery in kind only; villagers: 180,000 cash + 130,000 in kind
        rows = db.session.execute(
            select(ShareEntry.share_class, ShareEntry.contribution_kind,
                   db.func.sum(ShareEntry.value_fen))
            .where(ShareEntry.cooperative_id == coop.id, ShareEntry.entry_kind == "subscribe")
            .group_by(ShareEntry.share_class, ShareEntry.contribution_kind)).all()
        assert {(c, k): int(v) for c, k, v in rows} == {
            ("collective", "in_kind"): 650_000_00, ("villager", "cash"): 180_000_00,
            ("villager", "in_kind"): 130_000_00, ("cadre", "cash"): 40_000_00}
        # subscriptions dated 2023
        years = set(db.session.scalars(select(ShareEntry.effective_on).where(
            ShareEntry.cooperative_id == coop.id, ShareEntry.entry_kind == "subscribe")))
        assert {d.year for d in years} == {2023}
        # every one of the 31 party-member households among the holders
        party = set(db.session.scalars(select(Member.household_no).where(
            Member.cooperative_id == coop.id, Member.is_party_member.is_(True))))
        assert len(party) == 31
        holder_households = set(db.session.scalars(select(Member.household_no).where(
            Member.id.in_([h.member_id for h in register.holdings_as_of(coop.id, clock.today())]))))
        assert party <= holder_households
        # only villagers hold villager shares, only cadres cadre shares
        for h in register.holdings_as_of(coop.id, clock.today()):
            kind = db.session.get(Member, h.member_id).kind
            assert {"collective": "collective", "villager": "villager", "cadre": "cadre"}[
                h.share_class] == kind


def test_demo_in_kind_links_the_machines(app, demo):
    with app.app_context():
        coop = _coop()
        try:
            from coop.machinery.models import Machine
        except ImportError:  # pragma: no cover
            return
        machines = db.session.scalars(select(Machine).where(Machine.cooperative_id == coop.id)).all()
        if not machines:
            return
        assert structure.structure(coop, clock.today()).machinery_fen == 780_000_00
        linked = set(db.session.scalars(select(ShareEntry.machine_id).where(
            ShareEntry.cooperative_id == coop.id, ShareEntry.machine_id.is_not(None))))
        assert linked == {m.id for m in machines if m.source in (
            "collective_in_kind", "member_in_kind")}


def test_demo_movements_2024_2025_keep_the_classes_in_band(app, demo):
    with app.app_context():
        coop = _coop()
        moves = db.session.scalars(select(ShareEntry).where(
            ShareEntry.cooperative_id == coop.id, ShareEntry.entry_kind != "subscribe")).all()
        kinds = [e.entry_kind for e in moves]
        assert kinds.count("transfer_out") >= 2 and kinds.count("inherit_out") == 1
        assert {e.effective_on.year for e in moves} <= {2024, 2025}
        heir = next(e.member for e in moves if e.entry_kind == "inherit_in")
        assert heir.joined_on.year == 2025 and heir.status == "active"
        deceased = next(e.member for e in moves if e.entry_kind == "inherit_out")
        assert deceased.status == "deceased"
        assert register.member_total_shares(deceased.id) == 0
        for e in moves:
            s = structure.structure(coop, e.effective_on)
            assert s.warnings == [] and s.total_shares == 1_000_000


def test_demo_dashboard_page(app, demo, client, auth):
    auth.login("shuji", "wljs2023", coop="wljs")
    html = client.get("/shares/").get_data(as_text=True)
    for text in ("65.00%", "31.00%", "4.00%", "1,000,000", "220,000.00", "780,000.00"):
        assert text in html, text
    assert "超出章程允许区间" not in html
