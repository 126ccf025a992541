"""An edit must carry the version of the record it was loaded from (issue
17): without it, or with one that is not a whole number, the lost-update
check could not run, so the save is refused (409, in Chinese) and nothing
changes. The same submission with the record's version is saved: only the
version was wrong. One mechanism serves every edit route
(coop.forms.VersionedForm, answered by coop.web)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any, Callable

import pytest

from coop.extensions import db
from tests.conftest_dividends import YEAR
from tests.test_charter import GOOD
from tests.test_machinery_views import order_data

def _resident_id(n: int) -> str:
    from coop.idcodes import resident_id_check_char

    first17 = f"15020319800101{n:03d}"
    return first17 + resident_id_check_char(first17)


def _errors(html: str) -> str:
    """The messages shown on the page, to say why a save was refused."""
    found = re.findall(r'class="[^"]*error[^"]*"[^>]*>(.*?)</', html, flags=re.S)
    return " | ".join(re.sub(r"<[^>]+>", "", f).strip() for f in found if f.strip())[:300]


MESSAGE = "保存未成功：提交的内容缺少此记录的版本号（或版本号无效）"
BAD_VERSIONS = {"missing": None, "empty": "", "letters": "abc", "decimal": "1.5",
                "negative": "-1", "full-width": "１", "huge": "9" * 40}


@dataclass
class Edit:
    """One edit route: who posts, where, what, and the record's version."""

    role: str
    url: Callable[[Any], str]
    data: Callable[[Any], dict[str, str]]
    version: Callable[[Any], int]
    ok: int = 302
    changes: bool = True  # a recompute of an unchanged ledger changes nothing


def _version(model_path: str, record_id: Callable[[Any], int]) -> Callable[[Any], int]:
    def read(w) -> int:
        module, name = model_path.rsplit(".", 1)
        model = getattr(__import__(module, fromlist=[name]), name)
        with w.app.app_context():
            return db.session.get(model, record_id(w)).version
    return read


def _coop_id(w) -> int:
    return w.coop_id()


def _draft(w) -> int:
    from coop.dividends import compute

    if "draft" not in w.ids:
        w.close()
        w.ids["draft"] = w.call(compute.compute_plan, YEAR)
    return w.ids["draft"]


def _approved(w) -> int:
    plan_id = _draft(w)
    if w.plan(plan_id)["status"] == "draft":
        w.approve(plan_id)
    return plan_id


def _reviewed(w) -> int:
    from coop.dividends import approval

    plan_id = _draft(w)
    if w.plan(plan_id)["reviewed_at"] is None:
        w.with_plan(plan_id, approval.review_plan, note="同意", user_id=None)
    return plan_id


def _today() -> str:
    from coop import clock

    return clock.today().isoformat()


def _status_change(w) -> int:
    """V003 recorded as deceased on the member page (a specialized cooperative): the change to reverse."""
    from sqlalchemy import select

    from coop.members.api import Member, MemberStatusChange, change_status

    if "status_change" not in w.ids:
        _specialized(w, "")
        with w.app.app_context():
            member = db.session.get(Member, w.ids["V003"])
            change_status(member, "deceased", date(YEAR + 1, 3, 1))
            db.session.commit()
            w.ids["status_change"] = db.session.scalar(
                select(MemberStatusChange.id).where(MemberStatusChange.member_id == member.id))
    return w.ids["status_change"]


def _order(w) -> int:
    if "order" not in w.ids:
        w.ids["order"] = w.mach.ledger.order(date(2025, 3, 1), f"c:{w.mach.village}",
                                             area_cmu=1235)
    return w.ids["order"]


MEMBER = {"member_no": "V001", "name": "村民一号", "kind": "villager", "household_no": "H1",
          "village_group": "", "id_number": _resident_id(11), "phone": "", "joined_on": "2023-01-01"}
