"""The machinery ledger's rules. Services take plain values, validate, raise
ServiceError / ValidationFailed with Chinese messages, and only flush.

Public API for other domains (keep the names):
- ``year_figures(coop_id, year) -> YearFigures``
- ``is_year_closed(coop_id, year) -> bool``
- ``member_transactions(coop_id, year) -> dict[member_id, amount_fen]``
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Iterable

from pypinyin import Style, lazy_pinyin
from sqlalchemy import Integer, and_, case, cast, extract, func, insert, literal, or_, select, update
from sqlalchemy.exc import IntegrityError

from coop import clock
from coop.paging import Page
from coop.audit.services import check_version
from coop.cooperatives.closing import (
    ensure_date_open,
    ensure_record_editable,
    is_year_locked,
    latest_closed_year,
)
from coop.cooperatives.models import YearClose
from coop.errors import ServiceError, ValidationFailed
from coop.database import parse_id
from coop.extensions import db
from coop.machinery import depreciation
from coop.machinery.constants import (
    ClientKind,
    ExpenseKind,
    IncomeKind,
    MachineCategory,
    MachineSource,
    MachineStatus,
    PaymentMethod,
    Service,
)
from coop.machinery.ledger import AGING_BUCKETS, aging_bucket, order_amount
from coop.machinery.models import (
    Expense,
    Machine,
    OrderCounter,
    OtherIncome,
    OutsideClient,
    ServiceOrder,
    ServicePayment,
    ServicePrice,
)
from coop.machinery.surplus import YearFigures, carried_into_next_year, figures
from coop.limits import MAX_AMOUNT_FEN, MAX_AREA_CMU, MAX_FUEL_CL, MAX_PRICE_FEN
from coop.members.models import Member
from coop.money import format_mu, format_percent, format_yuan

__all__ = ["YearFigures", "year_figures", "is_year_closed", "member_transactions"]



def _year_range(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def _in_year(column, year: int):
    start, end = _year_range(year)
    return column.between(start, end)


# ---------------------------------------------------------------- closed years

def closed_years(coop_id: int) -> set[int]:
    return set(db.session.scalars(
        select(YearClose.year).where(YearClose.cooperative_id == coop_id)))


def is_year_closed(coop_id: int, year: int) -> bool:
    """The year was closed with its figures. Whether a date may still be
    written is ``coop.cooperatives.closing``'s question: a close locks every
    earlier year too."""
    return db.session.scalar(select(YearClose.id).where(
        YearClose.cooperative_id == coop_id, YearClose.year == year)) is not None


# ---------------------------------------------------------------- machines

MACHINE_LABELS = {
    "name": "名称", "category": "类别", "model": "型号", "plate": "牌照号",
    "acquired_on": "购置（入股）日期", "original_value_fen": "原值",
    "source": "来源", "useful_life_months": "使用年限（月）", "salvage_rate_bp": "残值率",
    "status": "状态", "disposed_on": "处置日期", "note": "备注",
}
MACHINE_FIELDS = tuple(MACHINE_LABELS)


def describe_machine_field(name: str, value: Any) -> tuple[str, str]:
    label = MACHINE_LABELS.get(name, name)
    if value is None or value == "":
        return label, "（空）"
    if name.endswith("_fen"):
        return label, format_yuan(value) + " 元"
    if name.endswith("_bp"):
        return label, format_percent(value)
    enums = {"category": MachineCategory, "source": MachineSource, "status": MachineStatus}
    if name in enums and value in enums[name]._value2member_map_:
        return label, enums[name](value).label
    return label, str(value)


def machine_terms(machine: Machine) -> depreciation.Terms:
    return depreciation.Terms(
        original_value_fen=machine.original_value_fen,
        salvage_rate_bp=machine.salvage_rate_bp,
        useful_life_months=machine.useful_life_months,
        acquired_on=machine.acquired_on,
        disposed_on=machine.disposed_on,
    )


def list_machines(coop_id: int) -> list[Machine]:
    return list(db.session.scalars(
        select(Machine).where(Machine.cooperative_id == coop_id)
        .order_by(Machine.acquired_on, Machine.id)))


def get_machine(coop_id: int, machine_id: int) -> Machine | None:
    machine = db.session.get(Machine, machine_id)
    return machine if machine is not None and machine.cooperative_id == coop_id else None


def _length_errors(model, values: dict[str, Any], labels: dict[str, str]) -> dict[str, str]:
    """Text longer than its column is refused here: PostgreSQL would fail the
    insert with a server error and SQLite would silently keep it."""
    errors: dict[str, str] = {}
    for name, label in labels.items():
        limit = model.__table__.c[name].type.length
        if limit and len(values.get(name) or "") > limit:
            errors[name] = f"{label}不能超过 {limit} 个字"
    return errors


def _machine_errors(values: dict[str, Any]) -> dict[str, str]:
    errors: dict[str, str] = _length_errors(Machine, values, {
        "name": "农机名称", "model": "型号", "plate": "牌照号"})
    if not (values.get("name") or "").strip():
        errors["name"] = "请填写农机名称"
    if values.get("category") not in MachineCategory._value2member_map_:
        errors["category"] = "请选择农机类别"
    if values.get("source") not in MachineSource._value2member_map_:
        errors["source"] = "请选择来源"
    if values.get("status") not in MachineStatus._value2member_map_:
        errors["status"] = "请选择状态"
    if values.get("acquired_on") is None:
        errors["acquired_on"] = "请填写购置（入股）日期"
    value = values.get("original_value_fen")
    if value is None or value <= 0:
        errors["original_value_fen"] = "原值必须大于 0"
    elif value > MAX_AMOUNT_FEN:
        errors["original_value_fen"] = "原值过大，请核对"
    life = values.get("useful_life_months")
    if life is None or not 1 <= life <= 600:
        errors["useful_life_months"] = "使用年限应在 1 到 600 个月之间"
    rate = values.get("salvage_rate_bp")
    if rate is None or not 0 <= rate <= 10000:
        errors["salvage_rate_bp"] = "残值率应在 0% 到 100% 之间"
    disposed = values.get("disposed_on")
    if values.get("status") == MachineStatus.DISPOSED and disposed is None:
        errors["disposed_on"] = "已处置的农机请填写处置日期"
    if disposed is not None and values.get("status") != MachineStatus.DISPOSED:
        errors["disposed_on"] = "只有状态为“已处置”的农机才填写处置日期"
    if disposed is not None and values.get("acquired_on") and disposed < values["acquired_on"]:
        errors["disposed_on"] = "处置日期不能早于购置日期"
    return errors


def _clean_machine(values: dict[str, Any]) -> dict[str, Any]:
    out = {k: values.get(k) for k in MACHINE_FIELDS}
    for key in ("name", "model", "plate", "note"):
        out[key] = (out.get(key) or "").strip()
    out["plate"] = out["plate"].upper()
    return out


def _check_closed_depreciation(coop_id: int, old: depreciation.Terms | None,
                               new: depreciation.Terms | None) -> None:
    """A change that would alter the depreciation of a closed year is refused.

    A machine's dates are facts about the machine, not ledger records: an old
    machine may be recorded late, as long as no closed year's figures move."""
    for year in sorted(closed_years(coop_id)):
        before = depreciation.year_amount(old, year) if old else 0
        after = depreciation.year_amount(new, year) if new else 0
        if before != after:
            raise ServiceError(
                f"此项修改会改变已结账的 {year} 年度折旧（{format_yuan(before)} 元 → "
                f"{format_yuan(after)} 元），不能保存。已结账年度的数据不能更改。")


