"""How the one guard loads a record (``coop.tenancy``): only to its own
cooperative, the session's own object while it has one (read again once
expired), none once deleted, and one statement built for each model."""
from __future__ import annotations

import pytest
from sqlalchemy import event, text

from coop.cooperatives.services import get_by_code
from coop.errors import RecordNotFound
from coop.extensions import db
from coop.machinery.models import OutsideClient
from coop.members.models import Member
from coop.tenancy import _by_id, find_owned, get_owned


@pytest.fixture
def statements(app):
    """The SQL statements run while the test runs."""
    seen: list[str] = []
    with app.app_context():
        engine = db.engine

    def catch(_conn, _cursor, statement, *_args):
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", catch)
    yield seen
    event.remove(engine, "before_cursor_execute", catch)


def test_a_record_is_handed_only_to_its_own_cooperative(app, mach, create_coop):
    with app.app_context():
        other = get_by_code(create_coop()).id
        assert find_owned(Member, mach.zhang, mach.coop_id).name == "张三"
        assert find_owned(Member, str(mach.zhang), mach.coop_id).name == "张三"
        assert find_owned(Member, mach.zhang, other) is None
        assert find_owned(Member, mach.zhang, None) is None
        for bad in (None, "", "abc", "0", 0, -1, True, 2**63, "1e3", " 5", 5.0, [5]):
            assert find_owned(Member, bad, mach.coop_id) is None, bad
        with pytest.raises(RecordNotFound):
            get_owned(Member, 999_999, mach.coop_id)
        with pytest.raises(RecordNotFound):
            get_owned(Member, mach.zhang, other)


def test_the_sessions_own_record_is_handed_out_without_a_query_and_read_again_once_expired(
        app, mach, statements):
    with app.app_context():
        member = find_owned(Member, mach.zhang, mach.coop_id)
        statements.clear()
        assert find_owned(Member, mach.zhang, mach.coop_id) is member
        assert statements == []
        with db.engine.begin() as conn:  # another request renames the member
            conn.execute(text("UPDATE members SET name = '张三丰' WHERE id = :id"), {"id": mach.zhang})
        db.session.commit()  # the request's end: everything it holds expires
        statements.clear()
        again = find_owned(Member, mach.zhang, mach.coop_id)
        assert again is member and again.name == "张三丰"
        assert len(statements) == 1


def test_a_deleted_record_is_not_found(app, mach):
    with app.app_context():
        client = find_owned(OutsideClient, mach.company, mach.coop_id)
        assert client is not None
        with db.engine.begin() as conn:  # deleted elsewhere while this session holds it
            conn.execute(text("DELETE FROM outside_clients WHERE id = :id"), {"id": mach.company})
        db.session.commit()
        assert find_owned(OutsideClient, mach.company, mach.coop_id) is None
        village = find_owned(OutsideClient, mach.village, mach.coop_id)
        db.session.delete(village)
        db.session.flush()
        assert find_owned(OutsideClient, mach.village, mach.coop_id) is None
        db.session.rollback()
        assert find_owned(OutsideClient, mach.village, mach.coop_id).name == "哈业胡同村"


def test_each_model_builds_its_statement_once(app, mach):
    _by_id.cache_clear()
    with app.app_context():
        names = [find_owned(Member, member_id, mach.coop_id).name
                 for member_id in (mach.zhang, mach.li)]
        db.session.expunge_all()
        names += [find_owned(Member, member_id, mach.coop_id).name
                  for member_id in (mach.li, mach.zhang)]
        assert names == ["张三", "李四", "李四", "张三"]
        assert _by_id.cache_info().misses == 1 and _by_id.cache_info().hits == 3
        assert find_owned(OutsideClient, mach.village, mach.coop_id).name == "哈业胡同村"
        assert _by_id.cache_info().misses == 2
