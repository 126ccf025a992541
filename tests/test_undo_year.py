"""Undo where a person can err: a closed year reopened on a request with a
reason (one person asks, the supervisor confirms), and the close page's
warning about what clients still owe."""
from datetime import date

from sqlalchemy import select

from coop.audit.models import AuditEntry
from coop.cooperatives.models import YearReopening
from coop.errors import ServiceError
from coop.extensions import db
from coop.machinery import reopening
from coop.machinery.distribution import record_distribution
from coop.machinery.periods import is_year_closed
from coop.machinery.years import year_figures

HX = {"HX-Request": "true"}


def _harvest_2025(mach) -> int:
    # 80,000.00 of income; 11,400.00 depreciation: surplus 68,600.00
    return mach.ledger.order(date(2025, 9, 20), f"c:{mach.village}", "harvesting", 100000)


def test_the_close_page_lists_unpaid_receivables_and_still_closes(client, auth, mach):
    _harvest_2025(mach)
    paid = mach.ledger.order(date(2025, 5, 3), f"m:{mach.zhang}", "sowing", 1000)  # 250.00
    mach.ledger.pay(paid, date(2025, 5, 3), 25000)
    mach.ledger.order(date(2025, 6, 1), f"m:{mach.li}", "sowing", 1000)  # 250.00, unpaid
    mach.ledger.order(date(2026, 3, 1), f"c:{mach.company}", "sowing", 1000)  # next year
    auth.login("accountant")
    page = client.get("/machinery/years/2025").get_data(as_text=True)
    warning = page.split('id="unpaid-receivables"')[1].split("<form")[0]
    assert "还有未收回的应收款 80,250.00 元" in warning
    assert "共 2 个客户" in warning
    assert "哈业胡同村" in warning and "80,000.00" in warning
    assert "李四" in warning and "张三" not in warning.split("查看应收款明细")[0]
    assert "包头北方农牧业有限公司" not in warning
    resp = client.post("/machinery/years/2025/close",
                       data={"expected_surplus_fen": "6910000", "carry_forward_fen": ""})
    assert resp.status_code == 302
    assert mach.ledger.run(lambda c: is_year_closed(c, 2025))


def test_no_warning_when_everything_is_paid(client, auth, mach):
    paid = mach.ledger.order(date(2025, 5, 3), f"m:{mach.zhang}", "sowing", 1000)
    mach.ledger.pay(paid, date(2025, 5, 3), 25000)
    auth.login("admin")
    page = client.get("/machinery/years/2025").get_data(as_text=True)
    assert "确认结账" in page and 'id="unpaid-receivables"' not in page


def _audit(app, record_type: str) -> list[tuple[str, dict | None, dict | None]]:
    with app.app_context():
        return [(e.action, e.before, e.after) for e in db.session.scalars(
            select(AuditEntry).where(AuditEntry.record_type == record_type)
            .order_by(AuditEntry.id))]


def test_reopen_asked_by_the_accountant_confirmed_by_the_supervisor(app, client, auth, mach):
    _harvest_2025(mach)
    mach.ledger.close(2025, carry_forward_fen=600000)
    assert mach.ledger.run(lambda c: year_figures(c, 2026).carried_surplus_fen) == 6860000
    auth.login("accountant")
    page = client.get("/machinery/years/2025").get_data(as_text=True)
    assert "申请重新开账" in page
    resp = client.post("/machinery/years/2025/reopen", data={"reason": "漏记 12 月的一笔油费"})
    assert resp.status_code == 302
    assert mach.ledger.run(lambda c: is_year_closed(c, 2025))  # not yet: the supervisor confirms
    page = client.get("/machinery/years/2025").get_data(as_text=True)
    assert "待监事确认" in page and "确认重新开账" not in page and "撤回申请" in page
    auth.logout()
    auth.login("supervisor")
    page = client.get("/machinery/years/2025").get_data(as_text=True)
    assert "漏记 12 月的一笔油费" in page and "确认重新开账" in page and "不同意" in page
    resp = client.post("/machinery/years/2025/reopen/confirm")
    assert resp.status_code == 302
    assert not mach.ledger.run(lambda c: is_year_closed(c, 2025))
    # the next year's carried figures are computed again: nothing is carried from an open year
    assert mach.ledger.run(lambda c: year_figures(c, 2026).carried_surplus_fen) == 0
    # a correction may now be dated in 2025, and the year closed again
    mach.ledger.create_expense(date(2025, 12, 20), "fuel", 50000, None)
    mach.ledger.close(2025)
    assert mach.ledger.run(lambda c: year_figures(c, 2025).surplus_fen) == 6810000
    page = client.get("/machinery/years/2025").get_data(as_text=True)
    history = page.split('id="reopen-history"')[1]
    assert "已重新开账" in history and "撤销的结账：盈余 68,600.00 元，留存 6,000.00 元" in history
    # both steps and the removed close are in the audit log
    steps = _audit(app, "year_reopenings")
    assert [a for a, *_ in steps] == ["create", "update"]
    assert steps[0][2]["reason"] == "漏记 12 月的一笔油费" and steps[0][2]["status"] == "pending"
    assert steps[1][2]["status"] == "confirmed"
    assert steps[0][2]["requested_by_id"] == mach.users["accountant"]
    assert steps[1][2]["decided_by_id"] == mach.users["supervisor"]
    closes = _audit(app, "year_closes")
    assert [a for a, *_ in closes] == ["create", "delete", "create"]
    assert closes[1][1]["surplus_fen"] == 6860000 and closes[1][1]["carry_forward_fen"] == 600000


