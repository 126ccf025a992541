"""The single-holding cap and the class bands hold from the first entry on:
a new register is set up by a founding batch, checked on its end state
whatever the order of its rows (issue 12)."""
from datetime import date
from itertools import permutations

import pytest
from sqlalchemy import select

from coop.errors import ServiceError
from coop.extensions import db
from coop.shares import founding, movements
from coop.shares.importing import COLUMNS
from coop.shares.models import ShareEntry
from tests.conftest_shares import BASE_DAY
from tests.workbooks import write_xlsx

HX = {"HX-Request": "true"}
D = date(2024, 6, 1)
HALF_AND_HALF = [("V001", "villager", 500_000), ("C000", "collective", 500_000, "in_kind")]
VALID = [("C000", "collective", 650, "in_kind"), ("G001", "cadre", 40),
         ("V001", "villager", 150), ("V002", "villager", 160)]
VILLAGER_OVER_CAP = ("村民1（V001）持股将占全部股份的 50.00%（500,000 / 1,000,000 股），"
                     "超过章程规定的单一成员持股上限 20.00%")


@pytest.fixture(autouse=True)
def shuji(empty_share_world, create_user):
    """The secretary the imports are recorded by (--by shuji)."""
    return create_user(empty_share_world.code, "shuji", role="admin")


def _entries(app) -> list[tuple]:
    with app.app_context():
        return [(e.member_id, e.share_class, e.shares, e.resolution_no, e.effective_on)
                for e in db.session.scalars(select(ShareEntry).order_by(ShareEntry.id))]


def test_a_first_entry_alone_is_checked_on_the_state_it_creates(empty_share_world, fingerprint):
    """Before: the first entry of an empty register was exempt from the cap and bands."""
    w = empty_share_world
    before = fingerprint()
    with pytest.raises(ServiceError) as exc:
        w.contribute("V001", "villager", 500_000)
    assert fingerprint() == before
    assert exc.value.field == "resolution_no"
    assert ("登记后村民1持股将占全部股份的 100.00%（500,000 / 500,000 股），"
            "超过章程规定的单一成员持股上限 20.00%") in exc.value.message
    assert "登记后村民股占比将为 100.00%（500,000 / 500,000 股），超出章程允许区间" in exc.value.message
    assert "请在“设立登记”页面一次登记" in exc.value.message


def test_villager_then_collective_half_each_is_refused_in_either_order(empty_share_world,
                                                                       fingerprint):
    """The issue's case: 500,000 + 500,000 with a 20 % cap left the villager at 50 %."""
    w = empty_share_world
    before = fingerprint()
    messages = set()
    for rows in (HALF_AND_HALF, HALF_AND_HALF[::-1]):
        with pytest.raises(ServiceError) as exc:
            w.found(rows)
        assert exc.value.field == "resolution_no"
        assert VILLAGER_OVER_CAP in exc.value.message
        assert "登记后村民股占比将为 50.00%（500,000 / 1,000,000 股）" in exc.value.message
        assert "登记后集体股占比将为 50.00%" in exc.value.message
        messages.add(exc.value.message)
        assert fingerprint() == before
    assert len(messages) == 1  # the same refusal, word for word


@pytest.mark.parametrize("order", list(permutations(range(4))))
def test_a_valid_batch_is_accepted_in_every_order(empty_share_world, app, order):
    w = empty_share_world
    w.found([VALID[i] for i in order])
    assert w.totals() == {"collective": 650, "villager": 310, "cadre": 40}
    assert w.holdings("V001")["villager"] == 150
    # each row is its own movement: a mistaken one is reversed alone
    with app.app_context():
        movements = db.session.scalars(select(ShareEntry.movement)).all()
        assert len(set(movements)) == 4


def test_an_override_needs_a_resolution_recorded_on_every_entry(empty_share_world, app):
    w = empty_share_world
    w.found(HALF_AND_HALF[::-1], resolution_no=w.resolution("2023-001"))
    w2 = _entries(app)
    assert {(shares, resolution) for _, _, shares, resolution, _ in w2} == {
        (500_000, "2023-001")}
    assert w.totals()["villager"] == 500_000


def test_the_batch_is_only_for_a_register_without_shares(share_world, fingerprint):
    before = fingerprint()
    with pytest.raises(ServiceError) as exc:
        share_world.found([("V003", "villager", 10)], on=D)
    assert exc.value.message.startswith("股权登记簿已有 1,000 股，设立登记只能在还没有股份时办理")
    assert fingerprint() == before


