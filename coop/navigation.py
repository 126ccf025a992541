"""The main navigation: (endpoint, label, roles), in menu order.

Entries of domains not built yet are listed with the endpoint their domain
will provide and hidden until that endpoint exists.
"""
from flask import current_app

from coop.auth.api import Role

A, ACC, SUP = Role.ADMIN.value, Role.ACCOUNTANT.value, Role.SUPERVISOR.value
STAFF = (A, ACC, SUP)

NAV_ITEMS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("cooperatives.dashboard", "首页", STAFF),
    ("members.index", "成员", STAFF),
    ("shares.structure", "股权", STAFF),
    ("machinery.orders", "农机作业", STAFF),
    ("machinery.reports", "报表", STAFF),
    ("dividends.index", "分红", STAFF),
    ("statements.index", "对账单", STAFF),
    ("governance.index", "会议", STAFF),
    ("cooperatives.charter", "章程", STAFF),
    ("auth.users", "用户", (A,)),
    ("audit.index", "审计日志", (A, SUP)),
)


def nav_for(role: str) -> list[tuple[str, str]]:
    existing = current_app.view_functions
    return [(endpoint, label) for endpoint, label, roles in NAV_ITEMS
            if role in roles and endpoint in existing]
