"""Pages, CLI and demo of the distribution plans."""
from __future__ import annotations

import csv
import re
from datetime import date

from coop.dividends import reading, workflow
from tests.conftest_dividends import YEAR
from tests.test_dividends_services import VOTE


def _form(**values) -> dict:
    return {k: ("" if v is None else (v.isoformat() if isinstance(v, date) else str(v)))
            for k, v in values.items()}


def test_compute_from_the_page_and_see_the_plan(client, auth, div_world):
    div_world.close()
    auth.login("accountant")
    page = client.get("/dividends/").get_data(as_text=True)
    assert "计算分配方案草案" in page and '<option selected value="2024">' in page
    resp = client.post("/dividends/compute", data={"year": "2024", "weight_basis": "record_date"})
    assert resp.status_code == 302
    plan_url = resp.headers["Location"]
    html = client.get(plan_url).get_data(as_text=True)
    assert "2024 年度分配方案" in html and "10,000.00" in html and "8,000.00" in html
    assert "村集体（乌兰计三村村集体）</strong>分得 <strong>5,200.00 元" in html
    assert "<svg" in html and "dv-waterfall" in html
    assert "按最新账目重新计算" in html and "登记大会表决结果" not in html  # the vote is the secretary's


def test_compute_errors_come_back_in_the_form(client, auth, div_world, fingerprint):
    auth.login("admin")
    before = fingerprint()
    for data, message in (({"year": "abcd"}, "年度应为四位数字"),
                          ({"year": "1990"}, "年度应在 2000"),
                          ({"year": "2024", "weight_basis": "x"}, "请选择按登记日持股或按持股天数"),
                          ({"year": "2024", "record_date": "2023-05-01"}, "股权登记日应在 2024 年内"),
                          ({"year": "2024", "record_date": "31/31/2024"}, "格式应为")):
        resp = client.post("/dividends/compute", data=data, headers={"HX-Request": "true"})
        body = resp.get_data(as_text=True)
        assert resp.status_code == 422 and message in body, (data, body[:300])
        assert "<html" not in body
    assert fingerprint() == before


def _draft(client, auth, w, basis="record_date"):
    w.close()
    auth.login("admin")
    resp = client.post("/dividends/compute", data={"year": "2024", "weight_basis": basis})
    return int(resp.headers["Location"].rstrip("/").split("/")[-1])


def test_vote_refusal_is_shown_next_to_the_field(client, auth, div_world, fingerprint):
    plan_id = _draft(client, auth, div_world)
    before = fingerprint()
    resp = client.post(f"/dividends/{plan_id}/approve", headers={"HX-Request": "true"},
                       data=_form(**{**VOTE, "votes_for": 3, "votes_against": 3},
                                  version=div_world.plan(plan_id)["version"]))
    body = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert "未达到全部 6 户的三分之二（至少需要 4 户）" in body and 'id="votes_for-error"' in body
    assert fingerprint() == before
    resp = client.post(f"/dividends/{plan_id}/approve",
                       data=_form(**{**VOTE, "votes_for": "x"},
                                  version=div_world.plan(plan_id)["version"]))
    assert resp.status_code == 422 and "赞成应为整数" in resp.get_data(as_text=True)
    assert fingerprint() == before


def test_approve_publish_notice_and_pay(client, auth, div_world, set_clock):
    w = div_world
    set_clock(date(2025, 3, 2))
    plan_id = _draft(client, auth, w)
    version = w.plan(plan_id)["version"]
    html = client.get(f"/dividends/{plan_id}").get_data(as_text=True)
    assert re.search(r'<input[^>]*name="households_total"[^>]*value="6"', html)  # from the roster
    resp = client.post(f"/dividends/{plan_id}/approve", data=_form(**VOTE, version=version))
    assert resp.status_code == 302
    html = client.get(f"/dividends/{plan_id}").get_data(as_text=True)
    assert "已表决通过" in html and "开始公示" in html and "股合〔2025〕1号" in html
    resp = client.post(f"/dividends/{plan_id}/publish",
                       data=_form(notice_start=date(2025, 3, 2), notice_days=7,
                                  version=w.plan(plan_id)["version"]))
    assert resp.status_code == 302
    notice = client.get(f"/dividends/{plan_id}/notice").get_data(as_text=True)
    assert "2024 年度收益分配方案公示" in notice and "2025-03-08" in notice
    assert "村民1" in notice and "1,200.00" in notice and "合计 4 名" in notice
    set_clock(date(2025, 3, 20))
    resp = client.post(f"/dividends/{plan_id}/pay", data=_form(paid_on=date(2025, 3, 20), method="bank"))
    assert resp.status_code == 302
    assert w.plan(plan_id)["status"] == "paid"
    assert "已发放" in client.get(f"/dividends/{plan_id}").get_data(as_text=True)


