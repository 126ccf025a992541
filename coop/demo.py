"""The demo cooperatives of the README.

``wljs`` (乌兰计三村股份经济合作社), the reference: a rural collective economic
organization distributing by shares. ``hxnj`` (土默特右旗红星农机专业合作社): a
farmers' specialized cooperative distributing mainly by the members'
transactions, so that the specialized mode can be seen.

``load_demo`` runs each domain's demo step (``coop/<domain>/demo.py``) for
wljs, ``load_fsc_demo`` each domain's ``demo_fsc.py`` for hxnj, in the order
of ``coop.domains``. Every step only flushes; the command commits once.
"""
from __future__ import annotations

from dataclasses import dataclass
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
FSC_CODE = "hxnj"
FSC_LOGINS = (
    ("书记兼理事长（管理员）", "hx-shuji", DEMO_PASSWORD),
    ("会计", "hx-kuaiji", DEMO_PASSWORD),
    ("监事", "hx-jianshi", DEMO_PASSWORD),
)


@dataclass(frozen=True)
class Demo:
    """One demo cooperative: its code, how it is loaded, the staff logins and
    the member login the README names."""

    code: str
    load: Callable[[], Cooperative]
    logins: tuple[tuple[str, str, str], ...]
    member_login: str


def demo_exists(code: str = DEMO_CODE) -> bool:
    return db.session.scalar(select(Cooperative.id).where(Cooperative.code == code)) is not None


def _staff(coop: Cooperative, logins: tuple[tuple[str, str, str], ...],
           names: tuple[str, str, str]) -> None:
    """The secretary, the accountant and the supervisor, in that order."""
    for (_, username, password), name, role in zip(
            logins, names, (Role.ADMIN, Role.ACCOUNTANT, Role.SUPERVISOR)):
        user, _ = create_user(coop, username, name, role.value)
        set_published_password(user, password)


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
        outside_village_word="外嘎查村",
    )
    _staff(coop, DEMO_LOGINS, ("王建国", "李秀英", "张志强"))
    return coop


def load_fsc_cooperative() -> Cooperative:
    """hxnj under the Farmers' Specialized Cooperatives Law: the collective
    about a fifth of the capital, farmers the rest (no cadre capital), the
    reserve 10 %, no welfare or risk fund (the law has none), patronage at
    least 60 %, notice 15 days (the disclosure of art 40), extra votes by
    capital (art 22): one for each full 30,000 yuan above the first 30,000,
    at most 2 a member, all together at most 20 % of the basic votes."""
    coop = create_cooperative(
        FSC_CODE,
        name="土默特右旗红星农机专业合作社",
        credit_code="93150221MA13HX8N7G",
        village="红星村",
        town="包头市土默特右旗萨拉齐镇",
        par_value_fen=100,
        distribution_mode="specialized",
        collective_target_bp=2000, collective_min_bp=1200, collective_max_bp=2600,
        villager_target_bp=8000, villager_min_bp=7400, villager_max_bp=8800,
        cadre_target_bp=0, cadre_min_bp=0, cadre_max_bp=0,
        member_cap_bp=2500, reserve_rate_bp=1000, welfare_rate_bp=0, risk_rate_bp=0,
        patronage_rate_bp=6000, guaranteed_fen_per_mu=0,
        legal_regime="specialized", representative_assembly=False, notice_days=15,
        extra_votes_allowed=True, extra_votes_cap_bp=2000, extra_votes_basis="capital",
        extra_votes_capital_threshold_fen=30_000_00, extra_votes_capital_step_fen=30_000_00,
        extra_votes_member_max=2,
    )
    _staff(coop, FSC_LOGINS, ("赵振华", "刘桂芳", "郝建民"))
    return coop


def demo_steps(kind: str = "demo") -> list[Callable[[Cooperative], None]]:
    """Each domain's ``<kind>.load(coop)`` (``demo`` for wljs, ``demo_fsc`` for
    hxnj), in the dependency order of coop.domains."""
    return [module.load for module in domain_modules(kind)]


def _load(coop: Cooperative, kind: str) -> Cooperative:
    for step in demo_steps(kind):
        step(coop)
    db.session.flush()
    return coop


def load_demo() -> Cooperative:
    return _load(load_cooperative(), "demo")


def load_fsc_demo() -> Cooperative:
    return _load(load_fsc_cooperative(), "demo_fsc")


DEMOS = (
    Demo(DEMO_CODE, load_demo, DEMO_LOGINS, "CY0003"),
    Demo(FSC_CODE, load_fsc_demo, FSC_LOGINS, "HX004"),
)
