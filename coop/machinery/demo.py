"""Demo data of the machinery ledger for the demo cooperative (README, "Demo
cooperative"): the 780,000 yuan of pooled machinery, price lists, 15 outside
villages, 8 cooperatives, a few companies, and a season for every year from
2024 on: 2024 and 2025 are always the same, the current year's season runs up
to today (see ``load``).

Deterministic (seeded generators), fast (bulk inserts, a few hundred orders a
year). Member orders use the members of the members demo step; without
members they are skipped.
"""
from __future__ import annotations

import calendar
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import insert, select

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
    PaymentMethod,
    Service,
)
from coop.machinery.ledger import order_amount
from coop.machinery.models import (
    Expense,
    Machine,
    OtherIncome,
    OutsideClient,
    ServiceOrder,
    ServicePayment,
    ServicePrice,
)
from coop.machinery.order_figures import ORDER_COUNTS
from coop.machinery.orders import refresh_unpaid
from coop.members.api import Member

Y = 100  # fen per yuan
SEED = 20251

# (name, category, model, plate, source, value in yuan, life in months)
MACHINES = (
    ("约翰迪尔拖拉机", Cat.TRACTOR, "JD-1204", "蒙B·12345", Src.COLLECTIVE_IN_KIND, 185_000, 120),
    ("东方红拖拉机", Cat.TRACTOR, "LX1000", "蒙B·23456", Src.COLLECTIVE_IN_KIND, 110_000, 120),
    ("玉米收获机", Cat.HARVESTER, "雷沃谷神 4LZ-8", "蒙B·34567", Src.COLLECTIVE_IN_KIND, 150_000, 120),
    ("免耕播种机", Cat.SEEDER, "2BMYF-4", "", Src.COLLECTIVE_IN_KIND, 48_000, 96),
    ("深松机", Cat.TILLAGE, "1S-300", "", Src.COLLECTIVE_IN_KIND, 36_000, 96),
    ("植保无人机 1 号", Cat.SPRAYER, "大疆 T40", "", Src.COLLECTIVE_IN_KIND, 55_000, 60),
    ("残膜回收机", Cat.FILM_RECOVERY, "1MFJ-1.8", "", Src.COLLECTIVE_IN_KIND, 26_000, 96),
    ("秸秆打捆机", Cat.BALER, "9YFQ-1.9", "", Src.COLLECTIVE_IN_KIND, 40_000, 96),
    ("东方红中型拖拉机", Cat.TRACTOR, "LX904", "蒙B·45678", Src.MEMBER_IN_KIND, 78_000, 120),
    ("旋耕机", Cat.TILLAGE, "1GQN-250", "", Src.MEMBER_IN_KIND, 22_000, 96),
    ("植保无人机 2 号", Cat.SPRAYER, "大疆 T20", "", Src.MEMBER_IN_KIND, 30_000, 60),
)
ACQUIRED_ON = date(2023, 12, 18)  # appraised and pooled when the cooperative was set up
FIRST_SEASON = 2024

# service -> (member price, market price) in yuan per mu; 2024 prices are 5 yuan
# (1 yuan for spraying) lower on the dearer services
PRICES_2025 = {
    Service.PLOUGHING: ("35", "45"),
    Service.DEEP_LOOSENING: ("30", "40"),
    Service.SOWING: ("25", "35"),
    Service.SPRAYING: ("8", "12"),
    Service.HARVESTING: ("60", "80"),
    Service.BALING: ("20", "30"),
    Service.FILM_RECOVERY: ("15", "25"),
    Service.FULL_CUSTODY: ("380", "460"),
}

VILLAGES = ("哈业胡同村", "沙尔沁村", "毛其来村", "什大股村", "古城湾村", "卜尔汉图村",
            "阿嘎如泰嘎查", "巴音敖包嘎查", "乌兰计一村", "乌兰计二村", "乌兰计四村",
            "东园村", "西园村", "新光村", "联合村")
COOPERATIVES = ("卜尔汉图镇丰收种植专业合作社", "昆区金穗农机专业合作社", "哈业胡同禾丰种植专业合作社",
                "沙尔沁绿源农民专业合作社", "古城湾兴农种植专业合作社", "毛其来众诚农机专业合作社",
                "什大股富民种植专业合作社", "新光惠农土地股份合作社")
COMPANIES = ("包头市北方农牧业发展有限公司", "内蒙古草原绿野农业科技有限公司", "包头市鹿城饲草有限公司")
INDIVIDUALS = ("王二虎", "郭玉兰")
OPERATORS = ("赵永刚", "刘建军", "孙海龙")
SEASONAL = "周小明"

