"""The main navigation, in menu order.

Entries of domains not built yet are listed with the endpoint their domain
will provide and hidden until that endpoint exists.
"""
from __future__ import annotations

from typing import Any, Callable, NamedTuple

from flask import current_app, request
from flask_login import current_user

from coop.accounts.api import keeps_accounts
from coop.auth.api import Role, current_coop, is_overseer


class NavItem(NamedTuple):
    endpoint: str
    label: str
    roles: tuple[str, ...]
    # shown only for a cooperative this answers True for
    shown_for: Callable[[Any], bool] | None = None
    # the label in the cooperative's words: the name of a Wording attribute
    worded: str | None = None


class NavLink(NamedTuple):
    """A menu entry as the page shows it."""

    endpoint: str
    label: str


A, ACC, SUP = Role.ADMIN.value, Role.ACCOUNTANT.value, Role.SUPERVISOR.value
STAFF = (A, ACC, SUP)


def _confirms_membership(coop: Any) -> bool:
    """A collective confirms its members by the assembly (RCEO art 12); a
    specialized cooperative's members join on the member pages and its
    membership section is the roster alone."""
    return coop is not None and coop.words.confirms_membership


def _keeps_roster_only(coop: Any) -> bool:
    return coop is not None and not coop.words.confirms_membership


NAV_ITEMS: tuple[NavItem, ...] = (
    NavItem("cooperatives.dashboard", "首页", STAFF),
    NavItem("members.index", "成员", STAFF),
    NavItem("membership.index", "成员身份", STAFF, _confirms_membership),
    NavItem("membership.rosters_index", "成员名册", STAFF, _keeps_roster_only),
    NavItem("shares.structure", "股权", STAFF),
    NavItem("machinery.orders", "农机作业", STAFF),
    NavItem("machinery.reports", "报表", STAFF),
    NavItem("accounts.index", "成员账户", STAFF, keeps_accounts),
    NavItem("dividends.index", "分红", STAFF, worded="distribution_menu"),
    NavItem("statements.index", "对账单", STAFF),
    NavItem("disclosure.index", "财务公开", STAFF),
    NavItem("governance.index", "会议", STAFF),
    NavItem("cooperatives.charter", "章程", STAFF),
    NavItem("auth.users", "用户", (A,)),
    NavItem("audit.index", "审计日志", (A, SUP)),
)


OVERVIEW = NavLink("oversight.index", "辖区总览")
OVERVIEW_BLUEPRINT = OVERVIEW.endpoint.partition(".")[0]


def menu_context() -> dict[str, Any]:
    """For every page (a context processor): the signed-in user's menu, the
    cooperative the request acts for (``acting_coop``) and its regime's
    ``words`` (a view may pass its own), and ``read_only``, true for an
    overseer, whose pages hide the write buttons (the server refuses their
    writes anyway)."""
    if not current_user.is_authenticated:
        return {"nav_items": [], "acting_coop": None, "read_only": False}
    coop = current_coop()
    words = coop.words if coop is not None else None
    if is_overseer():
        if request.blueprint == OVERVIEW_BLUEPRINT:
            # the area's own pages: not branded as the cooperative last read
            return {"nav_items": [OVERVIEW], "acting_coop": None, "read_only": True}
        # an overseer reads what the supervisor reads, in the cooperative chosen
        items = [OVERVIEW] + (nav_for(SUP, coop) if coop is not None else [])
        return {"nav_items": items, "acting_coop": coop, "read_only": True, "words": words}
    return {"nav_items": nav_for(current_user.role, coop), "acting_coop": coop, "read_only": False,
            "words": words}


def nav_for(role: str, coop: Any) -> list[NavLink]:
    existing = current_app.view_functions
    return [NavLink(item.endpoint, _label(item, coop)) for item in NAV_ITEMS
            if role in item.roles and item.endpoint in existing
            and (item.shown_for is None or item.shown_for(coop))]


def _label(item: NavItem, coop: Any) -> str:
    return getattr(coop.words, item.worded) if item.worded and coop is not None else item.label
