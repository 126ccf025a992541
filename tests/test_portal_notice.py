"""The member's notice page (/me/notice) shows every pool of the published
plan (the land guarantee, patronage where there is one, the rest) and its
figures add up: each line is the sum of its parts, each pool's column adds up
to the pool, the pools to the total, and the member's own card to their line."""
from __future__ import annotations

from html.parser import HTMLParser

from sqlalchemy import select

from coop.config import DEMO_PASSWORD
from coop.cooperatives.api import get_by_code
from coop.dividends.api import DividendLine, DividendPlan
from coop.extensions import db
from tests.conftest import PASSWORD


class _Tables(HTMLParser):
    """The cells of the notice table (head, body rows, foot) and of the
    member's card list, as text."""

    def __init__(self) -> None:
        super().__init__()
        self.head: list[str] = []
        self.body: list[list[str]] = []
        self.foot: list[str] = []
        self.card: list[tuple[str, str]] = []
        self._part = None
        self._cell: list[str] | None = None
        self._in_table = self._in_card = False
        self._row: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and "pt-notice" in (attrs.get("class") or ""):
            self._in_table = True
        elif tag == "section" and attrs.get("id") == "my-line":
            self._in_card = True
        elif self._in_table and tag in ("thead", "tbody", "tfoot"):
            self._part = tag
        elif self._in_table and tag == "tr":
            self._row = []
        elif (self._in_table and tag in ("td", "th")) or (self._in_card and tag in ("span", "strong")):
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "table":
            self._in_table = False
        elif tag == "section":
            self._in_card = False
        elif self._in_table and tag in ("td", "th") and self._cell is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        elif self._in_table and tag == "tr":
            {"thead": self.head, "tfoot": self.foot}.get(self._part, self.body).extend(
                self._row) if self._part != "tbody" else self.body.append(self._row)
        elif self._in_card and tag in ("span", "strong") and self._cell is not None:
            text = "".join(self._cell).strip()
            if tag == "span":
                self.card.append((text, ""))
            elif self.card:
                self.card[-1] = (self.card[-1][0], text)
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def _fen(text: str) -> int:
    text = text.replace(",", "").replace("元", "").strip()
    negative = text.startswith("-")
    whole, _, part = text.lstrip("-").partition(".")
    value = int(whole) * 100 + int((part + "00")[:2])
    return -value if negative else value


def _page(client, auth, coop: str, username: str, password: str = DEMO_PASSWORD) -> _Tables:
    assert auth.login(username, password, coop=coop).status_code == 302
    resp = client.get("/me/notice")
    assert resp.status_code == 200
    tables = _Tables()
    tables.feed(resp.get_data(as_text=True))
    return tables


def _check_adds_up(app, tables: _Tables, coop_code: str, member_no: str) -> DividendPlan:
    with app.app_context():
        plan = db.session.scalar(select(DividendPlan).where(
            DividendPlan.cooperative_id == get_by_code(coop_code).id,
            DividendPlan.status.in_(("published", "paid")), DividendPlan.superseded_by_id.is_(None))
            .order_by(DividendPlan.year.desc()))
        pools = [f for f in (plan.guaranteed_total_fen, plan.patronage_pool_fen) if f]
        pools.append(plan.capital_pool_fen)
        line_count = plan.line_count
        mine = db.session.scalar(select(DividendLine).where(
            DividendLine.plan_id == plan.id, DividendLine.member_no == member_no))
        mine_total = mine.total_fen
        distributed = plan.guaranteed_total_fen + plan.patronage_pool_fen + plan.capital_pool_fen
    n = len(pools)
    columns = n if n > 1 else 0  # one pool: the part is the total, no column of its own
    # the head: number, name, shares, one column per pool, the total
    assert len(tables.head) == 3 + columns + 1
    assert len(tables.body) == line_count
    for row in tables.body:
        parts = [_fen(c) for c in row[3:3 + columns]] or [_fen(row[-1])]
        assert sum(parts) == _fen(row[-1]), row
    foot = [_fen(c) for c in tables.foot[-(columns + 1):]]
    assert foot[:columns] == pools[:columns]  # each column adds up to its pool, to the fen
    assert foot[-1] == sum(pools) == distributed
    assert sum(_fen(r[-1]) for r in tables.body) == distributed
    assert [sum(_fen(r[3 + i]) for r in tables.body) for i in range(columns)] == pools[:columns]
    # the member's own card: its parts are the pools' parts of the line
    (label, _), (big, _) = tables.card[:2]
    parts = [_fen(v) for _, v in tables.card[2:]]
    assert label == "我的分红" and _fen(big) == mine_total
    assert len(parts) == n and sum(parts) == mine_total
    return plan


def test_the_demo_members_notice_adds_up(app, client, auth, demo):
    tables = _page(client, auth, demo, "CY0003")
    plan = _check_adds_up(app, tables, demo, "CY0003")
    assert tables.head[3:-1] == [] and plan.guaranteed_total_fen == 0
    assert [label for label, _ in tables.card[2:]] == ["按股分红"]


def test_the_specialized_demo_shows_patronage_and_the_rest_by_the_book(app, client, auth, fsc_demo):
    tables = _page(client, auth, fsc_demo, "HX004", DEMO_PASSWORD)
    plan = _check_adds_up(app, tables, fsc_demo, "HX004")
    assert plan.patronage_pool_fen > 0
    assert tables.head[3:-1] == ["按交易量", "按出资等"]
    assert [label for label, _ in tables.card[2:]] == [
        "按交易量返还", "按出资额、公积金份额和补助量化返还"]


def test_a_land_guarantee_is_a_pool_of_its_own(app, client, auth, portal_world):
    """The 2025 plan of the portal world with 3 mu of land under CY0001's
    shares at 100 yuan a mu: the guarantee is taken before the shares' pool."""
    with app.app_context():
        plan = db.session.get(DividendPlan, portal_world.plans["2025"])
        lines = {line.member_no: line for line in db.session.scalars(
            select(DividendLine).where(DividendLine.plan_id == plan.id))}
        guarantee = 300_00
        plan.guaranteed_fen_per_mu = 100_00
        plan.guaranteed_total_fen = guarantee
        plan.capital_pool_fen -= guarantee
        line = lines["CY0001"]
        line.land_mu_hundredths = 300
        line.guaranteed_fen = guarantee
        line.capital_fen = line.total_fen - guarantee
        db.session.commit()
    tables = _page(client, auth, "t1", "CY0001", PASSWORD)
    assert tables.head[3:-1] == ["土地保底", "按股分红"]
    _check_adds_up(app, tables, "t1", "CY0001")
    assert tables.card[2] == ("土地保底收益", "300.00 元")
