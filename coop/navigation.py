"""The main navigation: (endpoint, label, roles). Each domain adds its entries here."""
from coop.auth.models import Role

A, ACC, SUP = Role.ADMIN.value, Role.ACCOUNTANT.value, Role.SUPERVISOR.value
STAFF = (A, ACC, SUP)

NAV_ITEMS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("cooperatives.dashboard", "首页", STAFF),
    ("cooperatives.charter", "章程", STAFF),
    ("auth.users", "用户", (A,)),
    ("audit.index", "审计日志", (A, SUP)),
)


def nav_for(role: str) -> list[tuple[str, str]]:
    return [(endpoint, label) for endpoint, label, roles in NAV_ITEMS if role in roles]