MACHINE = {"name": "约翰迪尔拖拉机", "category": "tractor", "model": "JD-1504",
           "plate": "蒙B·12345", "acquired_on": "2024-12-10", "original_value_fen": "120,000",
           "source": "collective_in_kind", "useful_life_months": "120", "salvage_rate_bp": "5",
           "status": "in_service", "note": ""}
PLAN = "coop.dividends.models.DividendPlan"

EDITS = {
    "cooperatives.charter_save": Edit(
        "admin", lambda w: "/charter", lambda w: {**GOOD, "reserve_rate_bp": "12"},
        _version("coop.cooperatives.models.Cooperative", _coop_id)),
    "members.update": Edit(
        "admin", lambda w: f"/members/{w.ids['V001']}", lambda w: MEMBER,
        _version("coop.members.models.Member", lambda w: w.ids["V001"])),
    "members.change_status": Edit(
        "admin", lambda w: _specialized(w, f"/members/{w.ids['V003']}/status"),
        lambda w: {"status": "withdrawn", "on_date": "2025-03-01"},
        _version("coop.members.models.Member", lambda w: w.ids["V003"])),
    "members.reverse_status": Edit(
        "admin", lambda w: f"/members/{w.ids['V003']}/status/{_status_change(w)}/reverse",
        lambda w: {"reason": "误登记为已故"},
        _version("coop.members.models.MemberStatusChange", _status_change)),
    "machinery.order_update": Edit(
        "accountant", lambda w: f"/machinery/orders/{_order(w)}",
        lambda w: order_data(w.mach, service_on="2025-03-01", area_cmu="20.00"),
        _version("coop.machinery.models.ServiceOrder", _order)),
    "machinery.machine_update": Edit(
        "accountant", lambda w: f"/machinery/machines/{w.mach.machine}", lambda w: MACHINE,
        _version("coop.machinery.models.Machine", lambda w: w.mach.machine)),
    "machinery.client_update": Edit(
        "accountant", lambda w: f"/machinery/clients/{w.mach.village}",
        lambda w: {"kind": "village", "name": "哈业胡同新村", "contact_person": "王主任",
                   "phone": "13800000001", "address": "", "note": "", "is_active": "y"},
        _version("coop.machinery.models.OutsideClient", lambda w: w.mach.village)),
    "dividends.change_record_date": Edit(
        "accountant", lambda w: f"/dividends/{_draft(w)}/record-date",
        lambda w: {"record_date": "2024-06-30"}, _version(PLAN, _draft)),
    "dividends.recompute": Edit(
        "accountant", lambda w: f"/dividends/{_draft(w)}/recompute", lambda w: {},
        _version(PLAN, _draft), changes=False),
    "dividends.review": Edit(
        "supervisor", lambda w: f"/dividends/{_draft(w)}/review", lambda w: {"note": "同意"},
        _version(PLAN, _draft)),
    "dividends.return_plan": Edit(
        "supervisor", lambda w: f"/dividends/{_draft(w)}/return",
        lambda w: {"reason": "公积金比例有误"}, _version(PLAN, _draft)),
    "dividends.disclose": Edit(
        "admin", lambda w: f"/dividends/{_reviewed(w)}/disclose",
        lambda w: {"disclosed_on": _today()}, _version(PLAN, _reviewed)),
    "dividends.publish": Edit(
        "admin", lambda w: f"/dividends/{_approved(w)}/publish",
        lambda w: {"notice_start": "2025-03-02", "notice_days": "7"}, _version(PLAN, _approved)),
}


def _meeting(w) -> int:
    """A planned meeting of the world's cooperative (convened on first use)."""
    if getattr(w, "meeting_id", None) is None:
        from coop.governance.meetings import ItemSpec, convene_meeting

        with w.app.app_context():
            meeting = convene_meeting(w.coop_id(), regime="collective", body="assembly",
                                      title="成员大会", meeting_on=date(YEAR + 1, 4, 1), place="村委会",
                                      convened_by="理事会", notice_on=date(YEAR + 1, 3, 2),
                                      items=[ItemSpec("other", "村道硬化")])
            db.session.commit()
            w.meeting_id = meeting.id
    return w.meeting_id


