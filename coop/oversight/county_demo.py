"""The demo county (issue 20): 包头市演示县 with two townships, the demo
cooperatives wljs (卜尔汉图镇) and hxnj (萨拉齐镇), three small cooperatives
spread over the two, and the overseers' logins of the README.

A small cooperative is cheap on purpose (the demo loads in seconds): the
village collective and five villagers in five households, a founding batch of
100,000 shares (the collective 65 %, the villagers 35 %), and last year's
machinery orders, two a month from April to October. Deterministic: nothing
but the current year depends on the day it is loaded. Every step flushes only;
the demo command commits once."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from coop import clock
from coop.auth.api import create_overseer, set_published_password
from coop.config import DEMO_PASSWORD
from coop.cooperatives.api import Area, AreaLevel, Cooperative, add_area, area_by_code, create_cooperative
from coop.extensions import db
from coop.idcodes import resident_id_check_char, uscc_with_check
from coop.machinery.api import OrderInput, create_order
from coop.members.api import create_member
from coop.shares.api import record_founding

COUNTY_CODE = "bt-demo"
COUNTY_NAME = "包头市演示县"
# the towns of the demo cooperatives' charters (coop.demo), each a township
TOWNSHIPS = (("bt-beh", "包头市昆都仑区卜尔汉图镇"), ("bt-slq", "包头市土默特右旗萨拉齐镇"))
FOUNDED = date(2023, 3, 15)
SURNAMES = "王李张刘杨"
GIVEN = ("建华", "秀兰", "永明", "桂英", "志刚")
SERVICES = ("ploughing", "sowing", "spraying", "harvesting", "baling")


@dataclass(frozen=True)
class SmallCoop:
    code: str
    name: str
    township: int  # index into TOWNSHIPS
    village: str


SMALL = (
    SmallCoop("hyht", "哈业胡同村股份经济合作社", 0, "哈业胡同村"),
    SmallCoop("mhd", "毛忽洞村股份经济合作社", 0, "毛忽洞村"),
    SmallCoop("dtc", "大台村股份经济合作社", 1, "大台村"),
)
# (what the login is, username, area code): printed by the demo command
LOGINS = (("县（区）农经站（监管全县）", "xian-jg", COUNTY_CODE),
          ("卜尔汉图镇经管站（监管本镇）", "beh-jg", TOWNSHIPS[0][0]))


def county_exists() -> bool:
    return area_by_code(COUNTY_CODE) is not None


def _township(county: Area, code: str, name: str) -> Area:
    """The township the demo cooperatives' charters named (made when they
    were), placed in the county under the demo's code; made when missing."""
    township = db.session.scalar(select(Area).where(
        Area.name == name, Area.level == AreaLevel.TOWNSHIP.value).order_by(Area.id).limit(1))
    if township is None:
        return add_area(code, name, AreaLevel.TOWNSHIP.value, county.code)
    township.parent_id = county.id
    if area_by_code(code) is None:
        township.code = code
    db.session.flush()
    return township


def _id_number(n: int, born: date) -> str:
    first17 = f"150203{born:%Y%m%d}{n % 1000:03d}"
    return first17 + resident_id_check_char(first17)


def _small_coop(spec: SmallCoop, number: int) -> Cooperative:
    coop = create_cooperative(spec.code, name=spec.name, credit_code=uscc_with_check(f"93150221MA{number:07d}"),
                              village=spec.village, town=TOWNSHIPS[spec.township][1])
    collective = create_member(coop, member_no="JT001", name=f"{spec.village}集体经济组织",
                               kind="collective", joined_on=FOUNDED)
    villagers = [create_member(coop, member_no=f"CY{i:04d}", name=SURNAMES[(i + number) % 5] + GIVEN[i - 1],
                               kind="villager", household_no=f"H{i:03d}", village_group="一组",
                               id_number=_id_number(number * 10 + i, date(1960 + 3 * i, i, 10 + i)),
                               joined_on=FOUNDED)
                 for i in range(1, 6)]
    rows = [dict(member_id=collective.id, share_class="collective", contribution_kind="cash",
                 effective_on=FOUNDED, amount_fen=65_000_00)]
    rows += [dict(member_id=m.id, share_class="villager", contribution_kind="cash",
                  effective_on=FOUNDED, amount_fen=7_000_00) for m in villagers]
    with clock.replaying(FOUNDED):
        record_founding(coop, list(enumerate(rows, start=1)), note="设立入股")
    year = clock.today().year - 1
    for month in range(4, 11):
        for half, member in enumerate(villagers[(month + number) % 5:][:2] or villagers[:2]):
            day = date(year, month, 8 + 12 * half)
            area_cmu = (20 + 7 * ((month * 3 + number + half) % 9)) * 100
            with clock.replaying(day):
                create_order(coop.id, OrderInput(
                    service_on=day, client_text=member.member_no,
                    service=SERVICES[(month + half) % len(SERVICES)], plot="村东",
                    area_cmu=area_cmu, unit_price_fen=4_000 + 500 * (number % 3)))
    return coop


def load_county() -> Area:
    """The county, its townships, the small cooperatives and the overseers."""
    county = add_area(COUNTY_CODE, COUNTY_NAME, AreaLevel.COUNTY.value)
    townships = [_township(county, code, name) for code, name in TOWNSHIPS]
    for number, spec in enumerate(SMALL, start=1):
        _small_coop(spec, number)
    for (what, username, code), name in zip(LOGINS, ("郭建军", "白玉兰")):
        area = county if code == COUNTY_CODE else townships[0]
        user, _ = create_overseer(area, username, name)
        set_published_password(user, DEMO_PASSWORD)
    db.session.flush()
    return county