def test_notice_masks_id_numbers(client, auth, div_world, app):
    from coop.extensions import db
    from coop.members.models import Member

    with app.app_context():
        db.session.get(Member, div_world.ids["V001"]).id_number = "150203198001011234"
        db.session.commit()
    plan_id = _draft(client, auth, div_world)
    div_world.with_plan(plan_id, workflow.approve_plan, **VOTE)
    notice = client.get(f"/dividends/{plan_id}/notice").get_data(as_text=True)
    assert "150203198001011234" not in notice and "1502**********1234" in notice


def test_lines_search_swaps_only_the_table(client, auth, div_world):
    plan_id = _draft(client, auth, div_world)
    resp = client.get(f"/dividends/{plan_id}?q=V00", headers={"HX-Request": "true"})
    body = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "<html" not in body and "dv-lines" in body
    assert "村民1" in body and "乌兰计三村村集体" not in body
    body = client.get(f"/dividends/{plan_id}?q=村民2").get_data(as_text=True)
    assert "村民2" in body and "村民1</a>" not in body and "<html" in body
    lower = client.get(f"/dividends/{plan_id}?q=v00", headers={"HX-Request": "true"})
    assert "村民1" in lower.get_data(as_text=True)  # member numbers in any case, as elsewhere
    body = client.get(f"/dividends/{plan_id}?q=%25", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "没有编号或姓名以“%”开头的成员" in body


def test_member_line_shows_the_arithmetic(client, auth, div_world):
    plan_id = _draft(client, auth, div_world)
    line_id = div_world.plan(plan_id)["lines"]["V002"]["id"]
    html = client.get(f"/dividends/{plan_id}/lines/{line_id}").get_data(as_text=True)
    assert "按股分配总额 8,000.00 元 × 本人股数 160 ÷ 全体股数 1,000" in html
    assert "= 1280.0000 元" in html and "<strong>1,280.00 元</strong>" in html


def test_compare_page(client, auth, div_world):
    a = _draft(client, auth, div_world)
    resp = client.post("/dividends/compute", data={"year": "2024", "weight_basis": "share_days"})
    b = int(resp.headers["Location"].split("/")[-1])
    html = client.get(f"/dividends/compare?a={a}&b={b}").get_data(as_text=True)
    assert "2024 年度方案比较" in html and "按持股天数" in html and "分红不同的成员" in html


def test_export_csv_adds_up(client, auth, div_world):
    plan_id = _draft(client, auth, div_world)
    resp = client.get(f"/dividends/{plan_id}/export.csv")
    rows = list(csv.reader(resp.get_data(as_text=True).lstrip("\ufeff").splitlines()))
    assert rows[0][0] == "member_no" and rows[-1][:2] == ["TOTAL", "合计"]
    assert sum(int(r[7]) for r in rows[1:-1]) == int(rows[-1][7]) == 800_000


def test_stale_approval_gets_409_with_the_change(client, auth, div_world, fingerprint):
    plan_id = _draft(client, auth, div_world)
    loaded = div_world.plan(plan_id)["version"]
    client.post(f"/dividends/{plan_id}/record-date",
                data=_form(record_date=date(2024, 6, 30), version=loaded))
    before = fingerprint()
    resp = client.post(f"/dividends/{plan_id}/approve", data=_form(**VOTE, version=loaded))
    body = resp.get_data(as_text=True)
    assert resp.status_code == 409 and "此记录已被他人修改" in body and "股权登记日" in body
    assert fingerprint() == before


def test_other_cooperatives_plans_are_404(client, auth, div_world, create_coop, create_user, app):
    plan_id = _draft(client, auth, div_world)
    line_id = div_world.plan(plan_id)["lines"]["V001"]["id"]
    create_coop("t2")
    create_user("t2", "boss2", role="admin")
    client.post("/logout")
    auth.login("boss2", coop="t2")
    for url in (f"/dividends/{plan_id}", f"/dividends/{plan_id}/lines/{line_id}",
                f"/dividends/{plan_id}/notice", f"/dividends/{plan_id}/export.csv",
                f"/dividends/compare?a={plan_id}&b={plan_id}"):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/dividends/{plan_id}/approve", data=_form(**VOTE)).status_code == 404


def test_cli_compute_and_export(runner, div_world, tmp_path):
    div_world.close()
    result = runner.invoke(args=["dividends", "compute", "--coop", "t1", "--year", "2024"])
    assert result.exit_code == 0, result.output
    assert "公积金（10.00%）：1,000.00 元" in result.output and "按股分红（按登记日持股）：8,000.00 元" in result.output
    out = tmp_path / "d.csv"
    result = runner.invoke(args=["dividends", "export", "--coop", "t1", "--year", "2024", str(out)])
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(out.read_text(encoding="utf-8").splitlines()))
    assert rows[0] == ["member_no", "name", "class", "weight", "guaranteed_fen", "patronage_fen",
                       "capital_fen", "total_fen"]
    assert rows[-1] == ["TOTAL", "合计", "", "1000", "0", "0", "800000", "800000"]
    assert ["V002", "村民2", "villager", "160", "0", "0", "128000", "128000"] in rows
    # a second draft by share-days is the newest: export takes it (no plan approved yet)
    result = runner.invoke(args=["dividends", "compute", "--coop", "t1", "--year", "2024", "--share-days"])
    assert result.exit_code == 0 and "第 2 版" in result.output
    runner.invoke(args=["dividends", "export", "--coop", "t1", "--year", "2024", str(out)])
    rows = list(csv.reader(out.read_text(encoding="utf-8").splitlines()))
    assert rows[-1][3] == str(1000 * 357)  # share-days from 10 January


