"""The resident ID is masked (first 4 and last 4) on every page that shows a
member, for every staff role; the exceptions are the member's own edit
form and the roster's filing with the township and the county (成员名册备案,
RCEO art 12), which carries the full IDs by law and is the secretary's only. The audit log, read by the supervisor too, keeps it masked as well.
And no member record can be deleted through the app, nor, once it has share
or ledger history, in the database."""
from __future__ import annotations

import re
from collections import Counter

from sqlalchemy import select

from coop.audit.models import AuditEntry
from coop.cooperatives.services import get_by_code
from coop.extensions import db
from coop.idcodes import mask_resident_id
from coop.members.models import Member
from tests.conftest_members import make_id

DEMO_PASSWORD = "wljs2023"
START = ("/", "/members/", "/members/?q=zs", "/members/households", "/shares/",
         "/shares/register", "/shares/holdings", "/shares/certificates", "/machinery/orders",
         "/machinery/receivables", "/machinery/clients", "/machinery/reports", "/audit/")
FOLLOW = ("/members/", "/membership/", "/shares", "/machinery", "/audit")
SKIP = ("export", ".xlsx", ".csv", "template", "logout", "/static/")
EDIT = re.compile(r"^/members/(\d+)/edit$")
FILING = re.compile(r"^/membership/rosters/\d+/filing$")


def _crawl(client, per_kind: int = 3) -> dict[str, str]:
    """GET pages reachable from START inside FOLLOW, at most ``per_kind`` of each
    URL shape (digits folded), and return url -> HTML."""
    pages: dict[str, str] = {}
    kinds: Counter[str] = Counter()
    queue = list(START)
    while queue:
        url = queue.pop(0)
        shape = re.sub(r"\d+", "N", url.split("?")[0])
        if url in pages or kinds[shape] >= per_kind:
            continue
        kinds[shape] += 1
        resp = client.get(url)
        if resp.status_code != 200 or not resp.mimetype.startswith("text/html"):
            pages[url] = ""
            continue
        html = resp.get_data(as_text=True)
        pages[url] = html
        for href in re.findall(r'href="(/[^"#]*)"', html):
            href = href.replace("&amp;", "&")
            if href.startswith(FOLLOW) and not any(s in href for s in SKIP):
                queue.append(href)
    return pages


def test_no_page_shows_a_full_id_except_the_edit_form(app, client, auth, demo):
    with app.app_context():
        ids = dict(db.session.execute(select(Member.id, Member.id_number).where(
            Member.cooperative_id == get_by_code(demo).id, Member.id_number.is_not(None))).all())
    assert len(ids) > 200
    for user in ("shuji", "jianshi", "kuaiji"):
        auth.login(user, DEMO_PASSWORD, coop=demo)
        pages = _crawl(client)
        shapes = {re.sub(r"\d+", "N", u.split("?")[0]) for u, html in pages.items() if html}
        # the crawl reached the member, share and machinery pages that show members
        assert {"/members/N", "/members/households/N", "/shares/members/N",
                "/shares/certificates/N", "/shares/entries/N", "/machinery/orders/N"} <= shapes
        shown_masked = 0
        for url, html in pages.items():
            if FILING.match(url):
                assert user == "shuji" or not html, f"{user}: {url} is the secretary's"
                continue
            edit = EDIT.match(url)
            own = ids.get(int(edit.group(1))) if edit else None
            leaked = [n for n in ids.values() if n in html and n != own]
            assert not leaked, f"{user}: {url} shows a full resident ID"
            shown_masked += sum(mask_resident_id(n) in html for n in ids.values())
        assert shown_masked > 100
        auth.logout()


