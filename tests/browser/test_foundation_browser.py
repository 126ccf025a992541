import re

from playwright.sync_api import Page, expect


def test_demo_admin_logs_in_and_sees_dashboard(live_server, page: Page, demo):
    page.goto(live_server + "/")
    expect(page).to_have_url(re.compile(r"/login"))
    page.get_by_label("用户名或成员编号").fill("shuji")
    page.get_by_label("密码").fill("wljs2023")
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(live_server + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("乌兰计三村股份经济合作社")
    expect(page.get_by_text("王建国 · 书记（管理员）")).to_be_visible()
    expect(page.locator("table").first).to_contain_text("65.00%")


def test_charter_inline_error_next_to_field(live_server, page: Page, demo):
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(live_server + "/login")
    page.get_by_label("用户名或成员编号").fill("shuji")
    page.get_by_label("密码").fill("wljs2023")
    page.get_by_role("button", name="登录").click()
    page.goto(live_server + "/charter")
    field = page.locator("#reserve_rate_bp")
    field.fill("120")
    field.press("Tab")
    expect(page.locator("#field-reserve_rate_bp .error")).to_have_text(
        "公积金提取比例必须在 0% 到 100% 之间")
    expect(page.locator("#reserve_rate_bp")).to_have_value("120")
    assert not [e for e in errors if "Content Security Policy" in e], errors


def test_typing_on_while_a_check_is_on_its_way_keeps_every_value(live_server, page: Page, demo):
    """Each field is checked as it is left; the check brings back its errors,
    never the values, so what was typed meanwhile stays (a tester's 公益金
    stayed 5.00 after he typed 6, and a band became 7070.00)."""
    page.goto(live_server + "/login")
    page.get_by_label("用户名或成员编号").fill("shuji")
    page.get_by_label("密码").fill("wljs2023")
    page.get_by_role("button", name="登录").click()
    page.goto(live_server + "/charter")

    def slow(route):  # a village link: each check takes 400 ms
        page.wait_for_timeout(400)
        route.continue_()

    page.route("**/charter/validate", slow)
    checks = []
    page.on("requestfinished", lambda r: checks.append(r) if r.url.endswith("/charter/validate") else None)
    for field_id, text in (("reserve_rate_bp", "15"), ("welfare_rate_bp", "3"), ("risk_rate_bp", "2")):
        box = page.locator(f"#{field_id}")
        box.click()
        box.press("Control+a")
        box.press_sequentially(text, delay=60)
        box.press("Tab")
    page.wait_for_timeout(1500)
    assert checks  # the checks went and came back
    expect(page.locator("#reserve_rate_bp")).to_have_value("15")
    expect(page.locator("#welfare_rate_bp")).to_have_value("3")
    expect(page.locator("#risk_rate_bp")).to_have_value("2")
    # an error still comes back beside its field, the value as typed
    box = page.locator("#welfare_rate_bp")
    box.click()
    box.press("Control+a")
    box.press_sequentially("120", delay=30)
    box.press("Tab")
    expect(page.locator("#field-welfare_rate_bp .error")).to_be_visible()
    expect(box).to_have_attribute("aria-invalid", "true")
    expect(box).to_have_value("120")
    expect(page.locator(".error-summary")).to_contain_text("公益金")
    box.click()
    box.press("Control+a")
    box.press_sequentially("3", delay=30)
    box.press("Tab")
    expect(page.locator("#field-welfare_rate_bp .error")).to_have_count(0)
    expect(page.locator(".error-summary")).to_have_count(0)
    expect(box).not_to_have_attribute("aria-invalid", "true")


def test_failed_htmx_request_shows_a_message(live_server, page: Page, demo):
    page.goto(live_server + "/login")
    page.get_by_label("用户名或成员编号").fill("shuji")
    page.get_by_label("密码").fill("wljs2023")
    page.get_by_role("button", name="登录").click()
    page.goto(live_server + "/charter")
    # the server fails on the next inline validation
    page.route("**/charter/validate", lambda route: route.fulfill(
        status=500, content_type="text/plain; charset=utf-8", body="系统出了点问题，操作没有完成。"))
    page.locator("#welfare_rate_bp").fill("6")
    page.locator("#welfare_rate_bp").press("Tab")
    banner = page.locator("#request-error")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("系统出了点问题")
    page.get_by_role("button", name="关闭").click()
    expect(banner).to_be_hidden()
    # and when the network is gone
    page.route("**/charter/validate", lambda route: route.abort())
    page.locator("#welfare_rate_bp").fill("7")
    page.locator("#welfare_rate_bp").press("Tab")
    expect(banner).to_contain_text("无法连接服务器")
