"""Synthetic county-scale data, written in bulk with SQLAlchemy Core executemany.

One large cooperative (code ``bench``) holds the scenario data: ``members``
members, ``entries`` share register entries and ``orders`` service orders
(every query of the app is scoped to one cooperative, so one cooperative of
county size is the hard case). ``coops - 1`` small cooperatives around it
(``small_members`` members each, with their own entries and orders) make the
cooperative_id scoping real. No ORM object is created per row: the few
cooperatives and logins go through the services, everything else through
``conn.execute(table.insert(), [rows...])`` in chunks.

The rows obey the app's rules (valid resident IDs, holdings never negative,
amounts = area x price half-up, order numbers YYYY-NNNNN per year).
"""
from __future__ import annotations

import functools
import operator
import os
import random
import secrets
import sqlite3
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Iterable, Iterator

from sqlalchemy import text

BENCH_CODE = "bench"


def _credit_code(code: str) -> str:
    """A valid credit code of each generated cooperative's own ("c007" -> 7)."""
    from coop.idcodes import uscc_with_check

    return uscc_with_check(f"93150297MA{int(code[1:]) if code[1:].isdigit() else 0:07d}")


PASSWORD = "bench-pass-123"
CHUNK = 20_000

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂兰玉华建国志红梅林文云辉飞鹏海波斌宇浩凯晨阳春花新荣忠义福禄寿喜庆丰收德才兴旺"
SERVICES = ("ploughing", "deep_loosening", "sowing", "spraying", "harvesting", "baling",
            "film_recovery", "full_custody", "other")
CATEGORIES = ("tractor", "seeder", "harvester", "sprayer", "baler", "film_recovery", "tillage")
CLIENT_KINDS = ("village", "cooperative", "company", "individual")
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"


@dataclass
class Sizes:
    members: int = 100_000
    orders: int = 1_000_000
    entries: int = 1_000_000
    coops: int = 230
    small_members: int = 40
    payment_ratio: float = 0.5
    member_logins: int = 40

    @classmethod
    def scaled(cls, members: int, orders: int | None = None, entries: int | None = None,
               **kw: Any) -> "Sizes":
        return cls(members=members, orders=orders if orders is not None else members * 10,
                   entries=entries if entries is not None else members * 10, **kw)


@dataclass
class World:
    """What the scenarios need to know about the generated data."""

    coop_id: int = 0
    coop_code: str = BENCH_CODE
    admin: str = "shuji"
    accountant: str = "kuaiji"
    member_logins: list[str] = field(default_factory=list)
    password: str = PASSWORD
    member_ids: tuple[int, int] = (0, 0)  # first and last id of the big cooperative's members
    collective_id: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    cpu_seconds: float = 0.0  # of this process (the machine may be shared)
    order_years: tuple[int, int] = (0, 0)


def resident_id(i: int, born_from: int = 1950) -> str:
    """A valid 18-character resident ID for the i-th person (unique for
    i < 18 million; another ``born_from`` gives another series)."""
    born = date(born_from, 1, 1) + timedelta(days=i % 18_000)
    first17 = f"150{born_from % 1000:03d}{born:%Y%m%d}{(i // 18_000) % 1000:03d}"
    total = sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS))
    return first17 + ID_CHECK[total % 11]


def _initials_table() -> dict[str, str]:
    from pypinyin import Style, lazy_pinyin

    chars = SURNAMES + GIVEN
    return {c: lazy_pinyin(c, style=Style.FIRST_LETTER)[0].lower() for c in chars}


@functools.lru_cache(maxsize=100_000)
def _sqlite_date(value: date | datetime) -> str:
    """The text SQLAlchemy's SQLite Date / DateTime types store."""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    return value.isoformat()


def _sqlite_adapters() -> None:
    """Dates as the text SQLAlchemy's SQLite types store, adapted by the driver
    itself (only the generator passes date objects to sqlite3 directly)."""
    sqlite3.register_adapter(date, _sqlite_date)
    sqlite3.register_adapter(datetime, _sqlite_date)


