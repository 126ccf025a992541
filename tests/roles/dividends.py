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
    # making the bank list records it (a batch): a POST; a draft's is refused on its page
    "dividends.bank_list": ("POST", "/dividends/{plan_id}/bank-list.xlsx", {"admin": 302, "accountant": 302}),
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
    # the payments' reversal and the payment by a bank list: who pays; an empty form
    # (no reason / a draft plan) is refused in its block
    "dividends.reverse_line": ("POST", "/dividends/{plan_id}/lines/{line_id}/reverse",
                               {r: 422 for r in WRITERS}),
    "dividends.reverse_batch": ("POST", "/dividends/{plan_id}/payments/{batch_id}/reverse",
                                {r: 422 for r in WRITERS}),
    "dividends.pay_bank_list": ("POST", "/dividends/{plan_id}/payments/{batch_id}/pay",
                                {r: 422 for r in WRITERS}),
}


def role_fixture(app) -> dict:
    """A 2024 draft of cooperative t1 (a preview: nothing closed) with one line,
    and a bank list of it (a payment batch)."""
    from coop.cooperatives.services import get_by_code
    from coop.dividends.models import DividendLine, PaymentBatch
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
        batch = PaymentBatch(cooperative_id=coop.id, plan_id=plan.id, number=1, kind="bank",
                             line_count=1, cash_fen=100)
        db.session.add_all([line, batch])
        db.session.commit()
        return {"plan_id": plan.id, "line_id": line.id, "batch_id": batch.id}