# (service, months, member share of orders, typical area for members, for others)
SEASON = (
    (Service.DEEP_LOOSENING, (4,), 0.3, (8, 30), (60, 260)),
    (Service.PLOUGHING, (4, 5), 0.4, (6, 25), (50, 220)),
    (Service.SOWING, (5,), 0.4, (6, 25), (60, 240)),
    (Service.SPRAYING, (6, 7), 0.3, (8, 30), (120, 500)),
    (Service.HARVESTING, (9, 10), 0.4, (6, 25), (60, 260)),
    (Service.BALING, (10,), 0.2, (8, 30), (80, 300)),
    (Service.FILM_RECOVERY, (10, 11), 0.3, (6, 25), (50, 200)),
)
MACHINE_FOR = {
    Service.DEEP_LOOSENING: ("深松机",),
    Service.PLOUGHING: ("约翰迪尔拖拉机", "东方红拖拉机", "东方红中型拖拉机", "旋耕机"),
    Service.SOWING: ("免耕播种机",),
    Service.SPRAYING: ("植保无人机 1 号", "植保无人机 2 号"),
    Service.HARVESTING: ("玉米收获机",),
    Service.BALING: ("秸秆打捆机",),
    Service.FILM_RECOVERY: ("残膜回收机",),
    Service.FULL_CUSTODY: ("约翰迪尔拖拉机",),
}


def _fen(text: str) -> int:
    return int(text) * Y


def _prices(year: int) -> dict[Service, tuple[int, int]]:
    out = {}
    for service, (member, market) in PRICES_2025.items():
        m, k = _fen(member), _fen(market)
        if year <= 2024:
            cut = 100 if service == Service.SPRAYING else 500
            m, k = m - cut, k - cut
        elif year >= 2026 and service == Service.FULL_CUSTODY:
            m, k = m + 2000, k + 2000
        out[service] = (m, k)
    return out


def _season_days(rng: random.Random, year: int, month: int) -> date:
    return date(year, month, rng.randint(1, 28))


def _recorded(day: date) -> datetime:
    """When a record of ``day`` was entered: that evening, Beijing time."""
    return clock.utc_of_local(datetime.combine(day, time(18, 0)))


@dataclass
class Season:
    """One year of the ledger as it happens, every record of the whole year
    (dated ones not yet reached included): the demo keeps those up to today."""
    orders: list[dict] = field(default_factory=list)
    payments: list[list[dict]] = field(default_factory=list)  # per order, in order
    expenses: list[dict] = field(default_factory=list)
    incomes: list[dict] = field(default_factory=list)


def load(coop: Cooperative) -> None:
    """The machines, the clients and every season from 2024 to this year.

    Each season is drawn from its own seeded generator (``SEED`` and the
    year), whole, before anything is left out: a year's records never depend
    on the day the demo is loaded. What is dated after today is not recorded
    yet, so only the current season grows with the date. The years are closed
    by the dividends step, after the share register is written.
    """
    rng = random.Random(SEED)
    coop_id = coop.id
    today = clock.today()

    with clock.replaying(ACQUIRED_ON):
        machines = [Machine(cooperative_id=coop_id, name=name, category=cat, model=model,
                            plate=plate, acquired_on=ACQUIRED_ON, original_value_fen=value * Y,
                            source=src, useful_life_months=life, salvage_rate_bp=500,
                            note="2023 年合作社成立时评估作价入股")
                    for name, cat, model, plate, src, value, life in MACHINES]
        clients: list[OutsideClient] = []
        for names, kind in ((VILLAGES, ClientKind.VILLAGE), (COOPERATIVES, ClientKind.COOPERATIVE),
                            (COMPANIES, ClientKind.COMPANY), (INDIVIDUALS, ClientKind.INDIVIDUAL)):
            for name in names:
                clients.append(OutsideClient(
                    cooperative_id=coop_id, kind=kind, name=name,
                    name_initials=initials(name),
                    contact_person=("村委会" if kind == ClientKind.VILLAGE else ""),
                    phone=f"13{rng.randint(100000000, 999999999)}",
                    address="包头市" if kind != ClientKind.INDIVIDUAL else "卜尔汉图镇"))
        db.session.add_all(machines + clients)
        db.session.flush()

    members = list(db.session.scalars(
        select(Member).where(Member.cooperative_id == coop_id, Member.kind != "collective",
                             Member.status == "active").order_by(Member.member_no)))
    served_members = members[: min(len(members), 36)]
    for year in range(FIRST_SEASON, today.year + 1):
        season = _season(coop_id, year, clients, served_members, machines)
        _record(coop_id, year, season, today)
    db.session.flush()