def create_machine(coop_id: int, values: dict[str, Any]) -> Machine:
    values = _clean_machine(values)
    if errors := _machine_errors(values):
        raise ValidationFailed(errors)
    machine = Machine(cooperative_id=coop_id, **values)
    _check_closed_depreciation(coop_id, None, machine_terms(machine))
    db.session.add(machine)
    db.session.flush()
    return machine


def update_machine(coop_id: int, machine: Machine, values: dict[str, Any],
                   expected_version: int | None) -> Machine:
    values = _clean_machine(values)
    if errors := _machine_errors(values):
        raise ValidationFailed(errors)
    check_version(machine, expected_version, describe_machine_field)
    old = machine_terms(machine)
    new = depreciation.Terms(values["original_value_fen"], values["salvage_rate_bp"],
                             values["useful_life_months"], values["acquired_on"],
                             values["disposed_on"])
    _check_closed_depreciation(coop_id, old, new)
    for key, value in values.items():
        setattr(machine, key, value)
    db.session.flush()
    return machine


def depreciation_for_year(coop_id: int, year: int) -> int:
    return sum(depreciation.year_amount(machine_terms(m), year) for m in list_machines(coop_id))


def depreciation_by_month(coop_id: int, year: int) -> list[int]:
    months = [0] * 12
    for machine in list_machines(coop_id):
        for i, amount in enumerate(depreciation.year_months(machine_terms(machine), year)):
            months[i] += amount
    return months


@dataclass
class MachineBook:
    machine: Machine
    salvage_fen: int
    accumulated_fen: int  # up to the end of ``year``
    year_fen: int
    book_value_fen: int


def machine_books(coop_id: int, year: int) -> list[MachineBook]:
    out = []
    for machine in list_machines(coop_id):
        terms = machine_terms(machine)
        year_fen = depreciation.year_amount(terms, year)
        accumulated = depreciation.accumulated_before(terms, year) + year_fen
        out.append(MachineBook(machine, depreciation.salvage_fen(terms), accumulated, year_fen,
                               machine.original_value_fen - accumulated))
    return out


# ---------------------------------------------------------------- clients

CLIENT_LABELS = {"kind": "类型", "name": "名称", "contact_person": "联系人", "phone": "电话",
                 "address": "地址", "note": "备注", "is_active": "在用"}
CLIENT_FIELDS = tuple(CLIENT_LABELS)
OUTSIDE_KINDS = (ClientKind.VILLAGE, ClientKind.COOPERATIVE, ClientKind.COMPANY,
                 ClientKind.INDIVIDUAL)


def describe_client_field(name: str, value: Any) -> tuple[str, str]:
    label = CLIENT_LABELS.get(name, name)
    if name == "kind" and value in ClientKind._value2member_map_:
        return label, ClientKind(value).label
    if name == "is_active":
        return label, "是" if value else "否"
    return label, "（空）" if value in (None, "") else str(value)


def initials(name: str) -> str:
    """Lower-case pinyin initials for search: 哈拉沁村 -> 'hlqc'."""
    letters = lazy_pinyin(name, style=Style.FIRST_LETTER, errors="default")
    return "".join(p[:1] for p in letters if p).lower()[:80]


def _client_errors(coop_id: int, values: dict[str, Any], exclude_id: int | None) -> dict:
    errors = {}
    if values.get("kind") not in {k.value for k in OUTSIDE_KINDS}:
        errors["kind"] = "请选择客户类型"
    name = values.get("name") or ""
    if not name:
        errors["name"] = "请填写客户名称"
    else:
        query = select(OutsideClient.id).where(OutsideClient.cooperative_id == coop_id,
                                               OutsideClient.name == name)
        if exclude_id:
            query = query.where(OutsideClient.id != exclude_id)
        if db.session.scalar(query):
            errors["name"] = f"客户“{name}”已存在"
    phone = values.get("phone") or ""
    if phone and not phone.replace("-", "").replace(" ", "").isdigit():
        errors["phone"] = "电话只能填数字"
    for name, message in _length_errors(OutsideClient, values, {
            "name": "客户名称", "contact_person": "联系人", "phone": "电话",
            "address": "地址"}).items():
        errors.setdefault(name, message)
    return errors


def _clean_client(values: dict[str, Any]) -> dict[str, Any]:
    out = {k: values.get(k) for k in CLIENT_FIELDS}
    for key in ("name", "contact_person", "phone", "address", "note"):
        out[key] = (out.get(key) or "").strip()
    out["is_active"] = bool(values.get("is_active", True))
    return out


def create_client(coop_id: int, values: dict[str, Any]) -> OutsideClient:
    values = _clean_client(values)
    if errors := _client_errors(coop_id, values, None):
        raise ValidationFailed(errors)
    client = OutsideClient(cooperative_id=coop_id, name_initials=initials(values["name"]),
                           **values)
    db.session.add(client)
    db.session.flush()
    return client


def update_client(coop_id: int, client: OutsideClient, values: dict[str, Any],
                  expected_version: int | None) -> OutsideClient:
    values = _clean_client(values)
    if errors := _client_errors(coop_id, values, client.id):
        raise ValidationFailed(errors)
    check_version(client, expected_version, describe_client_field)
    for key, value in values.items():
        setattr(client, key, value)
    client.name_initials = initials(values["name"])
    db.session.flush()
    return client


def get_client(coop_id: int, client_id: int) -> OutsideClient | None:
    client = db.session.get(OutsideClient, client_id)
    return client if client is not None and client.cooperative_id == coop_id else None


def list_clients(coop_id: int, kind: str | None = None) -> list[OutsideClient]:
    query = select(OutsideClient).where(OutsideClient.cooperative_id == coop_id)
    if kind:
        query = query.where(OutsideClient.kind == kind)
    return list(db.session.scalars(query.order_by(OutsideClient.kind, OutsideClient.name)))


@dataclass(frozen=True)
class ClientHit:
    ref: str           # "m:<member id>" or "c:<outside client id>"
    name: str
    kind: str
    kind_label: str
    detail: str

    @property
    def is_member(self) -> bool:
        return self.kind == ClientKind.MEMBER


