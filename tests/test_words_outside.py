"""The charter's word for a village client from outside: 外村 (the default,
most provinces) or 外嘎查村 (Inner Mongolia), shown wherever a client's kind
is: the client list and its filter, the client form, the client search, the
order form, the receivables page and export, the report by client group."""
from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from coop.cooperatives.models import Cooperative
from coop.extensions import db
from coop.machinery.constants import ClientKind, client_kind_label

OTHER = {"外村": "外嘎查村", "外嘎查村": "外村"}


def test_the_label_is_the_charters_word_for_villages_only():
    assert client_kind_label("village", "外嘎查村") == "外嘎查村"
    assert client_kind_label("village", "外村") == "外村"
    assert client_kind_label("company", "外嘎查村") == "企业"
    assert client_kind_label("member", "外村") == ClientKind.MEMBER.label


def _use_word(app, coop_id: int, word: str) -> None:
    with app.app_context():
        db.session.get(Cooperative, coop_id).outside_village_word = word
        db.session.commit()


def _cells(data: bytes) -> list[str]:
    sheet = load_workbook(BytesIO(data)).active
    return [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]


def test_a_new_cooperative_says_wai_cun(app, staff):
    with app.app_context():
        assert db.session.scalar(select(Cooperative.outside_village_word)
                                 .where(Cooperative.code == staff[0])) == "外村"


@pytest.mark.parametrize("word", ["外村", "外嘎查村"])
def test_every_page_uses_the_charters_word(app, client, auth, mach, word):
    _use_word(app, mach.coop_id, word)
    mach.ledger.order(date(2026, 1, 3), f"c:{mach.village}", "sowing", 1000)
    auth.login("admin")
    pages = {
        "clients": client.get("/machinery/clients").get_data(as_text=True),
        "client": client.get(f"/machinery/clients/{mach.village}").get_data(as_text=True),
        "search": client.get("/machinery/clients/search?client_text=胡同").get_data(as_text=True),
        "orders": client.get("/machinery/orders").get_data(as_text=True),
        "receivables": client.get("/machinery/receivables?as_of=2026-03-31").get_data(as_text=True),
        "reports": client.get("/machinery/reports?year=2026").get_data(as_text=True),
        "prices": client.get("/machinery/prices").get_data(as_text=True),
    }
    for name, html in pages.items():
        assert word in html, name
        assert OTHER[word] not in html, name
    assert f'<option value="village">{word}</option>' in pages["clients"]  # the filter
    assert f'value="village" selected>{word}' in pages["client"] or \
        f'<option selected value="village">{word}</option>' in pages["client"]  # the form
    for name in ("receivables", "groups"):
        cells = _cells(client.get(f"/machinery/reports/2026/{name}.xlsx?as_of=2026-03-31").data)
        assert word in cells and OTHER[word] not in cells, name


def test_an_unknown_clients_message_uses_the_word(app, client, auth, mach):
    _use_word(app, mach.coop_id, "外嘎查村")
    auth.login("admin")
    resp = client.post("/machinery/orders", data={
        "client_text": "不存在的人", "service": "sowing", "service_on": "2026-05-01",
        "area_cmu": "10", "unit_price_fen": "35"})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422 and "外嘎查村、合作社、企业请先在" in html


def test_the_charter_page_sets_the_word(app, client, auth, staff):
    from tests.test_charter import GOOD

    auth.login("admin")
    page = client.get("/charter").get_data(as_text=True)
    assert "外村客户的称呼" in page and "外嘎查村（内蒙古）" in page
    resp = client.post("/charter", data={**GOOD, "outside_village_word": "外嘎查村", "version": "1"})
    assert resp.status_code == 302
    with app.app_context():
        coop = db.session.scalar(select(Cooperative).where(Cooperative.code == staff[0]))
        assert coop.outside_village_word == "外嘎查村"
    resp = client.post("/charter", data={**GOOD, "outside_village_word": "外国", "version": "2"})
    assert resp.status_code == 422 and "请从列表中选择外村客户的称呼" in resp.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Cooperative, coop.id).outside_village_word == "外嘎查村"


def test_the_demos_words(app):
    from coop.demo import load_cooperative, load_fsc_cooperative

    with app.app_context():
        assert load_cooperative().outside_village_word == "外嘎查村"   # wljs, Inner Mongolia
        assert load_fsc_cooperative().outside_village_word == "外村"   # hxnj
        db.session.rollback()


def test_the_charter_rule_refuses_another_word():
    from coop.cooperatives.rules import charter_errors

    assert charter_errors({"outside_village_word": "外国"})["outside_village_word"] == \
        "请选择外村客户的称呼：外村或外嘎查村"
