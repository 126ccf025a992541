"""A secretary founding a new farmers' specialized cooperative: the charter
it starts with fits the FSC, the CLI names the legal kind, the founding
shares go in, and a founding batch over the charter is sent to the charter
(not to a meeting that cannot have been held yet); the charter page shows
a change of legal kind once and whole."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from coop.cooperatives.models import Cooperative
from coop.errors import ServiceError
from coop.extensions import db
from tests.conftest_shares import ShareWorld
from tests.test_charter import GOOD

# one farmer and the collective half and half: the joint-stock bands refuse it
HALF_AND_HALF = [("V001", "villager", 500_000), ("C000", "collective", 500_000, "in_kind")]


def _coop(app, code: str) -> Cooperative:
    with app.app_context():
        coop = db.session.scalar(select(Cooperative).where(Cooperative.code == code))
        db.session.expunge(coop)
        return coop


def _world(app, code: str) -> ShareWorld:
    world = ShareWorld(app, code)
    world.member("C000", "红星村村集体", kind="collective")
    world.member("V001", "韩占奎")
    return world


def test_a_new_specialized_cooperative_starts_with_a_charter_that_fits_the_fsc(app, create_coop):
    coop = _coop(app, create_coop("fsc1", legal_regime="specialized"))
    assert (coop.legal_regime, coop.distribution_mode) == ("specialized", "specialized")
    # no class band that makes the collective control, no single-holding cap
    for share_class in ("collective", "villager", "cadre"):
        _, low, high = coop.class_band(share_class)
        assert (low, high) == (0, 10000)
    assert coop.member_cap_bp == 10000
    # the reserve only (the FSC knows no welfare or risk fund), the plan at the office 15 days
    assert (coop.reserve_rate_bp, coop.welfare_rate_bp, coop.risk_rate_bp) == (1000, 0, 0)
    assert coop.notice_days == 15 and coop.patronage_rate_bp == 6000
    # the collective's default is as it was
    rceo = _coop(app, create_coop("rceo1"))
    assert rceo.legal_regime == "collective" and rceo.class_band("collective") == (6500, 6000, 7000)
    assert rceo.member_cap_bp == 2000


def test_the_distribution_mode_alone_also_gives_the_fsc_charter(app, create_coop):
    coop = _coop(app, create_coop("fsc2", distribution_mode="specialized"))
    assert coop.legal_regime == "specialized" and coop.member_cap_bp == 10000


def test_create_coop_takes_the_legal_kind(app, runner):
    help_text = runner.invoke(args=["create-coop", "--help"]).output
    assert "--legal-kind" in help_text and "农民专业合作社" in help_text
    result = runner.invoke(args=["create-coop", "xx-nj", "--name", "新星农机专业合作社",
                                 "--credit-code", "93150221MA13HX8N7G", "--village", "新星村",
                                 "--town", "萨拉齐镇", "--legal-kind", "specialized"])
    assert result.exit_code == 0, result.output
    assert "法律类型：农民专业合作社" in result.output
    coop = _coop(app, "xx-nj")
    assert coop.legal_regime == "specialized" and coop.member_cap_bp == 10000
    wrong = runner.invoke(args=["create-coop", "xx-2", "--name", "某社", "--credit-code",
                                "93150221MA13HX8N7G", "--village", "村", "--town", "镇",
                                "--legal-kind", "shares"])
    assert wrong.exit_code != 0 and _coop_count(app) == 1


def _coop_count(app) -> int:
    with app.app_context():
        return len(db.session.scalars(select(Cooperative.id)).all())


def test_the_founding_shares_of_a_new_specialized_cooperative_go_in(app, create_coop):
    world = _world(app, create_coop("fsc3", legal_regime="specialized"))
    world.found(HALF_AND_HALF)
    assert world.totals() == {"collective": 500_000, "villager": 500_000, "cadre": 0}


def test_a_founding_batch_over_the_charter_is_sent_to_the_charter_not_to_a_meeting(
        app, create_coop, fingerprint):
    world = _world(app, create_coop("rceo2"))
    before = fingerprint()
    with pytest.raises(ServiceError) as exc:
        world.found(HALF_AND_HALF)
    message = exc.value.message
    assert "超过章程规定的单一成员持股上限 20.00%" in message
    assert "在“章程”页面改正后再登记" in message
    assert "先在“会议”中召开大会表决" not in message
    assert fingerprint() == before


def test_saving_a_new_legal_kind_shows_the_page_whole_and_the_message_once(app, client, auth,
                                                                           create_coop, create_user):
    create_user(create_coop("t1"), "admin")
    auth.login("admin")
    fsc = {**GOOD, "legal_regime": "specialized", "distribution_mode": "specialized",
           "notice_days": "15", "version": "1"}
    resp = client.post("/charter", data=fsc, headers={"HX-Request": "true"})
    assert resp.status_code == 204 and resp.headers["HX-Redirect"] == "/charter"
    html = client.get("/charter").get_data(as_text=True)
    heading = html[html.index('id="coop-regime"'):]
    assert "农民专业合作社（《农民专业合作社法》）" in heading[:heading.index("</p>")]
    assert html.count("章程已保存") == 1
    # the secretary's title and the charter's hints follow the law just saved
    assert "理事长（管理员）" in html and "书记（管理员）" not in html
    assert "第二十一条" in html and "《村民委员会组织法》第三十条" not in html
    assert client.get("/charter").get_data(as_text=True).count("章程已保存") == 0