def test_the_edit_form_is_the_one_place_with_the_full_id(app, client, auth, staff,
                                                         create_member):
    member = create_member("t1", id_number=make_id(7))
    auth.login("admin")
    assert f'value="{make_id(7)}"' in client.get(f"/members/{member}/edit").get_data(as_text=True)
    for path in (f"/members/{member}", "/members/", f"/shares/certificates/{member}",
                 f"/members/households/H0001"):
        html = client.get(path).get_data(as_text=True)
        assert make_id(7) not in html and mask_resident_id(make_id(7)) in html, path
    assert make_id(7) not in client.get(f"/shares/members/{member}").get_data(as_text=True)


def test_audit_log_keeps_the_id_masked(app, client, auth, staff):
    auth.login("admin")
    resp = client.post("/members/", data={
        "member_no": "CY0100", "name": "吕志强", "kind": "villager", "household_no": "03001",
        "village_group": "三组", "id_number": make_id(100), "phone": "13912345678",
        "joined_on": "2023-04-01"})
    assert resp.status_code == 302
    with app.app_context():
        member = db.session.scalar(select(Member).where(Member.member_no == "CY0100"))
        member_id, version = member.id, member.version
    resp = client.post(f"/members/{member_id}", data={
        "member_no": "CY0100", "name": "吕志强", "kind": "villager", "household_no": "03001",
        "village_group": "三组", "id_number": make_id(101), "phone": "13912345678",
        "joined_on": "2023-04-01", "version": str(version)})
    assert resp.status_code == 302
    with app.app_context():
        entries = db.session.scalars(select(AuditEntry).where(
            AuditEntry.record_type == "members").order_by(AuditEntry.id)).all()
        assert [e.action for e in entries] == ["create", "update"]
        assert entries[0].after["id_number"] == mask_resident_id(make_id(100))
        assert entries[0].after["id_tail"] == "***"
        assert entries[1].before["id_number"] == mask_resident_id(make_id(100))
        assert entries[1].after["id_number"] == mask_resident_id(make_id(101))
    for role in ("admin", "supervisor"):
        auth.logout()
        auth.login(role)
        html = client.get("/audit/").get_data(as_text=True)
        assert "吕志强" in html and mask_resident_id(make_id(101)) in html
        assert make_id(100) not in html and make_id(101) not in html


def test_no_route_deletes_a_member(app):
    """Members are withdrawn or deceased, never deleted: no route of the members
    blueprint deletes, and nothing else in the app names a member deletion."""
    rules = [r for r in app.url_map.iter_rules() if r.endpoint.startswith("members.")]
    assert rules
    assert not [r for r in rules if "DELETE" in r.methods or "delete" in r.rule
                or "delete" in r.endpoint]
    assert not [r for r in app.url_map.iter_rules()
                if "member" in r.rule and ("delete" in r.rule or "DELETE" in r.methods)]


def _try_delete(app, member_id: int) -> bool:
    """Delete the member row directly (as a future careless change might);
    True when the database refused it."""
    from sqlalchemy.exc import IntegrityError

    with app.app_context():
        db.session.delete(db.session.get(Member, member_id))
        try:
            db.session.flush()
        except IntegrityError:
            db.session.rollback()
            return True
        db.session.rollback()
        return False


def test_the_database_refuses_to_delete_a_member_with_history(app, share_world):
    """Beyond the app having no delete: a member with share entries or service
    orders is protected by the foreign keys (no cascade), on SQLite and PostgreSQL."""
    from datetime import date

    from coop.machinery.orders import OrderInput, create_order

    with app.app_context():
        ids = dict(db.session.execute(select(Member.member_no, Member.id)).all())
        coop_id = get_by_code(share_world.code).id
        create_order(coop_id, OrderInput(
            service_on=date(2024, 5, 3), client_ref=f"m:{ids['V003']}", service="sowing",
            area_cmu=1000, unit_price_fen=2500))
        db.session.commit()
    assert _try_delete(app, ids["V001"])   # holds shares
    assert _try_delete(app, ids["V003"])   # has a service order
    assert not _try_delete(app, ids["V005"])  # no history: only the app's rules keep it
