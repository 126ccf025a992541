"""The receivables page loads a client's order lines when the client is opened (issue 19)."""
from playwright.sync_api import Page, expect

from coop import clock
from tests.browser.test_machinery_orders import login


def test_opening_a_client_loads_its_lines(live_server, page: Page, mach):
    today = clock.today()
    mach.ledger.set_prices(today.year, {"sowing": (2500, 3500)})
    mach.ledger.order(today, f"c:{mach.village}", "sowing", 1000)    # 350.00
    mach.ledger.order(today, f"m:{mach.zhang}", "sowing", 1000)      # 250.00
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    login(page, live_server)
    page.goto(live_server + "/machinery/receivables")
    village = page.locator(f"#rec-c-{mach.village}")
    expect(village.locator("table.inner")).to_have_count(0)
    village.locator("summary").click()
    lines = village.locator("table.inner tbody tr")
    expect(lines).to_have_count(1)
    expect(lines.first).to_contain_text("350.00")
    expect(page.locator(f"#rec-m-{mach.zhang} table.inner")).to_have_count(0)
    expect(page).to_have_url(live_server + "/machinery/receivables")
    assert not [e for e in errors if "Failed to load resource" not in e], errors  # favicon
