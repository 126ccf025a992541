"""Role table of the distribution plans (see tests/test_roles.py).

Secretary (admin) and accountant compute drafts and record payments; the
supervisor reviews a draft (signs it off or returns it); only the secretary
discloses it to the members, publishes and starts a new version (the vote is
the meeting's, on the meetings pages); the accountant reads the rest. Members get 403 (their dividends are in the portal).
"""
from tests.roles import STAFF

READ = {r: 200 for r in STAFF}
WRITERS = ("admin", "accountant")

ROLE_TABLE = {
    "dividends.index": ("GET", "/dividends/", READ),
    "dividends.detail": ("GET", "/dividends/{plan_id}", READ),
    "dividends.line": ("GET", "/dividends/{plan_id}/lines/{line_id}", READ),
    "dividends.compare": ("GET", "/dividends/compare?a={plan_id}&b={plan_id}", READ),
    "dividends.notice": ("GET", "/dividends/{plan_id}/notice", {r: 302 for r in STAFF}),  # a draft
    "dividends.disclosure": ("GET", "/dividends/{plan_id}/disclosure",
                             {r: 302 for r in STAFF}),  # not disclosed
    "dividends.export_csv": ("GET", "/dividends/{plan_id}/export.csv", READ),
    "dividends.export_xlsx": ("GET", "/dividends/{plan_id}/export.xlsx", READ),
    "dividends.bank_list": ("GET", "/dividends/{plan_id}/bank-list.xlsx", {"admin": 302}),  # a draft
    # an empty form: the year is missing / the year is still open / the plan is a draft
    "dividends.compute": ("POST", "/dividends/compute", {r: 422 for r in WRITERS}),
    # the plan's own steps: no version of the plan in the form (409)
    "dividends.change_record_date": ("POST", "/dividends/{plan_id}/record-date",
                                     {r: 409 for r in WRITERS}),
    "dividends.recompute": ("POST", "/dividends/{plan_id}/recompute", {r: 409 for r in WRITERS}),
    "dividends.review": ("POST", "/dividends/{plan_id}/review", {"supervisor": 409}),
    "dividends.return_plan": ("POST", "/dividends/{plan_id}/return", {"supervisor": 409}),
    "dividends.disclose": ("POST", "/dividends/{plan_id}/disclose", {"admin": 409}),
    "dividends.publish": ("POST", "/dividends/{plan_id}/publish", {"admin": 409}),
    "dividends.pay_all": ("POST", "/dividends/{plan_id}/pay", {r: 422 for r in WRITERS}),
    "dividends.pay_line": ("POST", "/dividends/{plan_id}/lines/{line_id}/pay",
                           {r: 422 for r in WRITERS}),
    "dividends.new_version": ("POST", "/dividends/{plan_id}/new-version", {"admin": 302}),
}


def role_fixture(app) -> dict:
    """A 2024 draft of cooperative t1 (a preview: nothing closed) with one line."""
    from coop.cooperatives.services import get_by_code
    from coop.dividends.models import DividendLine
    from coop.dividends.compute import compute_plan
    from coop.extensions import db
    from coop.members.models import Member

    with app.app_context():
        coop = get_by_code("t1")
        member = Member(cooperative_id=coop.id, member_no="R001", name="角色测试", kind="villager")
        db.session.add(member)
        plan = compute_plan(coop, 2024)
        line = DividendLine(plan_id=plan.id, member_id=member.id, member_no="R001",
                            name="角色测试", kind="villager", share_class="villager",
                            shares=1, weight=1, total_fen=100, capital_fen=100)
        db.session.add(line)
        db.session.commit()
        return {"plan_id": plan.id, "line_id": line.id}