def test_who_asked_cannot_confirm(app, mach):
    mach.ledger.close(2025)
    with app.app_context():
        reopening.request_reopen(mach.coop_id, 2025, mach.users["supervisor"], "原因")
        try:
            reopening.confirm_reopen(mach.coop_id, 2025, mach.users["supervisor"])
        except ServiceError as exc:
            assert "提出重新开账申请的人不能自己确认" in exc.message
        else:
            raise AssertionError("confirmed by who asked")
        db.session.rollback()


def test_reopen_roles(client, auth, mach, fingerprint):
    mach.ledger.close(2025)
    auth.login("supervisor")
    assert client.post("/machinery/years/2025/reopen", data={"reason": "x"}).status_code == 403
    auth.logout()
    auth.login("admin")
    before = fingerprint()
    assert client.post("/machinery/years/2025/reopen/confirm").status_code == 403
    assert fingerprint() == before


def test_refusals_change_nothing(client, auth, mach, fingerprint):
    mach.ledger.close(2024)
    _harvest_2025(mach)
    mach.ledger.close(2025)
    auth.login("admin")
    before = fingerprint()
    resp = client.post("/machinery/years/2025/reopen", data={"reason": "  "}, headers=HX)
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    assert "请填写重新开账的原因" in html and html.lstrip().startswith('<div id="reopen-panel">')
    resp = client.post("/machinery/years/2024/reopen", data={"reason": "错账"}, headers=HX)
    assert resp.status_code == 422
    assert "2025 年度也已结账" in resp.get_data(as_text=True)
    resp = client.post("/machinery/years/2025/reopen", data={"reason": "x" * 201}, headers=HX)
    assert resp.status_code == 422 and "原因不能超过 200 个字" in resp.get_data(as_text=True)
    resp = client.post("/machinery/years/2026/reopen", data={"reason": "错账"}, headers=HX)
    assert resp.status_code == 422 and "2026 年度没有结账，无需重新开账" in resp.get_data(as_text=True)
    resp = client.post("/machinery/years/2025/reopen/cancel", headers=HX)
    assert resp.status_code == 422 and "没有待确认的重新开账申请" in resp.get_data(as_text=True)
    assert fingerprint() == before


def test_refused_once_a_plan_of_the_year_is_approved(app, client, auth, mach, fingerprint):
    _harvest_2025(mach)
    mach.ledger.close(2025)
    auth.login("admin")
    client.post("/machinery/years/2025/reopen", data={"reason": "错账"})
    with app.app_context():
        record_distribution(mach.coop_id, 2025, 6860000)
        db.session.commit()
    auth.logout()
    auth.login("supervisor")
    page = client.get("/machinery/years/2025").get_data(as_text=True)
    assert "确认重新开账" not in page and "另立新版本" in page
    before = fingerprint()
    resp = client.post("/machinery/years/2025/reopen/confirm", headers=HX)
    assert resp.status_code == 422
    assert "分配方案已经表决通过" in resp.get_data(as_text=True)
    assert "另立新版本" in resp.get_data(as_text=True)
    assert fingerprint() == before
    # the supervisor does not agree: the request is closed, the year stays closed
    assert client.post("/machinery/years/2025/reopen/cancel").status_code == 302
    with app.app_context():
        request = db.session.scalar(select(YearReopening))
        assert (request.status, request.decided_by_id) == ("cancelled", mach.users["supervisor"])
    assert mach.ledger.run(lambda c: is_year_closed(c, 2025))
    auth.logout()
    auth.login("admin")
    resp = client.post("/machinery/years/2025/reopen", data={"reason": "错账"}, headers=HX)
    assert resp.status_code == 422 and "另立新版本" in resp.get_data(as_text=True)


def test_one_pending_request_at_a_time(client, auth, mach):
    mach.ledger.close(2025)
    auth.login("admin")
    assert client.post("/machinery/years/2025/reopen", data={"reason": "一"}).status_code == 302
    resp = client.post("/machinery/years/2025/reopen", data={"reason": "二"}, headers=HX)
    assert resp.status_code == 422 and "已有待监事确认的重新开账申请" in resp.get_data(as_text=True)