def test_every_bad_row_is_reported_and_nothing_is_written(empty_share_world, fingerprint):
    w = empty_share_world
    before = fingerprint()
    rows = [(1, dict(member_id=w.ids["C000"], share_class="collective", contribution_kind="cash",
                     effective_on=BASE_DAY, amount_fen=650_00)),
            (2, dict(member_id=w.ids["V001"], share_class="cadre", contribution_kind="cash",
                     effective_on=BASE_DAY, amount_fen=100_00)),
            (3, dict(member_id=w.ids["V002"], share_class="villager", contribution_kind="cash",
                     effective_on=BASE_DAY, amount_fen=10_50))]
    with pytest.raises(founding.FoundingRefused) as exc:
        w.run(founding.record_founding, rows)
    assert [(p.row, p.field) for p in exc.value.problems] == [(2, "share_class"),
                                                              (3, "amount_fen")]
    assert fingerprint() == before


def test_after_the_founding_batch_every_entry_is_checked(share_world, fingerprint):
    """A later subscription that takes a member over the cap still needs a resolution."""
    before = fingerprint()
    with pytest.raises(ServiceError) as exc:
        share_world.contribute("V002", "villager", 100, on=D)
    assert "村民2持股将占全部股份的 23.64%（260 / 1,100 股）" in exc.value.message
    assert "设立登记" not in exc.value.message
    assert fingerprint() == before


def test_redemption_pushing_another_member_over_the_cap_needs_and_records_a_resolution(
        share_world, fingerprint, app):
    values = dict(member_id=share_world.ids["C000"], share_class="collective", shares=250,
                  effective_on=D)
    before = fingerprint()
    with pytest.raises(ServiceError) as exc:
        share_world.run(movements.record_redemption, **values)
    assert exc.value.field == "resolution_no"
    assert "村民2持股将占全部股份的 21.33%（160 / 750 股），超过章程规定的单一成员持股上限 20.00%" \
        in exc.value.message
    assert fingerprint() == before
    entry_id = share_world.run(movements.record_redemption,
                               resolution_no=share_world.resolution("2023-005"), **values)
    with app.app_context():
        entry = db.session.get(ShareEntry, entry_id)
        assert (entry.shares, entry.resolution_no) == (-250, "2023-005")


def test_a_transfer_out_that_leaves_the_giver_over_is_not_growth(share_world, app):
    """Giving shares away never raises anyone else's part: no resolution asked."""
    share_world.run(movements.record_transfer, from_member_id=share_world.ids["V002"],
                    to_member_id=share_world.ids["V003"], share_class="villager", shares=60,
                    effective_on=D)
    assert share_world.holdings("V003")["villager"] == 60


# -- import into an empty register ---------------------------------------------------


def _xlsx(path, rows):
    return write_xlsx(path, [h for _, h in COLUMNS], rows)


IMPORT_HALF = [["V001", "村民股", "货币", 500_000, None, None, None, None, "2024-01-10"],
               ["C000", "集体股", "货币", 500_000, None, None, None, None, "2024-01-10"]]
IMPORT_VALID = [["V001", "村民股", "货币", 150, None, None, None, None, "2024-01-10"],
                ["V002", "村民股", "土地", None, 2, 80, None, None, "2024-01-10"],
                ["G001", "干部股", "货币", 40, None, None, None, None, "2024-01-10"],
                ["C000", "集体股", "货币", 650, None, None, None, None, "2024-01-10"]]


@pytest.mark.parametrize("rows", [IMPORT_VALID, IMPORT_VALID[::-1]])
def test_import_into_an_empty_register_is_the_founding_batch(empty_share_world, runner,
                                                             tmp_path, rows):
    """Row by row, the villager first would hold 100 %; as a batch, the order is free."""
    result = runner.invoke(args=["shares", "import", _xlsx(tmp_path / "f.xlsx", rows),
                                 "--coop", "t1", "--by", "shuji"])
    assert result.exit_code == 0, result.output
    assert "导入完成：4 行入股，共 1,000 股" in result.output
    assert empty_share_world.totals() == {"collective": 650, "villager": 310, "cadre": 40}


