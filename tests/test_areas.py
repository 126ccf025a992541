"""Areas (issue 20): county > township > village; a cooperative's 所在村 and
所在镇 are the names of its village area and that village's township.

The CLI keeps them (``area add|list|assign``); a new cooperative's names find
or make its areas; the charter cannot change the names apart from the area;
migration 0029 placed the cooperatives that existed before it."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from coop.cooperatives.api import area_by_code
from coop.cooperatives.areas import Area
from coop.cooperatives.services import get_by_code
from coop.extensions import db
from tests.test_charter import GOOD


def area(app, code: str) -> Area | None:
    with app.app_context():
        found = db.session.scalar(select(Area).where(Area.code == code))
        if found is not None:
            db.session.expunge(found)
        return found


def invoke(runner, *args: str):
    return runner.invoke(args=["area", *args])


@pytest.fixture
def county(runner):
    assert invoke(runner, "add", "--code", "150203", "--name", "昆都仑区", "--level", "county").exit_code == 0
    assert invoke(runner, "add", "--code", "150203100", "--name", "卜尔汉图镇", "--level", "township",
                  "--parent", "150203").exit_code == 0
    assert invoke(runner, "add", "--code", "150203100201", "--name", "乌兰计三村", "--level", "village",
                  "--parent", "150203100").exit_code == 0


def test_add_builds_the_tree(app, runner, county):
    village = area(app, "150203100201")
    assert village.level == "village" and village.name == "乌兰计三村"
    with app.app_context():
        village = db.session.scalar(select(Area).where(Area.code == "150203100201"))
        assert village.parent.code == "150203100" and village.parent.parent.code == "150203"


@pytest.mark.parametrize("args, message", [
    (["--code", "X1", "--name", "某村", "--level", "village", "--parent", "NOPE"],
     "没有代码为 NOPE 的上级辖区"),
    (["--code", "X1", "--name", "某村", "--level", "village", "--parent", "150203"],
     "村的上级应为乡镇，昆都仑区是县（区）"),
    (["--code", "X1", "--name", "某镇", "--level", "township", "--parent", "150203100"],
     "乡镇的上级应为县（区）"),
    (["--code", "150203", "--name", "另一区", "--level", "county"], "辖区代码 150203 已存在"),
    (["--code", "X1", "--name", "某县", "--level", "county", "--parent", "150203"], "最高一级"),
    (["--code", "X1", "--name", "某村", "--level", "hamlet"], "级别应为"),
    (["--code", "X1", "--name", "某村", "--level", "village"], "须有上级辖区"),
    (["--code", "X 1", "--name", "某县", "--level", "county"], "辖区代码只能由"),
    (["--code", "X1", "--name", "乌兰计三村", "--level", "village", "--parent", "150203100"],
     "卜尔汉图镇下已有名为 乌兰计三村 的辖区"),
])
def test_add_refusals(runner, county, fingerprint, args, message):
    before = fingerprint()
    result = invoke(runner, "add", *args)
    assert result.exit_code == 1 and message in result.output, result.output
    assert fingerprint() == before


def test_area_codes_are_kept_in_lower_case_and_match_in_any_case(app, runner, fingerprint):
    assert invoke(runner, "add", "--code", "BT-Demo", "--name", "包头县", "--level", "county").exit_code == 0
    assert area(app, "bt-demo").name == "包头县"
    result = invoke(runner, "add", "--code", "bt-t1", "--name", "一镇", "--level", "township", "--parent", "BT-DEMO")
    assert result.exit_code == 0, result.output
    assert area(app, "bt-t1").parent_id == area(app, "bt-demo").id
    before = fingerprint()
    result = invoke(runner, "add", "--code", "bt-DEMO", "--name", "另一县", "--level", "county")
    assert result.exit_code == 1 and "辖区代码 bt-demo 已存在" in result.output
    assert fingerprint() == before


def test_an_area_code_kept_in_capitals_before_still_matches(app):
    with app.app_context():
        db.session.add(Area(code="OLD-C", name="旧县", level="county"))
        db.session.flush()
        assert area_by_code(" old-c ").name == "旧县" and area_by_code("OLD-C").name == "旧县"
        db.session.rollback()


def test_an_area_code_may_not_be_a_cooperatives(runner, create_coop, fingerprint):
    create_coop("t1")
    before = fingerprint()
    result = invoke(runner, "add", "--code", "t1", "--name", "某县", "--level", "county")
    assert result.exit_code == 1 and "已是一个合作社的代码" in result.output
    assert fingerprint() == before


def test_assign_moves_the_cooperative_and_its_names(app, runner, county, create_coop):
    create_coop("t1", village="旧村", town="旧镇")
    result = invoke(runner, "assign", "--coop", "t1", "--area", "150203100201")
    assert result.exit_code == 0, result.output
    assert "卜尔汉图镇乌兰计三村" in result.output
    with app.app_context():
        coop = get_by_code("t1")
        assert coop.area.code == "150203100201"
        assert (coop.village, coop.town) == ("乌兰计三村", "卜尔汉图镇")


@pytest.mark.parametrize("args, message", [
    (["--coop", "t1", "--area", "150203100"], "合作社只能归属到村一级辖区；卜尔汉图镇（150203100）是乡镇"),
    (["--coop", "t1", "--area", "150203"], "是县（区）"),
    (["--coop", "t1", "--area", "NOPE"], "没有代码为 NOPE 的辖区"),
    (["--coop", "nope", "--area", "150203100201"], "没有代码为 nope 的合作社"),
])
def test_assign_refusals(runner, county, create_coop, fingerprint, args, message):
    create_coop("t1")
    before = fingerprint()
    result = invoke(runner, "assign", *args)
    assert result.exit_code == 1 and message in result.output, result.output
    assert fingerprint() == before


def test_list_shows_the_tree_and_the_cooperatives(app, runner, county, create_coop):
    create_coop("t1")
    invoke(runner, "assign", "--coop", "t1", "--area", "150203100201")
    create_coop("t2")
    with app.app_context():  # as migration 0029 left a cooperative without a village name
        get_by_code("t2").area_id = None
        db.session.commit()
    lines = invoke(runner, "list").output.splitlines()
    assert "150203  昆都仑区（县（区））  合作社 1 个" in lines
    assert "  150203100  卜尔汉图镇（乡镇）  合作社 1 个" in lines
    assert "    150203100201  乌兰计三村（村）  合作社 1 个" in lines
    assert "未归属辖区的合作社：t2" in lines


def test_a_new_cooperative_finds_or_makes_its_areas(app, create_coop):
    create_coop("t1", village="一村", town="甲镇")
    create_coop("t2", village="一村", town="甲镇")
    create_coop("t3", village="二村", town="甲镇")
    with app.app_context():
        a, b, c = (get_by_code(code) for code in ("t1", "t2", "t3"))
        assert a.area_id == b.area_id != c.area_id
        assert a.area.level == "village" and a.area.parent.name == "甲镇"
        assert a.area.parent_id == c.area.parent_id


def test_the_charter_keeps_the_areas_names(app, client, auth, staff):
    auth.login("admin")
    resp = client.post("/charter", data={**GOOD, "village": "别的村", "version": "1"})
    assert resp.status_code == 422 and "所在村、镇按辖区登记" in resp.get_data(as_text=True)
    assert client.post("/charter", data={**GOOD, "version": "1"}).status_code == 302


def test_cooperative_pages_still_show_the_village_and_town(client, auth, staff):
    auth.login("admin")
    html = client.get("/charter").get_data(as_text=True)
    assert 'value="测试村"' in html and 'value="测试镇"' in html


def test_migration_0029_places_the_existing_cooperatives(old_db):
    rows = [(1, "a", "旧镇", "一村"), (2, "b", "旧镇", "二村"), (3, "c", "新镇", "一村"),
            (4, "d", " 旧镇 ", "一村"), (5, "e", "", "孤村"), (6, "f", "旧镇", "")]
    old_db.at("0028")
    for cid, code, town, village in rows:
        old_db.insert_cooperative(id=cid, code=code, name=f"合作社{code}", village=village, town=town)
    old_db.upgrade("0029")
    areas = {r[0]: r for r in old_db.rows("SELECT id, code, name, level, parent_id FROM areas")}
    placed = dict(old_db.rows("SELECT code, area_id FROM cooperatives"))

    def where(code: str) -> tuple[str | None, str]:
        _, _, name, level, parent_id = areas[placed[code]]
        assert level == "village"
        return (areas[parent_id][2] if parent_id else None), name

    assert where("a") == ("旧镇", "一村") and where("b") == ("旧镇", "二村")
    assert where("c") == ("新镇", "一村") and placed["a"] != placed["c"]
    assert placed["d"] == placed["a"]  # the same names, however spaced
    assert where("e") == (None, "孤村")
    assert placed["f"] is None  # no village named: not placed
    assert sorted(a[2] for a in areas.values() if a[3] == "township") == sorted(["旧镇", "新镇"])
    assert len(areas) == 6 and len({a[1] for a in areas.values()}) == 6
