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