@pytest.mark.parametrize("rows", [IMPORT_HALF, IMPORT_HALF[::-1]])
def test_import_of_the_half_and_half_batch_is_refused_either_way(empty_share_world, runner,
                                                                  tmp_path, fingerprint, app, rows):
    path = _xlsx(tmp_path / "h.xlsx", rows)
    before = fingerprint()
    result = runner.invoke(args=["shares", "import", path, "--coop", "t1", "--by", "shuji"])
    assert result.exit_code == 1 and VILLAGER_OVER_CAP in result.output
    assert fingerprint() == before
    result = runner.invoke(args=["shares", "import", path, "--coop", "t1",
                                 "--resolution", "决议〔2024〕9号", "--by", "shuji"])
    assert result.exit_code == 1 and "“决议〔2024〕9号”不是本社已通过决议的编号" in result.output
    assert fingerprint() == before
    result = runner.invoke(args=["shares", "import", path, "--coop", "t1",
                                 "--resolution", empty_share_world.resolution("2023-009"), "--by", "shuji"])
    assert result.exit_code == 0, result.output
    assert {r for *_, r, _ in _entries(app)} == {"2023-009"}


def test_import_founding_reports_bad_rows_and_repeated_rows(empty_share_world, runner,
                                                            tmp_path, fingerprint):
    path = _xlsx(tmp_path / "b.xlsx", IMPORT_VALID + [
        ["V001", "村民股", "货币", 150, None, None, None, None, "2024-01-10"],
        ["V003", "干部股", "货币", 10, None, None, None, None, "2024-01-10"]])
    before = fingerprint()
    result = runner.invoke(args=["shares", "import", path, "--coop", "t1", "--by", "shuji"])
    assert result.exit_code == 1
    assert "第 6 行：与第 2 行完全相同" in result.output
    assert "第 7 行 股份类别：干部股只能由干部持有，该成员是村民" in result.output
    assert fingerprint() == before


# -- the founding page ------------------------------------------------------------------


@pytest.fixture
def secretary(empty_share_world, create_user, client, auth):
    create_user(empty_share_world.code, "admin", role="admin")
    auth.login("admin")
    return client


def _form(rows, **extra) -> dict[str, str]:
    data = {"effective_on": BASE_DAY.isoformat(), **extra}
    for i, (no, share_class, amount, *kind) in enumerate(rows):
        data |= {f"rows-{i}-member_no": no, f"rows-{i}-share_class": share_class,
                 f"rows-{i}-contribution_kind": kind[0] if kind else "cash",
                 f"rows-{i}-amount_fen": str(amount)}
    return data


def test_founding_page_lists_empty_rows_for_the_secretary(secretary):
    html = secretary.get("/shares/founding").get_data(as_text=True)
    assert "设立登记（首批入股）" in html
    assert html.count('name="rows-') >= 10 * 9 and 'name="rows-9-member_no"' in html
    assert "再加 10 行" in html
    # a large batch goes through the import page, not the command line
    assert 'href="/shares/import">从 Excel 导入</a>' in html and "flask --app" not in html


def test_founding_page_more_rows_keeps_what_was_typed(secretary, fingerprint):
    before = fingerprint()
    resp = secretary.post("/shares/founding/rows", data=_form(VALID), headers=HX)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and 'name="rows-19-member_no"' in html
    assert 'value="C000"' in html
    assert fingerprint() == before


def test_founding_page_preview_shows_the_end_state_and_writes_nothing(secretary, fingerprint):
    before = fingerprint()
    resp = secretary.post("/shares/founding/preview", data=_form(HALF_AND_HALF), headers=HX)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "<html" not in html
    assert "设立登记：2 笔首批入股，2 名成员，共 1,000,000 股" in html
    assert VILLAGER_OVER_CAP in html
    assert fingerprint() == before


def test_founding_page_refuses_the_half_and_half_batch_then_saves_with_a_resolution(
        secretary, empty_share_world, fingerprint, app):
    before = fingerprint()
    resp = secretary.post("/shares/founding", data=_form(HALF_AND_HALF), headers=HX)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert VILLAGER_OVER_CAP in html and "核对股数或先改正章程" in html and "“章程”页面改正" in html
    assert "（无已通过的决议，请先" in html and 'href="/meetings/"' in html
    assert fingerprint() == before
    resp = secretary.post("/shares/founding", headers=HX,
                          data=_form(HALF_AND_HALF, resolution_no="决议〔2024〕1号"))
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert "“决议〔2024〕1号”不是本社已通过决议的编号" in html
    assert fingerprint() == before
    empty_share_world.resolution("2023-001")
    html = secretary.get("/shares/founding").get_data(as_text=True)
    assert '<option value="2023-001">2023-001 股权事项（2023-001）（2023-12-20 成员大会）</option>' in html
    assert "无已通过的决议" not in html
    resp = secretary.post("/shares/founding", headers=HX,
                          data=_form(HALF_AND_HALF, resolution_no="2023-001"))
    assert resp.status_code == 204 and resp.headers["HX-Redirect"] == "/shares/"
    assert {r for *_, r, _ in _entries(app)} == {"2023-001"}


