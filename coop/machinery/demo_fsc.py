"""The machinery ledger of hxnj, the second demo cooperative (a farmers'
specialized machinery cooperative, README "Demo cooperative hxnj").

Machines: the village collective's tractor and plough and four farmers'
machines put in at the founding (2023-11-18), a tractor bought in 2024 and a
baler formed by a state grant in 2024. Clients: the members (full custody
of some members' land and of the collective's 120 mu, single services for
the others) and outside villages, a cooperative, a company and farmers who
are not members, so that member and non-member business both run every
year. Each year also has the state's deep-loosening grant (income that is
not distributable; in 2025 a company's donation too), a rent, wages, fuel,
repairs, insurance and office costs.

As for wljs (``coop.machinery.demo``): each season comes whole from its own
seeded generator and only what is dated up to today is recorded, so 2024 and
2025 never change and the current season grows with the date. About a
hundred orders a year.
"""
from __future__ import annotations

import calendar
import random
from datetime import date

from sqlalchemy import select

from coop import clock
from coop.cooperatives.api import Cooperative
from coop.extensions import db
from coop.machinery.clients import initials
from coop.machinery.constants import (
    ClientKind,
    ExpenseKind,
    IncomeKind,
    MachineCategory as Cat,
    MachineSource as Src,
    Service,
)
from coop.machinery.demo import Season, _expense, _income, _payments, _record, _recorded
from coop.machinery.ledger import order_amount
from coop.machinery.models import Machine, OutsideClient
from coop.members.api import Member, MemberKind

Y = 100  # fen per yuan
SEED = 20231118
FOUNDED = date(2023, 11, 18)
FIRST_SEASON = 2024
COLLECTIVE_LAND_CMU = 120_00  # the collective's own land, in full custody

# (name, category, model, plate, source, value in yuan, life in months, acquired)
MACHINES = (
    ("东方红 1304 拖拉机", Cat.TRACTOR, "LX1304", "蒙B·H1304", Src.COLLECTIVE_IN_KIND, 165_000, 120,
     FOUNDED),
    ("液压翻转犁", Cat.TILLAGE, "1LFT-450", "", Src.COLLECTIVE_IN_KIND, 55_000, 96, FOUNDED),
    ("雷沃玉米收获机", Cat.HARVESTER, "4YZ-4", "蒙B·H0420", Src.MEMBER_IN_KIND, 120_000, 120,
     FOUNDED),
    ("免耕播种机", Cat.SEEDER, "2BMYF-4", "", Src.MEMBER_IN_KIND, 38_000, 96, FOUNDED),
    ("植保无人机", Cat.SPRAYER, "大疆 T30", "", Src.MEMBER_IN_KIND, 45_000, 60, FOUNDED),
    ("深松机", Cat.TILLAGE, "1S-300", "", Src.MEMBER_IN_KIND, 27_000, 96, FOUNDED),
    ("约翰迪尔 954 拖拉机", Cat.TRACTOR, "JD-954", "蒙B·H0954", Src.PURCHASED, 98_000, 120,
     date(2024, 3, 5)),
    ("秸秆捡拾打捆机", Cat.BALER, "9YFQ-2.2", "", Src.GOVERNMENT_GRANT, 86_000, 96,
     date(2024, 8, 20)),
)
NOTES = {
    Src.COLLECTIVE_IN_KIND: "红星村集体 2023 年评估作价入股",
    Src.MEMBER_IN_KIND: "成员 2023 年评估作价入股",
    Src.PURCHASED: "合作社以自有资金购置",
    Src.GOVERNMENT_GRANT: "2024 年农机社会化服务项目财政补助形成的资产，"
                          "依法平均量化到成员（《农民专业合作社法》第四十三条）",
}

