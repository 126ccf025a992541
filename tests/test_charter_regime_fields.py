"""The charter page shows the specialized cooperative's own fields (按交易量
返还比例, 公积金量化方式, the 附加表决权 block) only to a farmers' specialized
cooperative; a collective's page leaves them out, and its saves keep what the
charter has for them."""
from __future__ import annotations

from sqlalchemy import select, update

from coop.cooperatives.forms import SPECIALIZED_FIELDS
from coop.cooperatives.models import Cooperative
from coop.extensions import db
from tests.test_charter import FSC_GOOD, GOOD, admin  # noqa: F401  (fixture)

HX = {"HX-Request": "true"}
# what a collective's page posts: every field it shows
COLLECTIVE_PAGE = {k: v for k, v in GOOD.items() if k not in SPECIALIZED_FIELDS}
SPECIALIZED_ONLY = (*(f'id="field-{name}"' for name in SPECIALIZED_FIELDS), "附加表决权（农民专业合作社）")
BOTH = ('id="field-reserve_rate_bp"', 'id="field-welfare_rate_bp"', 'id="field-risk_rate_bp"',
        'id="field-guaranteed_fen_per_mu"', 'id="field-member_cap_bp"', 'id="field-villager_target_bp"',
        'id="field-notice_days"', 'id="field-majority_distribution"', 'id="field-disclosure_period"')


def _set(app, **values) -> None:
    with app.app_context():
        db.session.execute(update(Cooperative).where(Cooperative.code == "t1").values(**values))
        db.session.commit()


def _saved(app) -> dict:
    with app.app_context():
        coop = db.session.scalar(select(Cooperative).where(Cooperative.code == "t1"))
        return {name: getattr(coop, name) for name in SPECIALIZED_FIELDS} | {"version": coop.version}


def _page(admin) -> str:
    resp = admin.get("/charter")
    assert resp.status_code == 200
    return resp.get_data(as_text=True)


def test_a_collectives_page_leaves_the_specialized_fields_out(app, admin):
    _set(app, legal_regime="collective")
    page = _page(admin)
    assert "农村集体经济组织（《农村集体经济组织法》）" in page.split('id="coop-regime"')[1].split("</p>")[0]
    for marker in SPECIALIZED_ONLY:
        assert marker not in page, marker
    for marker in BOTH:
        assert marker in page, marker


def test_a_specialized_cooperatives_page_shows_them(app, admin):
    _set(app, legal_regime="specialized", distribution_mode="specialized")
    page = _page(admin)
    for marker in (*SPECIALIZED_ONLY, *BOTH):
        assert marker in page, marker


def test_a_collectives_save_keeps_what_the_charter_has_for_them(app, admin):
    _set(app, legal_regime="collective", patronage_rate_bp=6500, reserve_basis="equal")
    before = _saved(app)
    resp = admin.post("/charter/validate", data={**COLLECTIVE_PAGE, "version": before["version"]},
                      headers=HX)
    assert resp.status_code == 200 and 'class="error"' not in resp.get_data(as_text=True)
    resp = admin.post("/charter", data={**COLLECTIVE_PAGE, "reserve_rate_bp": "12",
                                        "version": before["version"]})
    assert resp.status_code == 302
    after = _saved(app)
    assert after.pop("version") == before.pop("version") + 1
    assert after == before and (after["patronage_rate_bp"], after["reserve_basis"]) == (6500, "equal")


def test_a_specialized_save_still_sets_them(app, admin):
    _set(app, legal_regime="specialized", distribution_mode="specialized")
    version = _saved(app)["version"]
    resp = admin.post("/charter", data={**FSC_GOOD, "patronage_rate_bp": "70", "reserve_basis": "capital",
                                        "version": version})
    assert resp.status_code == 302
    saved = _saved(app)
    assert (saved["patronage_rate_bp"], saved["reserve_basis"]) == (7000, "capital")


def test_choosing_the_specialized_regime_on_a_collectives_page_brings_them(app, admin):
    """The regime chosen on the form decides, saved or not yet: its check
    (and a save without JavaScript refused for another reason) shows the
    fields, with what the charter has in them."""
    _set(app, legal_regime="collective", patronage_rate_bp=6500)
    resp = admin.post("/charter/validate", headers=HX, data={
        **COLLECTIVE_PAGE, "legal_regime": "specialized", "distribution_mode": "specialized",
        "version": _saved(app)["version"]})
    page = resp.get_data(as_text=True)
    for marker in SPECIALIZED_ONLY:
        assert marker in page, marker
    start = page.index('id="field-patronage_rate_bp"')
    assert 'value="65.00"' in page[start:page.index("</div>", start)]


def test_a_refused_value_among_them_is_never_out_of_sight(app, admin, fingerprint):
    """A collective's charter that somehow holds extra votes (RCEO art 27:
    one person one vote) is refused on save, and the page shows the field
    with the law's reason instead of a message about a field it hides."""
    _set(app, legal_regime="collective", extra_votes_allowed=True, extra_votes_cap_bp=1000,
         extra_votes_basis="capital", extra_votes_capital_step_fen=100000, extra_votes_member_max=2)
    assert 'id="field-extra_votes_allowed"' not in _page(admin)
    before = fingerprint()
    resp = admin.post("/charter", data={**COLLECTIVE_PAGE, "version": _saved(app)["version"]}, headers=HX)
    assert resp.status_code == 422
    page = resp.get_data(as_text=True)
    start = page.index('id="field-extra_votes_allowed"')
    assert "一人一票" in page[start:page.index("</div>", start)]
    assert fingerprint() == before