def test_founding_page_saves_a_valid_batch_and_then_is_closed(secretary, empty_share_world):
    resp = secretary.post("/shares/founding", data=_form(VALID[::-1]), headers=HX)
    assert resp.status_code == 204, resp.get_data(as_text=True)
    assert empty_share_world.totals() == {"collective": 650, "villager": 310, "cadre": 40}
    html = secretary.get("/shares/founding").get_data(as_text=True)
    assert "本社股权登记簿已有 1,000 股，设立登记已经完成" in html
    assert 'name="rows-0-member_no"' not in html
    resp = secretary.post("/shares/founding", data=_form([("V003", "villager", 10)]))
    assert resp.status_code == 422
    assert "股权登记簿已有 1,000 股，设立登记只能在还没有股份时办理" in resp.get_data(as_text=True)
    assert empty_share_world.totals()["villager"] == 310


def test_founding_page_puts_each_row_error_in_its_row(secretary, fingerprint):
    before = fingerprint()
    data = _form(VALID + [("NOPE", "villager", 10), ("V003", "villager", "10.5")])
    resp = secretary.post("/shares/founding", data=data, headers=HX)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert "本合作社没有成员编号为 NOPE 的成员" in html
    row6 = html[html.index('name="rows-5-member_no"'):html.index('name="rows-6-member_no"')]
    assert "不是每股面值 1.00 元的整数倍" in row6
    # the summary at the top names the row of each message
    summary = html[html.index('class="error-summary"'):html.index("</ul>")]
    assert '<a href="#rows-4-member_no">第 5 行 成员编号：本合作社没有成员编号为 NOPE 的成员' in summary
    assert '<a href="#rows-5-amount_fen">第 6 行 ' in summary
    assert fingerprint() == before


def test_founding_page_with_no_rows_says_what_to_fill(secretary, fingerprint):
    before = fingerprint()
    resp = secretary.post("/shares/founding", data={"effective_on": "2024-01-10"}, headers=HX)
    assert resp.status_code == 422
    assert "请至少填写一笔首批入股" in resp.get_data(as_text=True)
    assert fingerprint() == before


def test_founding_page_is_for_the_secretary_only(empty_share_world, create_user, client, auth):
    create_user(empty_share_world.code, "kuaiji", role="accountant")
    auth.login("kuaiji")
    assert client.get("/shares/founding").status_code == 403
    assert client.post("/shares/founding", data=_form(VALID)).status_code == 403


def test_import_of_several_dates_is_checked_on_each_dates_state(empty_share_world, runner,
                                                                 tmp_path, fingerprint):
    """The founding day alone (collective 650 of 850) is out of its band: a later
    date's rows do not excuse it."""
    rows = [r[:8] + ["2024-01-10"] for r in IMPORT_VALID]
    rows[0] = rows[0][:8] + ["2024-02-01"]  # V001's 150 come three weeks later
    before = fingerprint()
    result = runner.invoke(args=["shares", "import", _xlsx(tmp_path / "d.xlsx", rows),
                                 "--coop", "t1", "--by", "shuji"])
    assert result.exit_code == 1
    assert "登记后集体股占比（2024-01-10）将为 76.47%（650 / 850 股）" in result.output
    assert fingerprint() == before
    result = runner.invoke(args=["shares", "import", _xlsx(tmp_path / "e.xlsx", IMPORT_VALID),
                                 "--coop", "t1", "--by", "shuji"])
    assert result.exit_code == 0, result.output


def test_founding_page_says_once_that_nothing_was_saved(secretary, fingerprint):
    """A row the plan refuses (a villager subscribing collective shares): its
    message in its row, and the page says once that nothing was saved (the
    refusal of the whole batch said it twice)."""
    before = fingerprint()
    resp = secretary.post("/shares/founding", data=_form([("V001", "collective", 100)]),
                          headers=HX)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422
    row0 = html[html.index('name="rows-0-member_no"'):html.index('name="rows-1-member_no"')]
    assert "集体股" in row0
    assert html.count("没有保存任何内容") == 1
    assert "有内容需要修改，请看标红的输入框；没有保存任何内容。" in html
    assert fingerprint() == before