def _specialized(w, url: str) -> str:
    """``url``, the cooperative made a specialized one first: under the RCEO
    a member's status changes only through a confirmed membership event."""
    from coop.cooperatives.models import Cooperative

    with w.app.app_context():
        db.session.get(Cooperative, w.coop_id()).legal_regime = "specialized"
        db.session.commit()
    return url


def _event(w) -> int:
    """A pending marriage-in (flagged for the art 8 review) in the world's cooperative."""
    if getattr(w, "event_id", None) is None:
        from coop.cooperatives.models import Cooperative
        from coop.members.models import Member
        from coop.membership.events import Person, record_gain

        with w.app.app_context():
            spouse = db.session.get(Member, w.ids["V001"])
            event = record_gain(db.session.get(Cooperative, w.coop_id()), reason="marriage_in",
                                occurs_on=date(YEAR, 10, 1), relative_no=spouse.member_no,
                                person=Person(name="刘桂兰", id_number="150203199808080028"))
            db.session.commit()
            w.event_id = event.id
    return w.event_id


EVENT = "coop.membership.models.MembershipEvent"
EDITS.update({
    "membership.cancel": Edit(
        "admin", lambda w: f"/membership/events/{_event(w)}/cancel", lambda w: {},
        _version(EVENT, _event)),
    "membership.review": Edit(
        "supervisor", lambda w: f"/membership/events/{_event(w)}/review",
        lambda w: {"review_note": "婚入本村，未损害其权益"}, _version(EVENT, _event)),
    "membership.evidence": Edit(
        "admin", lambda w: f"/membership/events/{_event(w)}/evidence",
        lambda w: {"doc_type": "结婚证", "doc_no": "J2025-1"}, _version(EVENT, _event)),
})

def _child_id(n: int) -> str:
    from coop.idcodes import resident_id_check_char

    first17 = f"15020320250105{n:03d}"
    return first17 + resident_id_check_char(first17)


def _birth(w, key: str, id_number: str) -> int:
    """A pending birth (no art 8 review needed) in the world's cooperative."""
    if key not in w.ids:
        from coop.cooperatives.models import Cooperative
        from coop.members.models import Member
        from coop.membership.events import Person, record_gain

        with w.app.app_context():
            parent = db.session.get(Member, w.ids["V001"])
            event = record_gain(db.session.get(Cooperative, w.coop_id()), reason="birth",
                                occurs_on=date(YEAR + 1, 1, 5), relative_no=parent.member_no,
                                person=Person(name="新生儿", id_number=id_number))
            db.session.commit()
            w.ids[key] = event.id
    return w.ids[key]


def _list(w, key: str, *, noticed: bool = False) -> int:
    """A confirmation list of one birth: a draft, or on notice from today."""
    if key not in w.ids:
        from coop import clock
        from coop.membership import lists

        event_id = _birth(w, f"{key}-birth", _child_id(3 if noticed else 5))
        with w.app.app_context():
            lst = lists.create_list(w.coop_id(), [event_id])
            if noticed:
                lists.publish(lst, notice_start=clock.today(), notice_days=7)
            db.session.commit()
            w.ids[key] = lst.id
    return w.ids[key]


def _roster(w) -> int:
    if "roster" not in w.ids:
        from coop.membership import rosters

        with w.app.app_context():
            version = rosters.make_first_version(w.coop_id())
            db.session.commit()
            w.ids["roster"] = version.id
    return w.ids["roster"]


def _dispute(w) -> int:
    if "dispute" not in w.ids:
        from coop.members.models import Member
        from coop.membership import disputes

        with w.app.app_context():
            dispute = disputes.open_dispute(
                w.coop_id(), member=db.session.get(Member, w.ids["V002"]), claimant="",
                claim="要求确认其成员身份", opened_on=date(YEAR + 1, 2, 1))
            db.session.commit()
            w.ids["dispute"] = dispute.id
    return w.ids["dispute"]