# service -> (member price, market price) in yuan per mu, 2025 and after;
# 2024 is 5 yuan lower (1 yuan for spraying), custody 20 yuan dearer from 2026
PRICES = {
    Service.PLOUGHING: (40, 50),
    Service.DEEP_LOOSENING: (35, 45),
    Service.SOWING: (25, 35),
    Service.SPRAYING: (8, 12),
    Service.HARVESTING: (70, 90),
    Service.BALING: (25, 35),
    Service.FULL_CUSTODY: (400, 480),
}
# (service, months, orders by members a year, by outside clients, mu for members, for others)
SEASON = (
    (Service.DEEP_LOOSENING, (4,), 7, 4, (20, 60), (100, 300)),
    (Service.PLOUGHING, (4, 5), 10, 5, (15, 60), (80, 260)),
    (Service.SOWING, (5,), 10, 4, (15, 60), (80, 260)),
    (Service.SPRAYING, (6, 7), 8, 4, (20, 80), (150, 500)),
    (Service.HARVESTING, (9, 10), 12, 6, (15, 60), (80, 300)),
    (Service.BALING, (10, 11), 5, 3, (20, 60), (100, 300)),
)
MACHINE_FOR = {
    Service.DEEP_LOOSENING: ("深松机",),
    Service.PLOUGHING: ("东方红 1304 拖拉机", "液压翻转犁", "约翰迪尔 954 拖拉机"),
    Service.SOWING: ("免耕播种机",),
    Service.SPRAYING: ("植保无人机",),
    Service.HARVESTING: ("雷沃玉米收获机",),
    Service.BALING: ("秸秆捡拾打捆机",),
    Service.FULL_CUSTODY: ("东方红 1304 拖拉机",),
}
CLIENTS = (
    (ClientKind.VILLAGE, "东老藏营村"), (ClientKind.VILLAGE, "西老藏营村"),
    (ClientKind.VILLAGE, "公积板村"), (ClientKind.VILLAGE, "大雁滩村"),
    (ClientKind.COOPERATIVE, "土右旗金禾种植专业合作社"),
    (ClientKind.COMPANY, "包头市土右旗丰源农业发展有限公司"),
    (ClientKind.INDIVIDUAL, "韩二平"), (ClientKind.INDIVIDUAL, "杜文亮"),
    (ClientKind.INDIVIDUAL, "白玉花"),
)
OPERATORS = ("赵永胜", "孙宏伟")
SEASONAL = "霍金锁"
CUSTODY_MEMBERS = 8  # farmers whose land the cooperative farms whole


def _prices(year: int) -> dict[Service, tuple[int, int]]:
    out = {}
    for service, (member, market) in PRICES.items():
        m, k = member * Y, market * Y
        if year <= 2024:
            cut = Y if service == Service.SPRAYING else 5 * Y
            m, k = m - cut, k - cut
        elif year >= 2026 and service == Service.FULL_CUSTODY:
            m, k = m + 20 * Y, k + 20 * Y
        out[service] = (m, k)
    return out


def load(coop: Cooperative) -> None:
    """The machines, the clients and every season from 2024 to this year."""
    rng = random.Random(SEED)
    coop_id = coop.id
    today = clock.today()
    machines = []
    for name, cat, model, plate, src, value, life, acquired in MACHINES:
        with clock.replaying(acquired):
            machine = Machine(cooperative_id=coop_id, name=name, category=cat, model=model,
                              plate=plate, acquired_on=acquired, original_value_fen=value * Y,
                              source=src, useful_life_months=life, salvage_rate_bp=500,
                              note=NOTES[src])
            db.session.add(machine)
            db.session.flush()
            machines.append(machine)
    with clock.replaying(FOUNDED):
        clients = [OutsideClient(cooperative_id=coop_id, kind=kind, name=name,
                                 name_initials=initials(name),
                                 contact_person="村委会" if kind == ClientKind.VILLAGE else "",
                                 phone=f"13{rng.randint(100000000, 999999999)}",
                                 address="包头市土默特右旗")
                   for kind, name in CLIENTS]
        db.session.add_all(clients)
        db.session.flush()
    members = list(db.session.scalars(
        select(Member).where(Member.cooperative_id == coop_id).order_by(Member.member_no)))
    for year in range(FIRST_SEASON, today.year + 1):
        _record(coop_id, year, _season(coop_id, year, clients, members, machines), today,
                _prices(year))
    db.session.flush()


