"""The supervisor's home page shows a request to reopen a closed year that
waits for them, with a link to where they confirm or refuse it; once
decided (or withdrawn) it is gone. Nobody else's list carries it."""
from __future__ import annotations

import re
from datetime import date

from coop.auth.models import User
from coop.extensions import db

STEP = re.compile(r'data-step="(\d+)" data-state="(\w+)"')
REOPEN = 62


def _home(client) -> str:
    resp = client.get("/")
    assert resp.status_code == 200
    return resp.get_data(as_text=True)


def _step(page: str) -> str:
    start = page.index(f'data-step="{REOPEN}"')
    return page[start:page.index("</li>", start)]


def _closed_2025_asked_to_reopen(app, client, auth, mach, set_clock) -> str:
    set_clock(date(2026, 3, 10))
    mach.ledger.order(date(2025, 9, 20), f"c:{mach.village}", "harvesting", 100000)
    mach.ledger.close(2025)
    set_clock(date(2026, 6, 10))
    auth.login("accountant")
    assert client.post("/machinery/years/2025/reopen",
                       data={"reason": "漏记 12 月的一笔油费"}).status_code == 302
    auth.logout()
    with app.app_context():
        return db.session.get(User, mach.users["accountant"]).display_name


def test_the_supervisor_sees_the_waiting_request_and_where_to_decide_it(app, client, auth, mach,
                                                                        set_clock):
    asked_by = _closed_2025_asked_to_reopen(app, client, auth, mach, set_clock)
    set_clock(date(2026, 6, 15))
    auth.login("supervisor")
    page = _home(client)
    assert dict(STEP.findall(page))[str(REOPEN)] == "todo"
    step = _step(page)
    assert 'href="/machinery/years/2025#reopen-pending"' in step
    assert "2025 年度重新开账申请：待监事确认" in step
    assert f"{asked_by} 2026-06-10 申请，原因：漏记 12 月的一笔油费" in step
    # the link leads to the request and the supervisor's buttons
    year_page = client.get("/machinery/years/2025").get_data(as_text=True)
    assert 'id="reopen-pending"' in year_page and "确认重新开账" in year_page
    # decided: off the list
    assert client.post("/machinery/years/2025/reopen/confirm").status_code == 302
    assert f'data-step="{REOPEN}"' not in _home(client)


def test_a_withdrawn_request_leaves_the_list(app, client, auth, mach, set_clock):
    _closed_2025_asked_to_reopen(app, client, auth, mach, set_clock)
    auth.login("accountant")
    assert client.post("/machinery/years/2025/reopen/cancel").status_code == 302
    auth.logout()
    auth.login("supervisor")
    assert f'data-step="{REOPEN}"' not in _home(client)


def test_only_the_supervisor_has_it_on_their_list(app, client, auth, mach, set_clock):
    _closed_2025_asked_to_reopen(app, client, auth, mach, set_clock)
    for role in ("admin", "accountant"):
        auth.login(role)
        assert f'data-step="{REOPEN}"' not in _home(client), role
        auth.logout()
