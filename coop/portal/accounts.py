"""A member's own account on /me/account (成员账户, 农民专业合作社法第四十三条):
capital, reserve share, grants share and business with the cooperative, year
by year, phone first. Read from the logged-in member's record only."""
from __future__ import annotations

from typing import Any

from flask import Response
from flask_login import current_user

from coop.accounts.api import NOT_KEPT, keeps_accounts, member_account
from coop.auth.api import MEMBER, current_coop, roles_required
from coop.cooperatives.api import words_for
from coop.portal.services import own_member
from coop.web import render


@roles_required(*MEMBER)
def account() -> Response:
    member = own_member(current_user)
    coop = current_coop()
    if not keeps_accounts(coop):
        return render("portal/account.html", member=member, coop=coop, message=NOT_KEPT)
    return render("portal/account.html", member=member, coop=coop,
                  account=member_account(member))


def nav_context() -> dict[str, Any]:
    """Whether the members' menu shows 我的账户 (specialized cooperatives
    only), and whom a member turns to (``office_holder``)."""
    coop = current_coop()
    words = coop.words if coop is not None else words_for(None)
    return {"portal_nav": [("portal.home", "首页"), ("portal.membership", "成员身份"),
                           ("portal.holdings", "我的股份"), ("portal.dividends", words.dividends_label),
                           ("portal.statement_list", "对账单"), ("portal.notice", words.notice_label),
                           ("portal.disclosures", "财务公开"), ("portal.meetings", "会议")],
            "member_accounts": bool(coop is not None and keeps_accounts(coop)),
            "office_holder": coop.office_holder if coop is not None else "村书记"}