LIST = "coop.membership.models.ConfirmationList"
EDITS.update({
    "membership.add_list_events": Edit(
        "admin", lambda w: f"/membership/lists/{_list(w, 'draft-list')}/events",
        lambda w: {"event_ids": str(_birth(w, "second-birth", _child_id(7)))},
        _version(LIST, lambda w: _list(w, "draft-list"))),
    "membership.remove_list_event": Edit(
        "admin", lambda w: (f"/membership/lists/{_list(w, 'draft-list')}/events/"
                            f"{w.ids['draft-list-birth']}/remove"),
        lambda w: {}, _version(LIST, lambda w: _list(w, "draft-list"))),
    "membership.withdraw_list": Edit(
        "admin", lambda w: f"/membership/lists/{_list(w, 'noticed-list', noticed=True)}/withdraw",
        lambda w: {}, _version(LIST, lambda w: _list(w, "noticed-list", noticed=True))),
    "membership.record_filing": Edit(
        "admin", lambda w: f"/membership/rosters/{_roster(w)}/filing",
        lambda w: {"filed_on": _today(), "filed_with": "某某镇人民政府", "receipt_no": "BA-1"},
        _version("coop.membership.models.RosterVersion", _roster)),
    "membership.close_dispute": Edit(
        "admin", lambda w: f"/membership/disputes/{_dispute(w)}/close",
        lambda w: {"outcome": "经乡镇调解，确认其成员身份", "closed_on": _today()},
        _version("coop.membership.models.Dispute", _dispute)),
})

MEETING = "coop.governance.models.Meeting"
EDITS.update({
    "governance.minutes": Edit(
        "admin", lambda w: f"/meetings/{_meeting(w)}/minutes", lambda w: {"minutes": "书记主持。"},
        _version(MEETING, _meeting)),
    "governance.cancel": Edit(
        "admin", lambda w: f"/meetings/{_meeting(w)}/cancel", lambda w: {},
        _version(MEETING, _meeting)),
})


@pytest.fixture
def world(mach, div_world, set_clock):
    """The ledger of ``mach`` and the register of ``div_world`` in one
    cooperative, on 2 March 2025 (the day the plan's notice starts)."""
    set_clock(date(YEAR + 1, 3, 2))
    div_world.mach = mach
    return div_world


def test_every_edit_route_is_covered(app):
    """Each form that carries a version is posted by one of the routes above."""
    from coop.forms import VersionedForm

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    forms = {cls.__name__ for cls in subclasses(VersionedForm)
             if cls.__module__.startswith("coop.")}  # not the tests' own forms
    assert forms == {"CharterForm", "MemberEditForm", "StatusForm", "OrderEditForm",
                     "MachineEditForm", "ClientEditForm", "RecordDateForm", "ReviewForm",
                     "ReturnForm", "DiscloseForm",
                     "PublishForm", "MinutesForm", "CancelForm", "AttendanceForm", "VoteForm",
                     "TallyForm", "DecideForm", "EvidenceForm",
                     "AddEventsForm", "ListActionForm", "FilingForm", "CloseDisputeForm",
                     "ReverseStatusForm"}
    assert set(EDITS) <= set(app.view_functions)


@pytest.mark.parametrize("endpoint", EDITS)
def test_an_edit_without_its_version_is_refused(client, auth, world, fingerprint, endpoint):
    edit = EDITS[endpoint]
    url, data = edit.url(world), edit.data(world)
    auth.login(edit.role)
    before = fingerprint()
    for name, version in BAD_VERSIONS.items():
        sent = data if version is None else {**data, "version": version}
        for headers in ({}, {"HX-Request": "true"}):
            resp = client.post(url, data=sent, headers=headers)
            assert resp.status_code == 409, (name, headers, resp.status_code)
            assert MESSAGE in resp.get_data(as_text=True), name
    assert fingerprint() == before
    resp = client.post(url, data={**data, "version": str(edit.version(world))})
    assert resp.status_code == edit.ok, _errors(resp.get_data(as_text=True))
    if edit.changes:
        assert fingerprint() != before