def _season(coop_id: int, year: int, clients: list[OutsideClient], served_members: list[Member],
            machines: list[Machine]) -> Season:
    rng = random.Random(SEED * 10_000 + year)
    prices = _prices(year)
    by_name = {m.name: m for m in machines}
    custody_members = served_members[:12]
    volume = 0.65 if year == FIRST_SEASON else 1.0
    season = Season()

    planned: list[tuple[date, Member | None, OutsideClient | None, Service, int]] = []
    for service, months, member_share, member_area, other_area in SEASON:
        n_outside = int(len(clients) * volume * 0.45)
        for client in rng.sample(clients, n_outside):
            area = rng.randint(*other_area) * 100 + rng.choice((0, 0, 50, 25, 80))
            if client.kind == ClientKind.COMPANY:
                area *= 2
            planned.append((_season_days(rng, year, rng.choice(months)), None, client,
                            service, area))
        if served_members:
            n_members = int(len(served_members) * member_share * volume)
            for member in rng.sample(served_members, n_members):
                area = rng.randint(*member_area) * 100 + rng.choice((0, 50, 30))
                planned.append((_season_days(rng, year, rng.choice(months)), member, None,
                                service, area))
    for member in (custody_members if year > FIRST_SEASON else custody_members[:6]):
        area = rng.randint(10, 40) * 100
        planned.append((date(year, 4, rng.randint(1, 20)), member, None,
                        Service.FULL_CUSTODY, area))
    planned.sort(key=lambda p: (p[0], p[3].value, p[4]))
    for n, (on, member, client, service, area) in enumerate(planned, start=1):
        price = prices[service][0 if member else 1]
        machine = by_name[rng.choice(MACHINE_FOR[service])]
        amount = order_amount(area, price)
        season.orders.append({
            "cooperative_id": coop_id, "order_no": f"{year}-{n:05d}", "service_on": on,
            "member_id": member.id if member else None,
            "client_id": client.id if client else None,
            "service": service.value, "plot": rng.choice(("东滩", "西梁", "南大田", "北湾", "河畔")) +
            f"{rng.randint(1, 12)} 号地",
            "area_cmu": area, "unit_price_fen": price, "amount_fen": amount,
            "machine_id": machine.id,
            "operator": rng.choice(OPERATORS + ((SEASONAL,) if on.month in (4, 5, 9, 10) else ())),
            "fuel_cl": area * rng.randint(60, 110) // 100 if service != Service.SPRAYING else 0,
            "note": "", "version": 1, "created_at": _recorded(on),
        })
        season.payments.append(_payments(rng, coop_id, on, amount))

    fuel_by_month: dict[tuple[int, int], int] = {}
    for order in season.orders:
        key = (order["service_on"].month, order["machine_id"])
        fuel_by_month[key] = fuel_by_month.get(key, 0) + order["fuel_cl"]
    for (month, machine_id), fuel_cl in sorted(fuel_by_month.items()):
        if fuel_cl:
            # diesel at 7.20 yuan a litre, settled at the end of the month
            month_end = date(year, month, calendar.monthrange(year, month)[1])
            season.expenses.append(_expense(coop_id, month_end, ExpenseKind.FUEL,
                                            fuel_cl * 720 // 100, machine_id, "中石化卜尔汉图加油站",
                                            f"{month} 月柴油"))
    for month in range(1, 13):
        pay_day = date(year, month, 10)
        for operator in OPERATORS:
            season.expenses.append(_expense(coop_id, pay_day, ExpenseKind.WAGES, 7_000 * Y, None,
                                            operator, f"{month} 月机手工资"))
        if month in (4, 5, 9, 10):
            season.expenses.append(_expense(coop_id, pay_day, ExpenseKind.WAGES, 6_500 * Y, None,
                                            SEASONAL, f"{month} 月季节性机手工资"))
    for machine in machines:
        season.expenses.append(_expense(coop_id, date(year, 3, 15), ExpenseKind.INSURANCE,
                                        machine.original_value_fen * 120 // 10_000, machine.id,
                                        "中国人保财险包头分公司", "农机保险"))
    for machine in machines:
        for _ in range(rng.randint(1, 3)):
            on = date(year, rng.choice((3, 6, 8, 11)), rng.randint(1, 28))
            season.expenses.append(_expense(coop_id, on, ExpenseKind.REPAIR,
                                            rng.randint(8, 60) * 100 * Y, machine.id,
                                            "卜尔汉图农机维修部", "保养维修"))
    for month in range(1, 13):
        season.expenses.append(_expense(coop_id, date(year, month, 25), ExpenseKind.OTHER,
                                        1_200 * Y, None, "合作社办公室", "办公、水电"))
    for month in (9, 10, 11, 12):
        season.incomes.append(_income(coop_id, date(year, month, 28), IncomeKind.PRODUCE_SALES,
                                      rng.randint(15, 30) * 1000 * Y, "农产品销售中心",
                                      f"{month} 月代销农产品收入"))
    season.incomes.append(_income(coop_id, date(year, 1, 20), IncomeKind.RENT, 24_000 * Y,
                                  "包头市鹿城饲草有限公司", "仓库租金"))
    season.incomes.append(_income(coop_id, date(year, 7, 15), IncomeKind.GOVERNMENT_GRANT,
                                  30_000 * Y, "昆都仑区农牧局", "深松作业补贴（不可分配）"))
    return season


