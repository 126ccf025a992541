import re

from playwright.sync_api import Page, expect


def _login(page: Page, base: str, username: str = "shuji", password: str = "wljs2023") -> None:
    page.goto(base + "/login")
    page.get_by_label("用户名或成员编号").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(re.compile(r"/$|/me/$"))


def test_land_contribution_preview_save_and_dashboard(live_server, page: Page, demo):
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    _login(page, live_server)
    page.goto(live_server + "/shares/")
    expect(page.locator("table.sh-classes")).to_contain_text("31.00%")

    page.get_by_role("link", name="登记入股").first.click()
    expect(page).to_have_url(live_server + "/shares/contribute")
    page.get_by_label("成员编号").fill("CY0003")
    page.get_by_label("出资方式").select_option("land")
    # only the inputs of the chosen kind are shown
    expect(page.get_by_label("金额或折价")).to_be_hidden()
    page.get_by_label("土地亩数").fill("11")
    page.get_by_label("每亩折价").fill("500")
    preview = page.locator("#preview")
    expect(preview).to_contain_text("土地 11.00 亩 × 500.00 元/亩 = 5,500.00 元")
    expect(preview).to_contain_text("折合村民股 5,500 股")
    expect(preview.locator("table.sh-impact").first).to_contain_text("31.38%")

    page.get_by_role("button", name="保存入股登记").click()
    expect(page).to_have_url(re.compile(r"/shares/entries/\d+$"))
    expect(page.locator(".flash-success")).to_contain_text("已登记：入股")

    page.get_by_role("link", name="股权结构").first.click()
    expect(page.locator("table.sh-classes")).to_contain_text("31.38%")
    expect(page.locator("svg.sh-structure-chart")).to_be_visible()
    assert not [e for e in errors if "Content Security Policy" in e], errors


def test_refusal_shows_next_to_the_field(live_server, page: Page, demo):
    _login(page, live_server)
    page.goto(live_server + "/shares/contribute")
    page.get_by_label("成员编号").fill("CY0003")
    page.get_by_label("金额或折价").fill("100.50")
    page.get_by_role("button", name="保存入股登记").click()
    expect(page.locator("#field-amount_fen .error")).to_contain_text(
        "最接近的有效值是 100.00 元（100 股）或 101.00 元（101 股）")
    expect(page.get_by_label("金额或折价")).to_have_value("100.50")


def test_batch_certificates_print_one_a4_page_each(live_server, page: Page, share_world,
                                                   create_user):
    create_user(share_world.code, "admin", role="admin", password="secret-pass-1")
    _login(page, live_server, "admin", "secret-pass-1")
    page.goto(live_server + "/shares/certificates?on=2024-06-01")
    expect(page.locator(".sh-certificate")).to_have_count(4)
    pdf = page.pdf(format="A4", prefer_css_page_size=True)
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 4