def _season(coop_id: int, year: int, clients: list[OutsideClient], members: list[Member],
            machines: list[Machine]) -> Season:
    rng = random.Random(SEED * 10_000 + year)
    prices = _prices(year)
    by_name = {m.name: m for m in machines}
    in_use = [m for m in machines if m.acquired_on.year <= year]
    collective = next(m for m in members if m.kind == MemberKind.COLLECTIVE)
    farmers = [m for m in members if m.kind != MemberKind.COLLECTIVE]
    season = Season()

    def member_then(on: date) -> list[Member]:
        return [m for m in farmers if m.joined_on <= on]

    planned: list[tuple[date, Member | None, OutsideClient | None, Service, int]] = []
    for service, months, by_members, by_others, member_mu, other_mu in SEASON:
        if not any(by_name[name] in in_use for name in MACHINE_FOR[service]):
            continue  # no baler before the grant's
        for _ in range(by_members):
            on = date(year, rng.choice(months), rng.randint(1, 28))
            member = rng.choice(member_then(on)[CUSTODY_MEMBERS:])
            planned.append((on, member, None, service,
                            rng.randint(*member_mu) * 100 + rng.choice((0, 50))))
        for client in rng.sample(clients, min(by_others, len(clients))):
            on = date(year, rng.choice(months), rng.randint(1, 28))
            area = rng.randint(*other_mu) * 100
            planned.append((on, None, client, service,
                            area * 2 if client.kind == ClientKind.COMPANY else area))
    custody_day = date(year, 4, 10)
    for member in [collective] + member_then(custody_day)[:CUSTODY_MEMBERS]:
        area = COLLECTIVE_LAND_CMU if member is collective else rng.randint(30, 80) * 100
        planned.append((custody_day, member, None, Service.FULL_CUSTODY, area))
    planned.sort(key=lambda p: (p[0], p[3].value, p[4]))

    for n, (on, member, client, service, area) in enumerate(planned, start=1):
        price = prices[service][0 if member else 1]
        machine = by_name[rng.choice([name for name in MACHINE_FOR[service]
                                      if by_name[name] in in_use])]
        amount = order_amount(area, price)
        season.orders.append({
            "cooperative_id": coop_id, "order_no": f"{year}-{n:05d}", "service_on": on,
            "member_id": member.id if member else None,
            "client_id": client.id if client else None, "service": service.value,
            "plot": rng.choice(("东大渠", "西滩", "南梁", "北圪旦", "黄河滩")) + f"{rng.randint(1, 9)} 号地",
            "area_cmu": area, "unit_price_fen": price, "amount_fen": amount,
            "machine_id": machine.id,
            "operator": rng.choice(OPERATORS + ((SEASONAL,) if on.month in (4, 5, 9, 10) else ())),
            "fuel_cl": area * rng.randint(60, 110) // 100 if service != Service.SPRAYING else 0,
            "note": "全程托管（耕种管收）" if service == Service.FULL_CUSTODY else "",
            "version": 1, "created_at": _recorded(on),
        })
        season.payments.append(_payments(rng, coop_id, on, amount))
    _costs(rng, coop_id, year, season, in_use)
    return season


def _costs(rng: random.Random, coop_id: int, year: int, season: Season,
           in_use: list[Machine]) -> None:
    fuel: dict[int, int] = {}
    for order in season.orders:
        fuel[order["service_on"].month] = fuel.get(order["service_on"].month, 0) + order["fuel_cl"]
    for month, fuel_cl in sorted(fuel.items()):
        if fuel_cl:  # diesel at 7.30 yuan a litre, settled at the end of the month
            month_end = date(year, month, calendar.monthrange(year, month)[1])
            season.expenses.append(_expense(coop_id, month_end, ExpenseKind.FUEL,
                                            fuel_cl * 730 // 100, None, "中石油萨拉齐加油站",
                                            f"{month} 月柴油"))
    for month in range(1, 13):
        pay_day = date(year, month, 10)
        for operator in OPERATORS:
            season.expenses.append(_expense(coop_id, pay_day, ExpenseKind.WAGES, 5_500 * Y, None,
                                            operator, f"{month} 月机手工资"))
        if month in (4, 5, 10):
            season.expenses.append(_expense(coop_id, pay_day, ExpenseKind.WAGES, 5_000 * Y, None,
                                            SEASONAL, f"{month} 月季节性机手工资"))
        season.expenses.append(_expense(coop_id, date(year, month, 25), ExpenseKind.OTHER,
                                        600 * Y, None, "合作社办公室", "办公、水电"))
    for machine in in_use:
        season.expenses.append(_expense(coop_id, date(year, 3, 15), ExpenseKind.INSURANCE,
                                        machine.original_value_fen * 100 // 10_000, machine.id,
                                        "中华联合财险土右旗支公司", "农机保险"))
        on = date(year, rng.choice((3, 8, 11)), rng.randint(1, 28))
        season.expenses.append(_expense(coop_id, on, ExpenseKind.REPAIR,
                                        rng.randint(10, 40) * 100 * Y, machine.id,
                                        "萨拉齐农机修理厂", "保养维修"))
    season.incomes.append(_income(coop_id, date(year, 2, 20), IncomeKind.RENT, 8_000 * Y,
                                  "土右旗金禾种植专业合作社", "机库场地租金"))
    season.incomes.append(_income(coop_id, date(year, 8, 15), IncomeKind.GOVERNMENT_GRANT,
                                  (18_000 if year == FIRST_SEASON else 24_000) * Y,
                                  "土默特右旗农牧和科技局", "深松整地作业补助（不可分配）"))
    if year == 2025:
        season.incomes.append(_income(coop_id, date(year, 9, 18), IncomeKind.DONATION, 6_000 * Y,
                                      "包头市土右旗丰源农业发展有限公司", "捐赠机库防雨棚款（不可分配）"))