def _payments(rng: random.Random, coop_id: int, on: date, amount: int) -> list[dict]:
    """How an order of ``on`` is paid (order_id filled in when it is written)."""
    roll = rng.random()
    paid_on = on + timedelta(days=rng.choice((0, 0, 3, 7, 15, 30, 45, 60)))
    method = rng.choice(("cash", "bank", "wechat", "wechat", "alipay"))
    if roll < 0.07:
        return []  # a debt that stays unpaid
    if roll < 0.14:
        part = (amount // 2) // 100 * 100
        return [{"cooperative_id": coop_id, "paid_on": paid_on, "amount_fen": part,
                 "method": "wechat", "note": "先付一半", "created_at": _recorded(paid_on)}] \
            if part > 0 else []
    return [{"cooperative_id": coop_id, "paid_on": paid_on, "amount_fen": amount,
             "method": method, "note": "", "created_at": _recorded(paid_on)}]


def _record(coop_id: int, year: int, season: Season, today: date,
            prices: dict[Service, tuple[int, int]] | None = None) -> None:
    """Write what ``season`` has recorded up to ``today``, with the year's
    price list (``prices``, by default wljs's)."""
    db.session.execute(insert(ServicePrice), [
        {"cooperative_id": coop_id, "year": year, "service": service.value,
         "member_price_fen": m, "market_price_fen": k, "version": 1}
        for service, (m, k) in (prices or _prices(year)).items()])
    orders = [o for o in season.orders if o["service_on"] <= today]
    if orders:
        db.session.execute(insert(ServiceOrder), orders)
        ORDER_COUNTS.wrote([coop_id])  # past the ORM's flush
    ids = dict(db.session.execute(select(ServiceOrder.order_no, ServiceOrder.id).where(
        ServiceOrder.cooperative_id == coop_id,
        ServiceOrder.order_no.in_([o["order_no"] for o in orders]))).all())
    payments = [{**payment, "order_id": ids[order["order_no"]]}
                for order, paid in zip(orders, season.payments) for payment in paid
                if payment["paid_on"] <= today]
    expenses = [e for e in season.expenses if e["spent_on"] <= today]
    incomes = [i for i in season.incomes if i["received_on"] <= today]
    for model, rows in ((ServicePayment, payments), (Expense, expenses), (OtherIncome, incomes)):
        if rows:
            db.session.execute(insert(model), rows)
    refresh_unpaid(p["order_id"] for p in payments)


# wages and insurance go by bank transfer, the rest is paid in cash
BY_BANK = {ExpenseKind.WAGES, ExpenseKind.INSURANCE}


def _expense(coop_id, on, kind, amount, machine_id, payee, note) -> dict:
    method = PaymentMethod.BANK if kind in BY_BANK else PaymentMethod.CASH
    return {"cooperative_id": coop_id, "spent_on": on, "kind": kind.value, "amount_fen": amount,
            "machine_id": machine_id, "payee": payee, "note": note, "method": method.value,
            "created_at": _recorded(on)}


def _income(coop_id, on, kind, amount, payer, note) -> dict:
    return {"cooperative_id": coop_id, "received_on": on, "kind": kind.value,
            "distributable": kind.distributable, "amount_fen": amount, "payer": payer,
            "note": note, "created_at": _recorded(on)}