def _like_prefix(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def search_clients(coop_id: int, text: str, limit: int = 8) -> list[ClientHit]:
    """Members and outside clients whose name, initials, number or phone start
    with ``text`` (outside clients also by any part of the name)."""
    text = (text or "").strip()
    if not text:
        return []
    prefix = _like_prefix(text)
    lower_prefix = _like_prefix(text.lower())
    members = db.session.scalars(
        select(Member).where(
            Member.cooperative_id == coop_id,
            Member.status == "active",
            or_(Member.name.like(prefix, escape="\\"),
                Member.name_initials.like(lower_prefix, escape="\\"),
                Member.member_no.like(prefix, escape="\\"),
                Member.phone.like(prefix, escape="\\")),
        ).order_by(Member.member_no).limit(limit))
    hits = [ClientHit(f"m:{m.id}", m.name, ClientKind.MEMBER, ClientKind.MEMBER.label,
                      " ".join(x for x in (m.member_no, m.village_group) if x))
            for m in members]
    contains = "%" + _like_prefix(text)
    outside = db.session.scalars(
        select(OutsideClient).where(
            OutsideClient.cooperative_id == coop_id,
            OutsideClient.is_active.is_(True),
            or_(OutsideClient.name.like(contains, escape="\\"),
                OutsideClient.name_initials.like(lower_prefix, escape="\\"),
                OutsideClient.phone.like(prefix, escape="\\")),
        ).order_by(OutsideClient.name).limit(limit))
    hits += [ClientHit(f"c:{c.id}", c.name, c.kind, c.kind_label,
                       " ".join(x for x in (c.contact_person, c.phone) if x))
             for c in outside]
    exact = [h for h in hits if h.name == text]
    rest = [h for h in hits if h.name != text]
    return (exact + rest)[:limit]


@dataclass(frozen=True)
class ClientRef:
    member: Member | None
    client: OutsideClient | None

    @property
    def is_member(self) -> bool:
        return self.member is not None

    @property
    def name(self) -> str:
        return self.member.name if self.member else self.client.name

    @property
    def ref(self) -> str:
        return f"m:{self.member.id}" if self.member else f"c:{self.client.id}"

    @property
    def kind(self) -> str:
        return ClientKind.MEMBER if self.member else self.client.kind

    @property
    def kind_label(self) -> str:
        return ClientKind(self.kind).label


def resolve_client(coop_id: int, ref: str | None, text: str | None = None) -> ClientRef:
    """The client picked in the form (``ref``), or, without a pick, the one
    client whose name or member number is exactly ``text``."""
    ref = (ref or "").strip()
    if ref:
        kind, _, raw_id = ref.partition(":")
        if (ref_id := parse_id(raw_id)) is not None:
            if kind == "m":
                member = db.session.get(Member, ref_id)
                if member is not None and member.cooperative_id == coop_id:
                    return ClientRef(member, None)
            elif kind == "c":
                client = get_client(coop_id, ref_id)
                if client is not None:
                    return ClientRef(None, client)
        raise ServiceError("找不到所选客户，请重新输入并从列表中选择", field="client")
    text = (text or "").strip()
    if not text:
        raise ServiceError("请填写客户（输入姓名、拼音首字母或编号后从列表中选择）", field="client")
    members = list(db.session.scalars(select(Member).where(
        Member.cooperative_id == coop_id, or_(Member.name == text, Member.member_no == text))))
    clients = list(db.session.scalars(select(OutsideClient).where(
        OutsideClient.cooperative_id == coop_id, OutsideClient.name == text)))
    found = [ClientRef(m, None) for m in members] + [ClientRef(None, c) for c in clients]
    if len(found) == 1:
        return found[0]
    if not found:
        raise ServiceError(f"没有名为“{text}”的成员或客户；外村、合作社、企业请先在“客户”中登记",
                           field="client")
    raise ServiceError(f"有 {len(found)} 个客户叫“{text}”，请输入成员编号或从列表中选择",
                       field="client")


# ---------------------------------------------------------------- prices

def prices_for_year(coop_id: int, year: int) -> dict[str, ServicePrice]:
    return {p.service: p for p in db.session.scalars(select(ServicePrice).where(
        ServicePrice.cooperative_id == coop_id, ServicePrice.year == year))}


def price_for(coop_id: int, year: int, service: str, is_member: bool) -> int | None:
    price = db.session.scalar(select(ServicePrice).where(
        ServicePrice.cooperative_id == coop_id, ServicePrice.year == year,
        ServicePrice.service == service))
    if price is None:
        return None
    return price.member_price_fen if is_member else price.market_price_fen


def set_prices(coop_id: int, year: int, rows: dict[str, tuple[int | None, int | None]]) -> None:
    """rows: service -> (member price, market price) in fen per mu; a service
    with both prices empty is removed from the list."""
    if is_year_locked(coop_id, year):
        raise ServiceError(f"{year} 年度已结账锁定，价格表不能再修改")
    errors = {}
    for service, (member_fen, market_fen) in rows.items():
        if service not in Service._value2member_map_:
            raise ServiceError("未知的作业项目")
        label = Service(service).label
        if (member_fen is None) != (market_fen is None):
            errors[f"{service}-member" if member_fen is None else f"{service}-market"] = \
                f"{label}：成员价和市场价要么都填，要么都不填"
        for suffix, value in (("member", member_fen), ("market", market_fen)):
            if value is not None and not 0 <= value <= MAX_PRICE_FEN:
                errors[f"{service}-{suffix}"] = f"{label}：单价应在 0 到 10,000 元/亩之间"
    if errors:
        raise ValidationFailed(errors)
    existing = prices_for_year(coop_id, year)
    for service, (member_fen, market_fen) in rows.items():
        row = existing.get(service)
        if member_fen is None:
            if row is not None:
                db.session.delete(row)
            continue
        if row is None:
            db.session.add(ServicePrice(cooperative_id=coop_id, year=year, service=service,
                                        member_price_fen=member_fen, market_price_fen=market_fen))
        elif (row.member_price_fen, row.market_price_fen) != (member_fen, market_fen):
            row.member_price_fen, row.market_price_fen = member_fen, market_fen
    db.session.flush()


# ---------------------------------------------------------------- orders

ORDER_LABELS = {
    "service_on": "作业日期", "member_id": "成员", "client_id": "客户", "service": "作业项目",
    "plot": "地块", "area_cmu": "面积", "unit_price_fen": "单价", "amount_fen": "金额",
    "machine_id": "农机", "operator": "机手", "fuel_cl": "油耗", "note": "备注",
}


def describe_order_field(name: str, value: Any) -> tuple[str, str]:
    label = ORDER_LABELS.get(name, name)
    if value is None or value == "":
        return label, "（空）"
    if name == "area_cmu":
        return label, format_mu(value) + " 亩"
    if name == "fuel_cl":
        return label, format_mu(value) + " 升"
    if name.endswith("_fen"):
        return label, format_yuan(value) + " 元"
    if name == "service" and value in Service._value2member_map_:
        return label, Service(value).label
    return label, str(value)


def get_order(coop_id: int, order_id: int) -> ServiceOrder | None:
    order = db.session.get(ServiceOrder, order_id)
    return order if order is not None and order.cooperative_id == coop_id else None


def _highest_order_no(coop_id: int, year: int) -> int:
    """The highest number among the year's orders in the table (0 if none),
    compared as numbers: '2026-100000' comes after '2026-99999'. Read as a
    range ('.' follows '-') that the (cooperative_id, order_no) index serves;
    SQLite's LIKE would walk every order of the cooperative."""
    return db.session.scalar(
        select(func.max(cast(func.substr(ServiceOrder.order_no, len(f"{year}-") + 1), Integer)))
        .where(ServiceOrder.cooperative_id == coop_id, ServiceOrder.order_no >= f"{year}-",
               ServiceOrder.order_no < f"{year}.")) or 0


def _next_order_no(coop_id: int, year: int) -> str:
    """Take the next order number of ``year``: its counter goes up by one.

    The UPDATE holds the counter (SQLite's write lock, PostgreSQL's row lock)
    until the transaction ends, so two clerks saving at the same moment get
    consecutive numbers. A year's first order here starts the counter after
    the highest number already used (orders entered before counters existed).
    """
    counter = OrderCounter.__table__
    where = (counter.c.cooperative_id == coop_id, counter.c.year == year)
    for _ in range(3):
        if db.session.execute(update(counter).where(*where)
                              .values(last_no=counter.c.last_no + 1)).rowcount:
            n = db.session.scalar(select(counter.c.last_no).where(*where))
            return f"{year}-{n:05d}"
        n = _highest_order_no(coop_id, year) + 1
        try:
            with db.session.begin_nested():
                db.session.execute(insert(counter).values(cooperative_id=coop_id, year=year,
                                                          last_no=n))
            return f"{year}-{n:05d}"
        except IntegrityError:  # another clerk started the counter first: take the next
            continue
    raise ServiceError("作业单编号分配失败，请重试")


def _insert_numbered(coop_id: int, order: ServiceOrder, year: int) -> None:
    """Add ``order`` with the next number of ``year`` from its counter. Should
    that number be taken all the same (an order written without the counter,
    e.g. by an import), the insert hits the unique constraint inside a
    savepoint and the number after is taken."""
    for attempt in range(10):
        order.order_no = _next_order_no(coop_id, year)
        try:
            with db.session.begin_nested():
                db.session.add(order)
            return
        except IntegrityError as exc:
            if "order_no" not in str(exc.orig) or attempt == 9:
                raise


@dataclass
class OrderInput:
    service_on: date | None
    client_ref: str | None = None
    client_text: str | None = None
    service: str | None = None
    plot: str = ""
    area_cmu: int | None = None
    unit_price_fen: int | None = None
    machine_id: int | None = None
    operator: str = ""
    fuel_cl: int | None = 0
    note: str = ""


def _order_values(coop_id: int, data: OrderInput) -> tuple[dict[str, Any], ClientRef]:
    errors: dict[str, str] = {}
    client = None
    try:
        client = resolve_client(coop_id, data.client_ref, data.client_text)
    except ServiceError as exc:
        errors["client"] = exc.message
    if data.service_on is None:
        errors["service_on"] = "请填写作业日期"
    if data.service not in Service._value2member_map_:
        errors["service"] = "请选择作业项目"
    if data.area_cmu is None or data.area_cmu <= 0:
        errors["area_cmu"] = "面积必须大于 0"
    elif data.area_cmu > MAX_AREA_CMU:
        errors["area_cmu"] = "面积过大，请核对"
    price = data.unit_price_fen
    if price is None and client is not None and data.service_on and "service" not in errors:
        price = price_for(coop_id, data.service_on.year, data.service, client.is_member)
    if price is None:
        errors.setdefault("unit_price_fen", "请填写单价（价格表中没有这一项）")
    elif not 0 <= price <= MAX_PRICE_FEN:
        errors["unit_price_fen"] = "单价应在 0 到 10,000 元/亩之间"
    fuel = data.fuel_cl or 0
    if fuel < 0 or fuel > MAX_FUEL_CL:
        errors["fuel_cl"] = "油耗应在 0 到 100,000 升之间"
    errors.update(_length_errors(ServiceOrder, {"plot": data.plot, "operator": data.operator},
                                 {"plot": "地块", "operator": "机手"}))
    machine = None
    if data.machine_id:
        machine = get_machine(coop_id, data.machine_id)
        if machine is None:
            errors["machine_id"] = "找不到所选农机"
        elif data.service_on and machine.disposed_on and data.service_on > machine.disposed_on:
            errors["machine_id"] = f"{machine.name} 已于 {machine.disposed_on} 处置"
    if errors:
        raise ValidationFailed(errors)
    values = {
        "service_on": data.service_on,
        "member_id": client.member.id if client.member else None,
        "client_id": client.client.id if client.client else None,
        "service": data.service,
        "plot": (data.plot or "").strip()[:80],
        "area_cmu": data.area_cmu,
        "unit_price_fen": price,
        "amount_fen": order_amount(data.area_cmu, price),
        "machine_id": machine.id if machine else None,
        "operator": (data.operator or "").strip()[:40],
        "fuel_cl": fuel,
        "note": (data.note or "").strip(),
    }
    return values, client


def create_order(coop_id: int, data: OrderInput) -> ServiceOrder:
    values, _ = _order_values(coop_id, data)
    ensure_date_open(coop_id, values["service_on"], field="service_on")
    order = ServiceOrder(cooperative_id=coop_id, **values)
    _insert_numbered(coop_id, order, values["service_on"].year)
    db.session.flush()
    return order


def paid_fen(order: ServiceOrder) -> int:
    return db.session.scalar(select(func.coalesce(func.sum(ServicePayment.amount_fen), 0))
                             .where(ServicePayment.order_id == order.id))


def reversed_fen(order: ServiceOrder) -> int:
    """Sum of the (negative) reversals of an order."""
    return db.session.scalar(select(func.coalesce(func.sum(ServiceOrder.amount_fen), 0))
                             .where(ServiceOrder.reverses_id == order.id))


def reversed_area(order: ServiceOrder) -> int:
    return db.session.scalar(select(func.coalesce(func.sum(ServiceOrder.area_cmu), 0))
                             .where(ServiceOrder.reverses_id == order.id))


def outstanding_fen(order: ServiceOrder) -> int:
    return order.amount_fen + reversed_fen(order) - paid_fen(order)


def update_order(coop_id: int, order: ServiceOrder, data: OrderInput,
                 expected_version: int | None) -> ServiceOrder:
    if order.reverses_id is not None:
        raise ServiceError("冲销单不能修改")
    ensure_record_editable(coop_id, order.service_on, "作业单")
    values, _ = _order_values(coop_id, data)
    ensure_date_open(coop_id, values["service_on"], field="service_on")
    check_version(order, expected_version, describe_order_field)
    paid = paid_fen(order)
    if values["amount_fen"] < paid:
        raise ValidationFailed({"area_cmu": f"修改后金额 {format_yuan(values['amount_fen'])} 元"
                                f"少于已收款 {format_yuan(paid)} 元，请先冲销收款"})
    if values["service_on"].year != order.service_on.year:
        order.order_no = _next_order_no(coop_id, values["service_on"].year)
    for key, value in values.items():
        setattr(order, key, value)
    db.session.flush()
    return order


def delete_order(coop_id: int, order: ServiceOrder) -> None:
    """An order entered by mistake in an open year, with no payments, may be deleted.

    This is consistent with DESIGN.md: only closed years are append-only
    (corrected by reversing entries); an open year's orders may be edited,
    and a deletion is an edit that the audit log records with every value of
    the order (action "delete"). Once money was received against the order -
    even if that payment was reversed later - the order stays, so the payment
    history keeps pointing at it."""
    ensure_record_editable(coop_id, order.service_on, "作业单")
    if order.reverses_id is not None:
        raise ServiceError("冲销单不能删除")
    if db.session.scalar(select(ServicePayment.id).where(ServicePayment.order_id == order.id)):
        raise ServiceError("该作业单已有收款记录（包括已冲销的收款），不能删除；"
                           "如有录错，请直接修改作业单")
    if db.session.scalar(select(ServiceOrder.id).where(ServiceOrder.reverses_id == order.id)):
        raise ServiceError("该作业单已有冲销记录，不能删除")
    db.session.delete(order)
    db.session.flush()


def reverse_order(coop_id: int, order: ServiceOrder, on: date, area_cmu: int | None,
                  reason: str) -> ServiceOrder:
    """Reverse all or part (``area_cmu``) of an order of a closed year with a
    negative order dated ``on`` in an open year."""
    if order.reverses_id is not None:
        raise ServiceError("冲销单不能再冲销")
    if not is_year_locked(coop_id, order.service_on.year):
        raise ServiceError(f"{order.service_on.year} 年度尚未结账，请直接修改作业单")
    if on is None:
        raise ValidationFailed({"on": "请填写冲销日期"})
    ensure_date_open(coop_id, on, field="on")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed({"reason": "请填写冲销原因"})
    remaining_area = order.area_cmu + reversed_area(order)
    remaining_amount = order.amount_fen + reversed_fen(order)
    if remaining_area <= 0:
        raise ServiceError("该作业单已全部冲销")
    if area_cmu is None or area_cmu == remaining_area:
        area_cmu, amount = remaining_area, remaining_amount
    elif not 0 < area_cmu < remaining_area:
        raise ValidationFailed({"area_cmu": f"冲销面积应大于 0 且不超过 {format_mu(remaining_area)} 亩"})
    else:
        amount = order_amount(area_cmu, order.unit_price_fen)
    unpaid = remaining_amount - paid_fen(order)
    if amount > unpaid:
        raise ServiceError(f"该作业单尚未收款 {format_yuan(unpaid)} 元，冲销金额 {format_yuan(amount)} 元"
                           "超过了未收部分；请先冲销多收的款项")
    reversal = ServiceOrder(
        cooperative_id=coop_id, order_no=_next_order_no(coop_id, on.year), service_on=on,
        member_id=order.member_id, client_id=order.client_id, service=order.service,
        plot=order.plot, area_cmu=-area_cmu, unit_price_fen=order.unit_price_fen,
        amount_fen=-amount, machine_id=order.machine_id, operator=order.operator, fuel_cl=0,
        note=f"冲销 {order.order_no}：{reason}", reverses_id=order.id)
    db.session.add(reversal)
    db.session.flush()
    return reversal


def _paid_subquery():
    return (select(ServicePayment.order_id, func.sum(ServicePayment.amount_fen).label("paid"))
            .group_by(ServicePayment.order_id).subquery())


def _reversed_subquery():
    rev = ServiceOrder.__table__.alias("rev")
    return (select(rev.c.reverses_id.label("order_id"), func.sum(rev.c.amount_fen).label("rev"))
            .where(rev.c.reverses_id.is_not(None)).group_by(rev.c.reverses_id).subquery())


def browse_orders(coop_id: int, year: int | None = None, service: str | None = None,
                  client_ref: str | None = None, unpaid_only: bool = False,
                  page: int = 1, per_page: int = 50) -> Page:
    """Orders newest first, each with (order, paid, reversed, outstanding).

    Paid and reversed sums are correlated subqueries of the orders on the
    page, and the count reads only the orders: joining the sums of every
    payment and reversal made the page take 4 s at 1,000,000 orders (issue 8
    load test)."""
    pay, rev = ServicePayment.__table__, ServiceOrder.__table__.alias("rev")
    paid_col = (select(func.coalesce(func.sum(pay.c.amount_fen), 0))
                .where(pay.c.order_id == ServiceOrder.id).scalar_subquery())
    rev_col = (select(func.coalesce(func.sum(rev.c.amount_fen), 0))
               .where(rev.c.reverses_id == ServiceOrder.id).scalar_subquery())
    query = (select(ServiceOrder, paid_col, rev_col)
             .where(ServiceOrder.cooperative_id == coop_id))
    if year:
        query = query.where(_in_year(ServiceOrder.service_on, year))
    if service:
        query = query.where(ServiceOrder.service == service)
    if client_ref:
        kind, _, raw = client_ref.partition(":")
        if (ref_id := parse_id(raw)) is not None:
            column = ServiceOrder.member_id if kind == "m" else ServiceOrder.client_id
            query = query.where(column == ref_id)
    if unpaid_only:
        query = query.where(ServiceOrder.reverses_id.is_(None),
                            ServiceOrder.amount_fen + rev_col - paid_col > 0)
    counted = query.with_only_columns(ServiceOrder.id) if not unpaid_only else query
    total = db.session.scalar(select(func.count()).select_from(counted.subquery()))
    page = max(1, page)
    rows = db.session.execute(query.order_by(ServiceOrder.service_on.desc(),
                                             ServiceOrder.id.desc())
                              .limit(per_page).offset((page - 1) * per_page)).unique().all()
    items = [(o, p, r, 0 if o.reverses_id else o.amount_fen + r - p) for o, p, r in rows]
    return Page(items, page, per_page, total)


def recent_orders(coop_id: int, limit: int = 8) -> list[ServiceOrder]:
    return list(db.session.scalars(select(ServiceOrder).where(
        ServiceOrder.cooperative_id == coop_id).order_by(ServiceOrder.id.desc()).limit(limit)))


def order_payments(order: ServiceOrder) -> list[ServicePayment]:
    return list(db.session.scalars(select(ServicePayment).where(
        ServicePayment.order_id == order.id).order_by(ServicePayment.paid_on, ServicePayment.id)))


def order_reversals(order: ServiceOrder) -> list[ServiceOrder]:
    return list(db.session.scalars(select(ServiceOrder).where(
        ServiceOrder.reverses_id == order.id).order_by(ServiceOrder.id)))


# ---------------------------------------------------------------- payments

def _lock_order(order: ServiceOrder) -> None:
    """Row lock on PostgreSQL so that two payments cannot both pass the limit."""
    db.session.execute(select(ServiceOrder.id).where(ServiceOrder.id == order.id)
                       .with_for_update())


def record_payment(coop_id: int, order: ServiceOrder, paid_on: date | None, amount_fen: int | None,
                   method: str | None, note: str = "") -> ServicePayment:
    errors = {}
    if paid_on is None:
        errors["paid_on"] = "请填写收款日期"
    if amount_fen is None or amount_fen <= 0:
        errors["amount_fen"] = "收款金额必须大于 0"
    if method not in PaymentMethod._value2member_map_:
        errors["method"] = "请选择收款方式"
    if errors:
        raise ValidationFailed(errors)
    if order.reverses_id is not None:
        raise ServiceError("冲销单不能收款")
    ensure_date_open(coop_id, paid_on, field="paid_on")
    _lock_order(order)
    owed = outstanding_fen(order)
    if amount_fen > owed:
        if owed <= 0:
            raise ValidationFailed({"amount_fen": f"作业单 {order.order_no} 已全部收清，不能再收款"})
        raise ValidationFailed({"amount_fen": f"收款 {format_yuan(amount_fen)} 元超过了未收金额 "
                                              f"{format_yuan(owed)} 元"})
    payment = ServicePayment(cooperative_id=coop_id, order_id=order.id, paid_on=paid_on,
                             amount_fen=amount_fen, method=method, note=(note or "").strip()[:200])
    db.session.add(payment)
    db.session.flush()
    return payment


def client_open_orders(coop_id: int, client_ref: str) -> list[tuple[ServiceOrder, int]]:
    """(order, outstanding) of a client's unpaid orders, oldest first."""
    page = browse_orders(coop_id, client_ref=client_ref, unpaid_only=True, per_page=10_000)
    items = [(o, out) for o, _, _, out in page.items if out > 0]
    items.sort(key=lambda x: (x[0].service_on, x[0].id))
    return items


def record_client_payment(coop_id: int, client_ref: str, paid_on: date | None,
                          amount_fen: int | None, method: str | None,
                          note: str = "") -> list[ServicePayment]:
    """A client pays a lump sum: it settles their oldest unpaid orders first."""
    resolve_client(coop_id, client_ref)
    errors = {}
    if paid_on is None:
        errors["paid_on"] = "请填写收款日期"
    if amount_fen is None or amount_fen <= 0:
        errors["amount_fen"] = "收款金额必须大于 0"
    if method not in PaymentMethod._value2member_map_:
        errors["method"] = "请选择收款方式"
    if errors:
        raise ValidationFailed(errors)
    ensure_date_open(coop_id, paid_on, field="paid_on")
    open_orders = client_open_orders(coop_id, client_ref)
    owed = sum(out for _, out in open_orders)
    if amount_fen > owed:
        raise ValidationFailed({"amount_fen": f"收款 {format_yuan(amount_fen)} 元超过了该客户的"
                                              f"未收总额 {format_yuan(owed)} 元"})
    payments = []
    left = amount_fen
    for order, out in open_orders:
        if left <= 0:
            break
        part = min(left, out)
        payments.append(record_payment(coop_id, order, paid_on, part, method, note))
        left -= part
    return payments


def get_payment(coop_id: int, payment_id: int) -> ServicePayment | None:
    payment = db.session.get(ServicePayment, payment_id)
    return payment if payment is not None and payment.cooperative_id == coop_id else None


def _check_reversible(model, row, what: str) -> None:
    if row.reverses_id is not None:
        raise ServiceError(f"冲销记录不能再冲销")
    if db.session.scalar(select(model.id).where(model.reverses_id == row.id)):
        raise ServiceError(f"该{what}已冲销过")


def reverse_payment(coop_id: int, payment: ServicePayment, on: date | None,
                    reason: str) -> ServicePayment:
    _check_reversible(ServicePayment, payment, "收款")
    if on is None:
        raise ValidationFailed({"on": "请填写冲销日期"})
    ensure_date_open(coop_id, on, field="on")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed({"reason": "请填写冲销原因"})
    reversal = ServicePayment(cooperative_id=coop_id, order_id=payment.order_id, paid_on=on,
                              amount_fen=-payment.amount_fen, method=payment.method,
                              note=f"冲销收款：{reason}"[:200], reverses_id=payment.id)
    db.session.add(reversal)
    db.session.flush()
    return reversal


# ---------------------------------------------------------------- expenses and other income

def create_expense(coop_id: int, spent_on: date | None, kind: str | None, amount_fen: int | None,
                   machine_id: int | None = None, payee: str = "", note: str = "") -> Expense:
    errors = {}
    if spent_on is None:
        errors["spent_on"] = "请填写日期"
    if kind not in ExpenseKind._value2member_map_:
        errors["kind"] = "请选择费用类别"
    if amount_fen is None or amount_fen <= 0:
        errors["amount_fen"] = "金额必须大于 0"
    elif amount_fen > MAX_AMOUNT_FEN:
        errors["amount_fen"] = "金额过大，请核对"
    if machine_id and get_machine(coop_id, machine_id) is None:
        errors["machine_id"] = "找不到所选农机"
    if errors:
        raise ValidationFailed(errors)
    ensure_date_open(coop_id, spent_on, field="spent_on")
    expense = Expense(cooperative_id=coop_id, spent_on=spent_on, kind=kind,
                      amount_fen=amount_fen, machine_id=machine_id or None,
                      payee=(payee or "").strip()[:80], note=(note or "").strip()[:200])
    db.session.add(expense)
    db.session.flush()
    return expense


def get_expense(coop_id: int, expense_id: int) -> Expense | None:
    row = db.session.get(Expense, expense_id)
    return row if row is not None and row.cooperative_id == coop_id else None


def reverse_expense(coop_id: int, expense: Expense, on: date | None, reason: str) -> Expense:
    _check_reversible(Expense, expense, "费用")
    if on is None:
        raise ValidationFailed({"on": "请填写冲销日期"})
    ensure_date_open(coop_id, on, field="on")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed({"reason": "请填写冲销原因"})
    reversal = Expense(cooperative_id=coop_id, spent_on=on, kind=expense.kind,
                       machine_id=expense.machine_id, amount_fen=-expense.amount_fen,
                       payee=expense.payee, note=f"冲销：{reason}"[:200], reverses_id=expense.id)
    db.session.add(reversal)
    db.session.flush()
    return reversal


def browse_expenses(coop_id: int, year: int, kind: str | None = None,
                    machine_id: int | None = None) -> list[Expense]:
    query = select(Expense).where(Expense.cooperative_id == coop_id,
                                  _in_year(Expense.spent_on, year))
    if kind:
        query = query.where(Expense.kind == kind)
    if machine_id:
        query = query.where(Expense.machine_id == machine_id)
    return list(db.session.scalars(query.order_by(Expense.spent_on.desc(), Expense.id.desc())))


def create_income(coop_id: int, received_on: date | None, kind: str | None,
                  amount_fen: int | None, payer: str = "", note: str = "") -> OtherIncome:
    errors = {}
    if received_on is None:
        errors["received_on"] = "请填写日期"
    if kind not in IncomeKind._value2member_map_:
        errors["kind"] = "请选择收入类别"
    if amount_fen is None or amount_fen <= 0:
        errors["amount_fen"] = "金额必须大于 0"
    elif amount_fen > MAX_AMOUNT_FEN:
        errors["amount_fen"] = "金额过大，请核对"
    if errors:
        raise ValidationFailed(errors)
    ensure_date_open(coop_id, received_on, field="received_on")
    income = OtherIncome(cooperative_id=coop_id, received_on=received_on, kind=kind,
                         distributable=IncomeKind(kind).distributable, amount_fen=amount_fen,
                         payer=(payer or "").strip()[:80], note=(note or "").strip()[:200])
    db.session.add(income)
    db.session.flush()
    return income


def get_income(coop_id: int, income_id: int) -> OtherIncome | None:
    row = db.session.get(OtherIncome, income_id)
    return row if row is not None and row.cooperative_id == coop_id else None


def reverse_income(coop_id: int, income: OtherIncome, on: date | None,
                   reason: str) -> OtherIncome:
    _check_reversible(OtherIncome, income, "收入")
    if on is None:
        raise ValidationFailed({"on": "请填写冲销日期"})
    ensure_date_open(coop_id, on, field="on")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed({"reason": "请填写冲销原因"})
    reversal = OtherIncome(cooperative_id=coop_id, received_on=on, kind=income.kind,
                           distributable=income.distributable, amount_fen=-income.amount_fen,
                           payer=income.payer, note=f"冲销：{reason}"[:200],
                           reverses_id=income.id)
    db.session.add(reversal)
    db.session.flush()
    return reversal


def browse_incomes(coop_id: int, year: int) -> list[OtherIncome]:
    return list(db.session.scalars(select(OtherIncome).where(
        OtherIncome.cooperative_id == coop_id, _in_year(OtherIncome.received_on, year))
        .order_by(OtherIncome.received_on.desc(), OtherIncome.id.desc())))


def reversed_ids(model, coop_id: int) -> set[int]:
    return set(db.session.scalars(select(model.reverses_id).where(
        model.cooperative_id == coop_id, model.reverses_id.is_not(None))))


# ---------------------------------------------------------------- receivables

@dataclass
class ReceivableOrder:
    order: ServiceOrder
    outstanding_fen: int
    bucket: str
    days: int


@dataclass
class ClientReceivable:
    ref: str
    name: str
    kind_label: str
    buckets: dict[str, int] = field(default_factory=lambda: {k: 0 for k, _ in AGING_BUCKETS})
    orders: list[ReceivableOrder] = field(default_factory=list)

    @property
    def total_fen(self) -> int:
        return sum(self.buckets.values())

    @property
    def oldest_days(self) -> int:
        return max((o.days for o in self.orders), default=0)


@dataclass
class Receivables:
    as_of: date
    clients: list[ClientReceivable]

    @property
    def totals(self) -> dict[str, int]:
        out = {k: 0 for k, _ in AGING_BUCKETS}
        for c in self.clients:
            for k, v in c.buckets.items():
                out[k] += v
        return out

    @property
    def total_fen(self) -> int:
        return sum(self.totals.values())


def receivables(coop_id: int, as_of: date | None = None) -> Receivables:
    """Unpaid orders by client, aged from the order date to ``as_of``."""
    as_of = as_of or clock.today()
    paid = _paid_subquery()
    rev = _reversed_subquery()
    outstanding = (ServiceOrder.amount_fen + func.coalesce(rev.c.rev, 0)
                   - func.coalesce(paid.c.paid, 0))
    rows = db.session.execute(
        select(ServiceOrder, outstanding)
        .outerjoin(paid, paid.c.order_id == ServiceOrder.id)
        .outerjoin(rev, rev.c.order_id == ServiceOrder.id)
        .where(ServiceOrder.cooperative_id == coop_id, ServiceOrder.reverses_id.is_(None),
               ServiceOrder.service_on <= as_of, outstanding > 0)
        .order_by(ServiceOrder.service_on, ServiceOrder.id)).unique().all()
    by_client: dict[str, ClientReceivable] = {}
    for order, out in rows:
        ref = order.client_ref
        entry = by_client.get(ref)
        if entry is None:
            kind = order.client_kind
            entry = by_client[ref] = ClientReceivable(ref, order.client_name,
                                                      ClientKind(kind).label)
        bucket = aging_bucket(order.service_on, as_of)
        entry.buckets[bucket] += out
        entry.orders.append(ReceivableOrder(order, out, bucket, (as_of - order.service_on).days))
    clients = sorted(by_client.values(), key=lambda c: (-c.total_fen, c.name))
    return Receivables(as_of, clients)


# ---------------------------------------------------------------- year figures and close

def _sum(query) -> int:
    return int(db.session.scalar(query) or 0)


def _computed_figures(coop_id: int, year: int) -> YearFigures:
    in_year = _in_year(ServiceOrder.service_on, year)
    members = _sum(select(func.sum(ServiceOrder.amount_fen)).where(
        ServiceOrder.cooperative_id == coop_id, in_year, ServiceOrder.member_id.is_not(None)))
    nonmembers = _sum(select(func.sum(ServiceOrder.amount_fen)).where(
        ServiceOrder.cooperative_id == coop_id, in_year, ServiceOrder.client_id.is_not(None)))
    income_in_year = and_(OtherIncome.cooperative_id == coop_id,
                          _in_year(OtherIncome.received_on, year))
    other = _sum(select(func.sum(OtherIncome.amount_fen)).where(
        income_in_year, OtherIncome.distributable.is_(True)))
    grants = _sum(select(func.sum(OtherIncome.amount_fen)).where(
        income_in_year, OtherIncome.distributable.is_(False)))
    expenses = _sum(select(func.sum(Expense.amount_fen)).where(
        Expense.cooperative_id == coop_id, _in_year(Expense.spent_on, year)))
    previous = get_year_close(coop_id, year - 1)
    carried_surplus, carried_loss = (
        carried_into_next_year(previous.surplus_fen, previous.distributed_fen)
        if previous is not None else (0, 0))
    return figures(year, service_income_members_fen=members,
                   service_income_nonmembers_fen=nonmembers, other_income_fen=other,
                   nondistributable_income_fen=grants, expenses_fen=expenses,
                   depreciation_fen=depreciation_for_year(coop_id, year),
                   carried_surplus_fen=carried_surplus, carried_loss_fen=carried_loss)


FIGURE_FIELDS = ("service_income_members_fen", "service_income_nonmembers_fen",
                 "other_income_fen", "nondistributable_income_fen", "expenses_fen",
                 "depreciation_fen", "carried_surplus_fen", "carried_loss_fen", "surplus_fen")


def get_year_close(coop_id: int, year: int) -> YearClose | None:
    return db.session.scalar(select(YearClose).where(
        YearClose.cooperative_id == coop_id, YearClose.year == year))


def year_figures(coop_id: int, year: int) -> YearFigures:
    """The figures of a year: as closed (frozen) for a closed year, computed
    from the ledger for an open one."""
    closed = get_year_close(coop_id, year)
    if closed is not None:
        return YearFigures(year=year, closed=True, retained_fen=closed.carry_forward_fen,
                           distributed_fen=closed.distributed_fen,
                           **{name: getattr(closed, name) for name in FIGURE_FIELDS})
    return _computed_figures(coop_id, year)


def member_transactions(coop_id: int, year: int) -> dict[int, int]:
    """member id -> the member's service transactions of the year (fen), net of
    reversals dated in the year; members with no positive total are left out.
    The patronage basis of the specialized mode."""
    rows = db.session.execute(
        select(ServiceOrder.member_id, func.sum(ServiceOrder.amount_fen))
        .where(ServiceOrder.cooperative_id == coop_id, ServiceOrder.member_id.is_not(None),
               _in_year(ServiceOrder.service_on, year))
        .group_by(ServiceOrder.member_id)
        .having(func.sum(ServiceOrder.amount_fen) > 0))
    return {member_id: int(total) for member_id, total in rows}


def _first_activity_year(coop_id: int) -> int | None:
    years = []
    for column, coop_col in ((ServiceOrder.service_on, ServiceOrder.cooperative_id),
                             (ServicePayment.paid_on, ServicePayment.cooperative_id),
                             (Expense.spent_on, Expense.cooperative_id),
                             (OtherIncome.received_on, OtherIncome.cooperative_id)):
        first = db.session.scalar(select(func.min(column)).where(coop_col == coop_id))
        if first:
            years.append(first.year)
    for machine in list_machines(coop_id):
        years.append(depreciation.first_month(machine_terms(machine))[0])
    return min(years) if years else None


def ledger_years(coop_id: int) -> list[int]:
    """Years to show: from the first year with any entry to the current year."""
    first = _first_activity_year(coop_id)
    this_year = clock.today().year
    closed = closed_years(coop_id)
    start = min([y for y in (first, *closed) if y is not None], default=this_year)
    return list(range(start, max(this_year, *closed, start) + 1))


def close_year(coop_id: int, year: int, user_id: int | None, carry_forward_fen: int = 0,
               expected_surplus_fen: int | None = None, note: str = "") -> YearClose:
    """Lock a year with its figures. Earlier years with entries must be closed first."""
    if is_year_locked(coop_id, year):
        raise ServiceError(f"{year} 年度已经结账" if is_year_closed(coop_id, year)
                           else f"{latest_closed_year(coop_id)} 年度已结账，更早的 {year} 年度不能再结账")
    if year >= clock.today().year:
        raise ServiceError(f"{year} 年度还没有结束，12 月 31 日以后才能结账")
    first = _first_activity_year(coop_id)
    if first is not None:
        closed = closed_years(coop_id)
        still_open = [y for y in range(first, year) if y not in closed]
        if still_open:
            raise ServiceError(f"请先结账 {still_open[0]} 年度（各年度须按顺序结账）")
    # What the previous year carries changes when its plan is approved
    # (coop.machinery.distribution): its row is locked so that cannot cross this close.
    db.session.scalar(select(YearClose).where(
        YearClose.cooperative_id == coop_id, YearClose.year == year - 1).with_for_update())
    result = _computed_figures(coop_id, year)
    if expected_surplus_fen is not None and expected_surplus_fen != result.surplus_fen:
        raise ServiceError("结账期间账目已有变动（盈余由 "
                           f"{format_yuan(expected_surplus_fen)} 元变为 {format_yuan(result.surplus_fen)} 元），"
                           "请核对新的数字后再确认结账")
    carry_forward_fen = carry_forward_fen or 0
    if carry_forward_fen < 0 or (carry_forward_fen > max(result.surplus_fen, 0)):
        raise ValidationFailed({"carry_forward_fen": "留存不分配、结转下年的盈余应在 0 到本年盈余之间"})
    row = YearClose(cooperative_id=coop_id, year=year, closed_at=clock.utcnow(),
                    closed_by_id=user_id, carry_forward_fen=carry_forward_fen,
                    note=(note or "").strip()[:200],
                    **{name: getattr(result, name) for name in FIGURE_FIELDS})
    db.session.add(row)
    db.session.flush()
    return row


# ---------------------------------------------------------------- reports

MONTHS = tuple(range(1, 13))


def _by_month(query_column, amount_column, coop_column, coop_id, year, *where) -> list[int]:
    month = extract("month", query_column)
    rows = db.session.execute(
        select(month, func.sum(amount_column))
        .where(coop_column == coop_id, _in_year(query_column, year), *where)
        .group_by(month))
    out = [0] * 12
    for m, total in rows:
        out[int(m) - 1] = int(total or 0)
    return out


@dataclass
class MonthlyReport:
    year: int
    service_income: list[int]
    other_income: list[int]
    grants: list[int]
    expenses: dict[str, list[int]]
    depreciation: list[int]

    @property
    def expense_total(self) -> list[int]:
        return [sum(v[i] for v in self.expenses.values()) for i in range(12)]

    @property
    def income_total(self) -> list[int]:
        return [a + b for a, b in zip(self.service_income, self.other_income)]

    @property
    def result(self) -> list[int]:
        return [i - e - d for i, e, d in zip(self.income_total, self.expense_total,
                                             self.depreciation)]


def monthly_report(coop_id: int, year: int) -> MonthlyReport:
    expenses = {
        kind.value: _by_month(Expense.spent_on, Expense.amount_fen, Expense.cooperative_id,
                              coop_id, year, Expense.kind == kind.value)
        for kind in ExpenseKind
    }
    return MonthlyReport(
        year=year,
        service_income=_by_month(ServiceOrder.service_on, ServiceOrder.amount_fen,
                                 ServiceOrder.cooperative_id, coop_id, year),
        other_income=_by_month(OtherIncome.received_on, OtherIncome.amount_fen,
                               OtherIncome.cooperative_id, coop_id, year,
                               OtherIncome.distributable.is_(True)),
        grants=_by_month(OtherIncome.received_on, OtherIncome.amount_fen,
                         OtherIncome.cooperative_id, coop_id, year,
                         OtherIncome.distributable.is_(False)),
        expenses=expenses,
        depreciation=depreciation_by_month(coop_id, year),
    )


@dataclass
class GroupLine:
    key: str
    label: str
    orders: int
    area_cmu: int
    amount_fen: int


def service_report(coop_id: int, year: int) -> list[GroupLine]:
    rows = {s: (n, a, t) for s, n, a, t in db.session.execute(
        select(ServiceOrder.service, func.count(ServiceOrder.id), func.sum(ServiceOrder.area_cmu),
               func.sum(ServiceOrder.amount_fen))
        .where(ServiceOrder.cooperative_id == coop_id, _in_year(ServiceOrder.service_on, year))
        .group_by(ServiceOrder.service))}
    return [GroupLine(s.value, s.label, int(rows[s][0]), int(rows[s][1] or 0), int(rows[s][2] or 0))
            for s in Service if s.value in rows]


def client_group_report(coop_id: int, year: int) -> list[GroupLine]:
    group = case((ServiceOrder.member_id.is_not(None), literal(ClientKind.MEMBER.value)),
                 else_=OutsideClient.kind)
    rows = {g: (n, a, t) for g, n, a, t in db.session.execute(
        select(group, func.count(ServiceOrder.id), func.sum(ServiceOrder.area_cmu),
               func.sum(ServiceOrder.amount_fen))
        .outerjoin(OutsideClient, OutsideClient.id == ServiceOrder.client_id)
        .where(ServiceOrder.cooperative_id == coop_id, _in_year(ServiceOrder.service_on, year))
        .group_by(group))}
    return [GroupLine(k.value, "本社成员" if k is ClientKind.MEMBER else k.label,
                      int(rows[k][0]), int(rows[k][1] or 0), int(rows[k][2] or 0))
            for k in ClientKind if k.value in rows]


@dataclass
class MachineLine:
    machine: Machine | None
    orders: int
    area_cmu: int
    fuel_cl: int
    income_fen: int
    fuel_fen: int
    repair_fen: int
    other_fen: int
    depreciation_fen: int

    @property
    def margin_fen(self) -> int:
        return (self.income_fen - self.fuel_fen - self.repair_fen - self.other_fen
                - self.depreciation_fen)

    @property
    def name(self) -> str:
        return self.machine.name if self.machine else "未指定农机"


def machine_report(coop_id: int, year: int) -> list[MachineLine]:
    orders = {mid: (n, a, f, t) for mid, n, a, f, t in db.session.execute(
        select(ServiceOrder.machine_id, func.count(ServiceOrder.id),
               func.sum(ServiceOrder.area_cmu), func.sum(ServiceOrder.fuel_cl),
               func.sum(ServiceOrder.amount_fen))
        .where(ServiceOrder.cooperative_id == coop_id, _in_year(ServiceOrder.service_on, year))
        .group_by(ServiceOrder.machine_id))}
    costs: dict[tuple[int | None, str], int] = {
        (mid, kind): int(total or 0) for mid, kind, total in db.session.execute(
            select(Expense.machine_id, Expense.kind, func.sum(Expense.amount_fen))
            .where(Expense.cooperative_id == coop_id, _in_year(Expense.spent_on, year),
                   Expense.machine_id.is_not(None))
            .group_by(Expense.machine_id, Expense.kind))}
    lines = []
    for machine in list_machines(coop_id):
        n, area, fuel, income = orders.get(machine.id, (0, 0, 0, 0))
        fuel_fen = costs.get((machine.id, ExpenseKind.FUEL.value), 0)
        repair_fen = costs.get((machine.id, ExpenseKind.REPAIR.value), 0)
        other_fen = sum(v for (mid, kind), v in costs.items() if mid == machine.id
                        and kind not in (ExpenseKind.FUEL.value, ExpenseKind.REPAIR.value))
        dep = depreciation.year_amount(machine_terms(machine), year)
        if not (n or fuel_fen or repair_fen or other_fen or dep):
            continue
        lines.append(MachineLine(machine, int(n), int(area or 0), int(fuel or 0),
                                 int(income or 0), fuel_fen, repair_fen, other_fen, dep))
    if None in orders:
        n, area, fuel, income = orders[None]
        lines.append(MachineLine(None, int(n), int(area or 0), int(fuel or 0), int(income or 0),
                                 0, 0, 0, 0))
    return lines


@dataclass
class MemberLine:
    member: Member
    orders: int
    area_cmu: int
    amount_fen: int
    paid_fen: int


def member_report(coop_id: int, year: int) -> list[MemberLine]:
    """Each member's service transactions in the year (amounts as member_transactions)."""
    in_year = _in_year(ServiceOrder.service_on, year)
    rows = db.session.execute(
        select(ServiceOrder.member_id, func.count(ServiceOrder.id),
               func.sum(ServiceOrder.area_cmu), func.sum(ServiceOrder.amount_fen))
        .where(ServiceOrder.cooperative_id == coop_id, ServiceOrder.member_id.is_not(None),
               in_year)
        .group_by(ServiceOrder.member_id)).all()
    paid = dict(db.session.execute(
        select(ServiceOrder.member_id, func.sum(ServicePayment.amount_fen))
        .join(ServiceOrder, ServiceOrder.id == ServicePayment.order_id)
        .where(ServiceOrder.cooperative_id == coop_id, ServiceOrder.member_id.is_not(None),
               in_year)
        .group_by(ServiceOrder.member_id)).all())
    members = {m.id: m for m in db.session.scalars(
        select(Member).where(Member.id.in_([r[0] for r in rows])))} if rows else {}
    lines = [MemberLine(members[mid], int(n), int(area or 0), int(total or 0),
                        int(paid.get(mid) or 0)) for mid, n, area, total in rows]
    lines.sort(key=lambda line: line.member.member_no)
    return lines


def year_summary_rows(f: YearFigures) -> list[tuple[str, int, str]]:
    """(label, amount, sign) lines of a year's surplus computation."""
    return [
        ("服务收入：本社成员", f.service_income_members_fen, "+"),
        ("服务收入：非成员", f.service_income_nonmembers_fen, "+"),
        ("其他可分配收入", f.other_income_fen, "+"),
        ("费用支出", f.expenses_fen, "-"),
        ("折旧", f.depreciation_fen, "-"),
        ("上年结转未分配盈余", f.carried_surplus_fen, "+"),
        ("上年结转亏损", f.carried_loss_fen, "-"),
    ]


def iter_years_with_state(coop_id: int) -> Iterable[tuple[int, YearClose | None]]:
    closes = {c.year: c for c in db.session.scalars(
        select(YearClose).where(YearClose.cooperative_id == coop_id))}
    for year in reversed(ledger_years(coop_id)):
        yield year, closes.get(year)