def test_cli_errors(runner, div_world, tmp_path, fingerprint):
    before = fingerprint()
    for args, message in (
            (["compute", "--coop", "nope", "--year", "2024"], "没有代码为 nope 的合作社"),
            (["compute", "--coop", "t1", "--year", "1900"], "年度应在 2000"),
            (["compute", "--coop", "t1", "--year", "2024", "--record-date", "2024-13-01"], "日期应为"),
            (["export", "--coop", "t1", "--year", "2023", str(tmp_path / "x.csv")], "还没有分配方案"),
    ):
        result = runner.invoke(args=["dividends", *args])
        assert result.exit_code != 0 and message in result.output, (args, result.output)
    assert fingerprint() == before


def test_demo_has_a_paid_2024_plan_and_a_2025_draft(app, demo):
    from coop.cooperatives.services import get_by_code
    from coop.extensions import db

    with app.app_context():
        coop = get_by_code(demo)
        plans = {p.year: p for p in reading.plans_of(coop.id)}
        assert plans[2024].status == "paid" and plans[2024].votes_for * 3 >= plans[2024].households_total * 2
        assert plans[2025].status == "draft" and not plans[2025].is_preview
        for plan in plans.values():
            totals = reading.pool_totals(plan)
            assert totals.total_fen == (plan.guaranteed_total_fen + plan.patronage_pool_fen
                                        + plan.capital_pool_fen)
            assert totals.capital_fen == plan.capital_pool_fen
        assert reading.paid_count(plans[2024]) == reading.payable_count(plans[2024]) > 90
        collective = reading.collective_lines(plans[2025])
        assert len(collective) == 1 and collective[0].shares == 650_000
        db.session.rollback()


def test_a_refusal_of_the_whole_plan_is_shown_in_the_form_block(client, auth, div_world,
                                                                fingerprint):
    """A refusal that belongs to no field (the year is not closed) comes back
    in the form's block, in htmx's answer too, not on the hidden version field."""
    auth.login("admin")
    resp = client.post("/dividends/compute", data={"year": "2024", "weight_basis": "record_date"})
    plan_id = int(resp.headers["Location"].rstrip("/").split("/")[-1])
    before = fingerprint()
    resp = client.post(f"/dividends/{plan_id}/approve", headers={"HX-Request": "true"},
                       data=_form(**VOTE, version=div_world.plan(plan_id)["version"]))
    body = resp.get_data(as_text=True)
    assert resp.status_code == 422 and "<html" not in body
    assert '<p class="form-error" role="alert">2024 年度还没有结账' in body
    assert fingerprint() == before


def test_a_stale_approval_by_htmx_says_what_changed_in_the_block(client, auth, div_world):
    plan_id = _draft(client, auth, div_world)
    loaded = div_world.plan(plan_id)["version"]
    client.post(f"/dividends/{plan_id}/record-date",
                data=_form(record_date=date(2024, 6, 30), version=loaded))
    resp = client.post(f"/dividends/{plan_id}/approve", headers={"HX-Request": "true"},
                       data=_form(**VOTE, version=loaded))
    body = resp.get_data(as_text=True)
    assert resp.status_code == 409 and "<html" not in body
    assert "此记录已被他人修改" in body and "股权登记日" in body
    assert f'name="version" type="hidden" value="{div_world.plan(plan_id)["version"]}"' in body