def _chunks(rows: Iterable[dict], size: int = CHUNK) -> Iterator[list[dict]]:
    batch: list[dict] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def reset_schema(app) -> None:
    """An empty database built by the migrations (drops everything first)."""
    from coop.extensions import db

    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "postgresql":
            with engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
        else:
            path = engine.url.database
            engine.dispose()
            for suffix in ("", "-wal", "-shm"):
                Path(path + suffix).unlink(missing_ok=True)
    migrate_to_heads(app)


def migrate_to_heads(app, vacuum: bool = False) -> None:
    """A database generated earlier brought to the app's latest migrations
    (``--reuse`` after a stop that added one): a no-op when it is there;
    ``vacuum``: then vacuumed as autovacuum would (``vacuum_postgresql``)."""
    from flask_migrate import upgrade

    from coop.extensions import db

    with app.app_context():
        upgrade(revision="heads")
        if vacuum:
            vacuum_postgresql(db.engine)


class _Generator:
    def __init__(self, app, sizes: Sizes, seed: int):
        self.app = app
        self.sizes = sizes
        self.rnd = random.Random(seed)
        self.initials = _initials_table()
        self.rows: dict[str, int] = {}
        self.person = 0  # running index for unique resident IDs / phones
        self.movement = 0
        self.now = datetime(2026, 11, 1, 9, 0, 0)

    # -- helpers ------------------------------------------------------------------
    def insert(self, conn, table, rows: Iterable[dict]) -> int:
        """executemany straight on the driver's cursor (COPY on PostgreSQL):
        the statement is built once, each row becomes a plain tuple in C
        (itemgetter), dates are adapted by the driver (see _sqlite_adapters)."""
        n = 0
        dbapi = conn.connection.driver_connection
        pg = conn.dialect.name == "postgresql"
        cursor = dbapi.cursor()
        for batch in _chunks(rows):
            cols = list(batch[0])
            getter = operator.itemgetter(*cols)
            names = ", ".join(f'"{c}"' for c in cols)
            if pg:
                with cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
                    for row in batch:
                        copy.write_row(getter(row))
            else:
                marks = ", ".join("?" for _ in cols)
                cursor.executemany(f'INSERT INTO "{table.name}" ({names}) VALUES ({marks})',
                                   map(getter, batch))
            n += len(batch)
        cursor.close()
        self.rows[table.name] = self.rows.get(table.name, 0) + n
        return n

    def name(self) -> tuple[str, str]:
        r = self.rnd
        s = SURNAMES[min(int(r.expovariate(1 / 12)), len(SURNAMES) - 1)]
        g = "".join(r.choice(GIVEN) for _ in range(r.choice((1, 2, 2))))
        full = s + g
        return full, "".join(self.initials[c] for c in full)

    # -- one cooperative ------------------------------------------------------------
    def cooperative(self, code: str, n: int, with_logins: bool) -> dict[str, Any]:
        from coop.auth.services import create_user
        from coop.cooperatives.services import create_cooperative
        from coop.extensions import db

        coop = create_cooperative(code, name=f"{code}村股份经济合作社",
                                  credit_code=_credit_code(code),
                                  village=f"{code}村", town="布尔汉图镇")
        db.session.flush()
        users = {}
        if with_logins:
            for username, role in (("shuji", "admin"), ("kuaiji", "accountant"),
                                   ("jianshi", "supervisor")):
                user, _ = create_user(coop, username, username, role, password=PASSWORD,
                                      must_change=False)
                users[username] = user.id
            for i in range(self.sizes.member_logins):
                create_user(coop, f"m{i:03d}", f"社员{i}", "member", password=PASSWORD,
                            must_change=False)
        db.session.commit()
        return {"id": coop.id, "admin_id": users.get("shuji")}

    def members(self, conn, coop_id: int, n: int) -> tuple[int, int, int]:
        """(first member id, last member id, collective id)."""
        from coop.members.models import Member

        table = Member.__table__
        r = self.rnd
        collective = {
            "cooperative_id": coop_id, "member_no": "JT0001", "name": "村集体经济组织",
            "name_initials": "cjjjzz", "kind": "collective", "household_no": "",
            "village_group": "", "id_number": None, "id_tail": "", "phone": "",
            "is_party_member": False, "joined_on": date(2023, 1, 1), "status": "active",
            "status_changed_on": None, "created_at": self.now, "version": 1,
        }
        conn.execute(table.insert(), [collective])
        collective_id = conn.execute(text(
            "SELECT id FROM members WHERE cooperative_id = :c AND member_no = 'JT0001'"),
            {"c": coop_id}).scalar_one()

        def rows() -> Iterator[dict]:
            for i in range(1, n + 1):
                self.person += 1
                p = self.person
                idn = resident_id(p)
                name, initials = self.name()
                withdrawn = r.random() < 0.01
                joined = date(2023, 1, 1) + timedelta(days=r.randrange(0, 1000))
                yield {
                    "cooperative_id": coop_id, "member_no": f"M{i:06d}", "name": name,
                    "name_initials": initials,
                    "kind": "cadre" if r.random() < 0.02 else "villager",
                    "household_no": f"H{(i - 1) // 3 + 1:06d}",
                    "village_group": f"第{((i - 1) // 3) % 12 + 1}组",
                    "id_number": idn, "id_tail": idn[-6:][::-1],
                    "phone": f"13{p * 387_420_489 % 10**9:09d}",  # unique, not clustered
                    "is_party_member": r.random() < 0.1,
                    "joined_on": joined,
                    "status": "withdrawn" if withdrawn else "active",
                    "status_changed_on": joined + timedelta(days=30) if withdrawn else None,
                    "created_at": self.now, "version": 1,
                }

        self.insert(conn, table, rows())
        self.rows["members"] += 1
        first, last = conn.execute(text(
            "SELECT min(id), max(id) FROM members WHERE cooperative_id = :c AND kind <> 'collective'"),
            {"c": coop_id}).one()
        return first, last, collective_id

    def share_entries(self, conn, coop_id: int, admin_id: int | None, count: int) -> None:
        """``count`` entries: each holder subscribes, then subscribes more and
        redeems part of it now and then; the collective holds 65/31 of the
        villagers' shares. Holdings never go below zero."""
        from coop.shares.models import ShareEntry

        table = ShareEntry.__table__
        r = self.rnd
        holders = conn.execute(text(
            "SELECT id, kind, joined_on FROM members WHERE cooperative_id = :c "
            "AND status = 'active' AND kind <> 'collective' ORDER BY id"), {"c": coop_id}).all()
        collective_id = conn.execute(text(
            "SELECT id FROM members WHERE cooperative_id = :c AND kind = 'collective'"),
            {"c": coop_id}).scalar_one()
        if not holders:
            return
        per = max(1, (count - 3) // len(holders))
        extra = max(0, (count - 3) - per * len(holders))
        end = date(2026, 10, 31)
        totals = {"villager": 0, "cadre": 0}
        rand = r.random

        def entry(member_id: int, share_class: str, on: date, shares: int, kind: str,
                  contribution: str | None = None, land_mu: int | None = None,
                  unit_price: int | None = None) -> dict:
            self.movement += 1
            return {
                "cooperative_id": coop_id, "member_id": member_id, "share_class": share_class,
                "effective_on": on, "shares": shares, "entry_kind": kind,
                "contribution_kind": contribution, "value_fen": shares * 100,
                "land_mu": land_mu, "unit_price_fen": unit_price, "labour_days": None,
                "asset_name": "", "machine_id": None, "counterparty_id": None,
                "movement": f"g{self.movement}", "resolution_no": "", "note": "",
                "reverses_id": None, "recorded_by_id": admin_id, "recorded_at": self.now,
            }

        def rows() -> Iterator[dict]:
            for index, (member_id, kind, joined) in enumerate(holders):
                share_class = "cadre" if kind == "cadre" else "villager"
                joined = joined if isinstance(joined, date) else date.fromisoformat(str(joined))
                n = per + (1 if index < extra else 0)
                span = max(1, (end - joined).days)
                days = sorted(int(rand() * span) for _ in range(n - 1))
                if r.random() < 0.3:  # land: mu x 500 yuan per mu
                    mu = r.randrange(100, 3000)  # hundredths of a mu
                    shares = mu * 5  # value mu/100 x 50,000 fen = mu x 500 fen
                    yield entry(member_id, share_class, joined, shares, "subscribe", "land",
                                land_mu=mu, unit_price=50_000)
                else:
                    shares = r.randrange(1, 50) * 100
                    yield entry(member_id, share_class, joined, shares, "subscribe", "cash")
                held = shares
                for d in days:
                    on = joined + timedelta(days=d)
                    if held > 200 and rand() < 0.3:
                        out = -1 - int(rand() * (held // 2 - 1))
                        held += out
                        yield entry(member_id, share_class, on, out, "redeem")
                    else:
                        more = 10 + int(rand() * 19) * 10
                        held += more
                        yield entry(member_id, share_class, on, more, "subscribe", "cash")
                totals[share_class] += held
            villagers = totals["villager"] + totals["cadre"]
            collective = villagers * 65 // 35
            for part, on in ((collective // 2, date(2023, 1, 1)),
                             (collective // 3, date(2024, 1, 1)),
                             (collective - collective // 2 - collective // 3, date(2025, 1, 1))):
                if part:
                    yield entry(collective_id, "collective", on, part, "subscribe", "in_kind")

        self.insert(conn, table, rows())

    def machinery(self, conn, coop_id: int, orders: int, years: tuple[int, int],
                  payment_ratio: float) -> None:
        from coop.machinery.models import (
            Machine,
            OutsideClient,
            ServiceOrder,
            ServicePayment,
            ServicePrice,
        )

        r = self.rnd
        self.insert(conn, Machine.__table__, (
            {"cooperative_id": coop_id, "name": f"{i + 1}号{cat}", "category": cat,
             "model": f"X-{i}", "plate": f"蒙B{i:05d}", "acquired_on": date(2015, 3, 1),
             "original_value_fen": 10_000_000 + i * 100_000, "source": "purchased",
             "useful_life_months": 120, "salvage_rate_bp": 500, "status": "in_service",
             "disposed_on": None, "note": "", "created_at": self.now, "version": 1}
            for i, cat in ((i, CATEGORIES[i % len(CATEGORIES)]) for i in range(30))))
        self.insert(conn, OutsideClient.__table__, (
            {"cooperative_id": coop_id, "kind": CLIENT_KINDS[i % 4], "name": f"外部客户{i:03d}",
             "name_initials": "wbkh", "contact_person": "", "phone": "", "address": "",
             "note": "", "is_active": True, "created_at": self.now, "version": 1}
            for i in range(50)))
        machine_ids = [i for (i,) in conn.execute(text(
            "SELECT id FROM machines WHERE cooperative_id = :c"), {"c": coop_id})]
        client_ids = [i for (i,) in conn.execute(text(
            "SELECT id FROM outside_clients WHERE cooperative_id = :c"), {"c": coop_id})]
        member_ids = [i for (i,) in conn.execute(text(
            "SELECT id FROM members WHERE cooperative_id = :c AND kind <> 'collective'"),
            {"c": coop_id})]
        first_year, last_year = years
        prices = {}
        price_rows = []
        for year in range(first_year, last_year + 1):
            for s in SERVICES:
                member_price = 2000 + SERVICES.index(s) * 500
                prices[(year, s)] = (member_price, member_price + 1000)
                price_rows.append({"cooperative_id": coop_id, "year": year, "service": s,
                                   "member_price_fen": member_price,
                                   "market_price_fen": member_price + 1000, "version": 1})
        self.insert(conn, ServicePrice.__table__, price_rows)
        n_years = last_year - first_year + 1
        per_year = [orders // n_years + (1 if y < orders % n_years else 0) for y in range(n_years)]
        if max(per_year, default=0) > 99_999:
            raise SystemExit("more than 99,999 orders in a year: widen the year range")

        rand = r.random
        n_members, n_clients, n_machines = len(member_ids), len(client_ids), len(machine_ids)
        plots = [f"{i}号地" for i in range(1, 40)]
        season = [None] * 245

        def order_rows() -> Iterator[dict]:
            for y, n in enumerate(per_year):
                year = first_year + y
                for d in range(245):
                    season[d] = date(year, 3, 1) + timedelta(days=d)
                days = sorted(int(rand() * 245) for _ in range(n))
                for k, d in enumerate(days, start=1):
                    s = SERVICES[int(rand() * 9)]
                    is_member = n_members and rand() < 0.8
                    area = 100 + int(rand() * 4900)
                    price = prices[(year, s)][0 if is_member else 1]
                    yield {
                        "cooperative_id": coop_id, "order_no": f"{year}-{k:05d}",
                        "service_on": season[d],
                        "member_id": member_ids[int(rand() * n_members)] if is_member else None,
                        "client_id": None if is_member else client_ids[int(rand() * n_clients)],
                        "service": s, "plot": plots[int(rand() * 39)], "area_cmu": area,
                        "unit_price_fen": price, "amount_fen": (area * price + 50) // 100,
                        "machine_id": machine_ids[int(rand() * n_machines)], "operator": "李师傅",
                        "fuel_cl": area * 2, "note": "", "reverses_id": None,
                        "unpaid_fen": (area * price + 50) // 100,
                        "created_at": self.now, "version": 1,
                    }

        self.insert(conn, ServiceOrder.__table__, order_rows())
        if payment_ratio <= 0:
            return
        keep = int(payment_ratio * 1000)

        def payment_rows() -> Iterator[dict]:
            result = conn.execute(text(
                "SELECT id, service_on, amount_fen FROM service_orders WHERE cooperative_id = :c"
                " ORDER BY id"), {"c": coop_id})
            for order_id, on, amount in result.all():
                if order_id * 7919 % 1000 >= keep or amount <= 0:
                    continue
                on = on if isinstance(on, date) else date.fromisoformat(str(on))
                yield {"cooperative_id": coop_id, "order_id": order_id,
                       "paid_on": on + timedelta(days=order_id % 40), "amount_fen": amount,
                       "method": "cash", "note": "", "reverses_id": None,
                       "created_at": self.now}

        self.insert(conn, ServicePayment.__table__, payment_rows())
        conn.execute(text(  # each payment above settles its whole order
            "UPDATE service_orders SET unpaid_fen = 0 WHERE cooperative_id = :c AND id IN "
            "(SELECT order_id FROM service_payments WHERE cooperative_id = :c)"), {"c": coop_id})


BULK_TABLES = ("members", "share_entries", "service_orders", "service_payments")


def drop_secondary_indexes(conn, tables: Iterable[str] = BULK_TABLES) -> list[str]:
    """Drop the plain (non-constraint) indexes of ``tables`` and return their
    DDL: building an index once over loaded rows is much faster than keeping
    it up to date row by row."""
    ddl: list[str] = []
    for table in tables:
        if conn.dialect.name == "postgresql":
            rows = conn.execute(text(
                "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' "
                "AND tablename = :t AND indexname NOT IN (SELECT conname FROM pg_constraint)"),
                {"t": table}).all()
        else:
            rows = conn.execute(text(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = :t "
                "AND sql IS NOT NULL"), {"t": table}).all()
        for name, sql in rows:
            conn.exec_driver_sql(f'DROP INDEX "{name}"')
            ddl.append(sql)
    return ddl


def _bulk_pragmas(conn) -> None:
    """A large page cache for the load, and no per-row foreign key look-ups
    (the rows are consistent by construction; the smoke test runs
    PRAGMA foreign_key_check). Runs before the transaction's first write."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("PRAGMA cache_size=-400000")
        conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
        conn.exec_driver_sql("PRAGMA synchronous=OFF")


def generate(app, sizes: Sizes, seed: int = 8, log=print) -> World:
    """Fill an empty database (built by the migrations) with ``sizes``."""
    from coop.extensions import db

    started = time.perf_counter()
    cpu = time.process_time()
    _sqlite_adapters()
    gen = _Generator(app, sizes, seed)
    world = World()
    # at most 90,000 orders a year (order numbers have five digits), and at
    # least 2025 and 2026, so that 2025 has a surplus to distribute
    n_years = max(2, -(-sizes.orders // 90_000))
    world.order_years = (2026 - n_years + 1, 2026)
    with app.app_context():
        big = gen.cooperative(BENCH_CODE, sizes.members, with_logins=True)
        world.coop_id = big["id"]
        world.member_logins = [f"m{i:03d}" for i in range(sizes.member_logins)]
        small = [gen.cooperative(f"c{i:03d}", sizes.small_members, with_logins=False)
                 for i in range(1, sizes.coops)]
        log(f"  cooperatives and logins: {time.perf_counter() - started:.1f} s")
        with db.engine.begin() as conn:
            indexes = drop_secondary_indexes(conn)
        with db.engine.begin() as conn:
            _bulk_pragmas(conn)
            first, last, collective = gen.members(conn, big["id"], sizes.members)
            world.member_ids, world.collective_id = (first, last), collective
            # each member login is the login of one member (users.member_id)
            for i, username in enumerate(world.member_logins):
                conn.execute(text("UPDATE users SET member_id = :m WHERE cooperative_id = :c "
                                  "AND username = :u"), {"m": first + i, "c": big["id"],
                                                        "u": username})
            for c in small:
                gen.members(conn, c["id"], sizes.small_members)
        log(f"  members: {time.perf_counter() - started:.1f} s")
        with db.engine.begin() as conn:
            _bulk_pragmas(conn)
            gen.share_entries(conn, big["id"], big["admin_id"], sizes.entries)
            for c in small:
                gen.share_entries(conn, c["id"], None, sizes.small_members * 4)
        log(f"  share entries: {time.perf_counter() - started:.1f} s")
        with db.engine.begin() as conn:
            _bulk_pragmas(conn)
            gen.machinery(conn, big["id"], sizes.orders, world.order_years, sizes.payment_ratio)
            for c in small:
                gen.machinery(conn, c["id"], sizes.small_members * 5, (2025, 2026), 0.5)
        log(f"  machinery: {time.perf_counter() - started:.1f} s")
        with db.engine.begin() as conn:
            _bulk_pragmas(conn)
            for ddl in indexes:
                conn.exec_driver_sql(ddl)
        log(f"  indexes rebuilt: {time.perf_counter() - started:.1f} s")
        from coop.shares.sums import rebuild

        rebuild()  # the register's sums, as the services keep them
        # the marks the services give a cooperative with each member, order
        # or payment written (coop.cooperatives.marks), which these bulk
        # inserts bypassed
        coop_ids = db.session.scalars(text("SELECT id FROM cooperatives")).all()
        db.session.execute(text("INSERT INTO cooperative_marks (cooperative_id, topic, mark) "
                                "VALUES (:c, :t, :m)"),
                           [{"c": c, "t": topic, "m": secrets.randbits(62)}
                            for c in coop_ids for topic in ("roster", "orders")])
        db.session.commit()
        log(f"  register sums: {time.perf_counter() - started:.1f} s")
        # SQLite: no ANALYZE. The app never runs it, so a county's database
        # has no statistics and the benchmark must not have them either (with
        # them the planner hid a member page that read the whole register).
        # PostgreSQL: what autovacuum does shortly after such a load (it
        # vacuums a table after many inserts too): statistics, and the
        # visibility map an index-only scan needs (without it the receivables
        # report read a just-loaded million orders in 2.7 s instead of 0.4 s).
        vacuum_postgresql(db.engine)
        if db.engine.dialect.name == "sqlite":
            # The load was written without fsync: its write-ahead log into the
            # database file and every dirty page onto the disk now, not in the
            # first fsync measured (it added 0.45-0.85 s to the first plan saved)
            with db.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            os.sync()
        db.engine.dispose()
    world.rows = dict(gen.rows)
    world.seconds = time.perf_counter() - started
    world.cpu_seconds = time.process_time() - cpu
    return world


def vacuum_postgresql(engine) -> None:
    """On PostgreSQL, VACUUM ANALYZE the whole database: what autovacuum does
    some time after a load or a run's writes. ``--reuse`` runs it too: after
    a full run (a plan's 99,000 lines deleted and written again, entries,
    orders) the load test measured 98-105 requests a second, and 158 once
    vacuumed (index-only scans read the heap again until the visibility map
    is set)."""
    if engine.dialect.name != "postgresql":
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE"))
