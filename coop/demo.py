"""The demo cooperative of the README, under the code ``wljs``.

``load_demo`` runs each domain's demo step (``coop/<domain>/demo.py``) in
the order of ``coop.domains``. Every step only flushes; the command commits once.
"""
from __future__ import annotations

from typing import Callable

from sqlalchemy import select

from coop.auth.api import Role, create_user, set_published_password
from coop.config import DEMO_PASSWORD
from coop.cooperatives.api import Cooperative, create_cooperative
from coop.domains import domain_modules
from coop.extensions import db

DEMO_CODE = "wljs"
DEMO_LOGINS = (
    ("书记（管理员）", "shuji", DEMO_PASSWORD),
    ("会计", "kuaiji", DEMO_PASSWORD),
    ("监事", "jianshi", DEMO_PASSWORD),
)


def demo_exists() -> bool:
    return db.session.scalar(select(Cooperative.id).where(Cooperative.code == DEMO_CODE)) is not None


def load_cooperative() -> Cooperative:
    coop = create_cooperative(
        DEMO_CODE,
        name="乌兰计三村股份经济合作社",
        credit_code="93150203MA0LWJ3K0L",
        village="乌兰计三村",
        town="包头市昆都仑区卜尔汉图镇",
        par_value_fen=100,
        distribution_mode="joint_stock",
        collective_target_bp=6500, collective_min_bp=6000, collective_max_bp=7000,
        villager_target_bp=3100, villager_min_bp=2600, villager_max_bp=3600,
        cadre_target_bp=400, cadre_min_bp=200, cadre_max_bp=600,
        member_cap_bp=2000, reserve_rate_bp=1000, welfare_rate_bp=500, risk_rate_bp=500,
        patronage_rate_bp=6000, guaranteed_fen_per_mu=0,
        legal_regime="collective", representative_assembly=False, notice_days=10,
    )
    names = {"shuji": "王建国", "kuaiji": "李秀英", "jianshi": "张志强"}
    roles = {"shuji": Role.ADMIN, "kuaiji": Role.ACCOUNTANT, "jianshi": Role.SUPERVISOR}
    for _, username, password in DEMO_LOGINS:
        user, _ = create_user(coop, username, names[username], roles[username].value)
        set_published_password(user, password)
    return coop


def demo_steps() -> list[Callable[[Cooperative], None]]:
    """Each domain's ``demo.load(coop)``, in the dependency order of coop.domains."""
    return [module.load for module in domain_modules("demo")]


def load_demo() -> Cooperative:
    coop = load_cooperative()
    for step in demo_steps():
        step(coop)
    db.session.flush()
    return coop
