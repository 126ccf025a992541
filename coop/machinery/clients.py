"""Who the machines work for: members as they are, and outside clients
(villages, cooperatives, companies, individuals) registered here."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pypinyin import Style, lazy_pinyin
from sqlalchemy import or_, select

from coop.audit.api import check_version
from coop.cooperatives.api import outside_village_word
from coop.database import parse_id
from coop.errors import ServiceError, ValidationFailed
from coop.extensions import db
from coop.machinery.constants import ClientKind
from coop.machinery.models import OutsideClient
from coop.machinery.periods import FieldLabels, added, length_errors, stripped
from coop.members.api import Member, MemberStatus
from coop.tenancy import find_owned

describe_client_field = FieldLabels(
    {"kind": "类型", "name": "名称", "contact_person": "联系人", "phone": "电话",
     "address": "地址", "note": "备注", "is_active": "在用"},
    enums={"kind": ClientKind}, flags=("is_active",))
CLIENT_FIELDS = describe_client_field.fields
OUTSIDE_KINDS = (ClientKind.VILLAGE, ClientKind.COOPERATIVE, ClientKind.COMPANY,
                 ClientKind.INDIVIDUAL)


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
    for name, message in length_errors(OutsideClient, values, {
            "name": "客户名称", "contact_person": "联系人", "phone": "电话",
            "address": "地址"}).items():
        errors.setdefault(name, message)
    return errors


def _checked_client(coop_id: int, values: dict[str, Any],
                    client: OutsideClient | None) -> dict[str, Any]:
    """The form's values, cleaned, with the name's initials; ValidationFailed
    when any is wrong or another client has the name."""
    out = stripped(values, CLIENT_FIELDS, ("name", "contact_person", "phone", "address", "note"))
    out["is_active"] = bool(values.get("is_active", True))
    if errors := _client_errors(coop_id, out, client.id if client else None):
        raise ValidationFailed(errors)
    out["name_initials"] = initials(out["name"])
    return out


def create_client(coop_id: int, values: dict[str, Any]) -> OutsideClient:
    client = OutsideClient(cooperative_id=coop_id, **_checked_client(coop_id, values, None))
    return added(client)


def update_client(coop_id: int, client: OutsideClient, values: dict[str, Any],
                  expected_version: int | None) -> OutsideClient:
    values = _checked_client(coop_id, values, client)
    check_version(client, expected_version, describe_client_field)
    for key, value in values.items():
        setattr(client, key, value)
    db.session.flush()
    return client


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
            Member.status == MemberStatus.ACTIVE,
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
        return self.client.kind_label if self.client else ClientKind.MEMBER.label


def picked_client(coop_id: int, ref: str | None) -> ClientRef | None:
    """The member (``m:<id>``) or outside client (``c:<id>``) of a pick;
    None when it is no client of the cooperative."""
    kind, _, raw_id = (ref or "").strip().partition(":")
    if kind == "m" and (member := find_owned(Member, parse_id(raw_id), coop_id)):
        return ClientRef(member, None)
    if kind == "c" and (client := find_owned(OutsideClient, parse_id(raw_id), coop_id)):
        return ClientRef(None, client)
    return None


def resolve_client(coop_id: int, ref: str | None, text: str | None = None) -> ClientRef:
    """The client picked in the form (``ref``), or, without a pick, the one
    client whose name or member number is exactly ``text``."""
    ref = (ref or "").strip()
    if ref:
        if (picked := picked_client(coop_id, ref)) is not None:
            return picked
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
        raise ServiceError(f"没有名为“{text}”的成员或客户；{outside_village_word(coop_id)}、合作社、企业请先在“客户”中登记",
                           field="client")
    raise ServiceError(f"有 {len(found)} 个客户叫“{text}”，请输入成员编号或从列表中选择",
                       field="client")
