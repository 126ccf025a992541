"""A paid line reads as what the member received by each way: where the plan
turned part of the line into capital (盈余转增, FSC art 44 para 3), only the
cash went by the payment's method (the card), the rest became shares. The
home card, 我的分红 and the line's page, and the statement's paid line say
so; a line paid whole still reads 已发放 <day>（<method>）."""
from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from coop.config import DEMO_PASSWORD
from coop.cooperatives.api import get_by_code
from coop.dividends.api import DividendLine, DividendPlan, paid_of

pytestmark = pytest.mark.now("2026-06-15")  # hxnj's 2025 plan paid on 2026-03-25 (README)


def _line(**values) -> DividendLine:
    base = dict(total_fen=1_517_571, converted_fen=0, converted_shares=0, paid_on=None,
                payment_method=None)
    return DividendLine(**(base | values))


def test_a_line_partly_turned_into_capital_names_the_cash_and_the_shares():
    paid = paid_of(_line(converted_fen=455_200, converted_shares=4_552,
                         paid_on=date(2026, 3, 25), payment_method="card"))
    assert paid.badge == "已发放 2026-03-25"
    assert [(p.label, p.fen, p.note) for p in paid.parts] == [
        ("惠农一卡通", 1_062_371, ""), ("转为出资", 455_200, "4,552 股")]
    assert paid.text == "2026-03-25，惠农一卡通 10,623.71 元，转为出资 4,552.00 元（4,552 股）"


def test_a_line_paid_whole_reads_as_before_and_an_unpaid_one_not_at_all():
    paid = paid_of(_line(paid_on=date(2025, 3, 28), payment_method="card"))
    assert (paid.badge, paid.parts, paid.text) == ("已发放 2025-03-28（惠农一卡通）", [],
                                                   "2025-03-28（惠农一卡通）")
    assert paid_of(_line(payment_method=None, paid_on=None)) is None
    # no method recorded: the cash part is still named apart from the shares
    split = paid_of(_line(converted_fen=100, converted_shares=1, paid_on=date(2026, 3, 25)))
    assert split.text == "2026-03-25，发放 15,174.71 元，转为出资 1.00 元（1 股）"


def _words(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def _line_id(app, code: str, year: int, member_no: str) -> int:
    with app.app_context():
        return app.extensions["sqlalchemy"].session.scalar(
            select(DividendLine.id).join(DividendPlan, DividendPlan.id == DividendLine.plan_id)
            .where(DividendPlan.cooperative_id == get_by_code(code).id, DividendPlan.year == year,
                   DividendPlan.status == "paid", DividendLine.member_no == member_no))


SPLIT = "已发放 2026-03-25 惠农一卡通 10,623.71 元 转为出资 4,552.00 元 （4,552 股）"


def test_the_members_pages_say_what_went_to_the_card(app, client, auth, fsc_demo):
    line_2025 = _line_id(app, fsc_demo, 2025, "HX004")
    auth.login("HX004", DEMO_PASSWORD, coop=fsc_demo)
    for url in ("/me/", "/me/dividends", f"/me/dividends/{line_2025}"):
        text = _words(client.get(url).get_data(as_text=True))
        assert f"15,175.71 元 {SPLIT}" in text, url
        assert "已发放 2026-03-25（惠农一卡通）" not in text, url
    # the 2024 line was paid whole, on the card
    assert "10,470.43 元 已发放 2025-03-25（惠农一卡通）" in _words(
        client.get("/me/dividends").get_data(as_text=True))
    page = _words(client.get(f"/me/dividends/{line_2025}").get_data(as_text=True))
    assert "发放：2026-03-25，惠农一卡通 10,623.71 元，转为出资 4,552.00 元（4,552 股）" in page


def test_the_statements_paid_line_says_it_too(app, client, auth, fsc_demo):
    auth.login("HX004", DEMO_PASSWORD, coop=fsc_demo)
    text = _words(client.get("/me/statements/2025").get_data(as_text=True))
    assert "发放日期：2026-03-25，惠农一卡通 10,623.71 元，转为出资 4,552.00 元（4,552 股）" in text
    assert "发放日期：2025-03-25（惠农一卡通）" in _words(
        client.get("/me/statements/2024").get_data(as_text=True))
