"""A corpus of hostile and broken inputs, across the forms, imports and
command-line commands: HTML and script in names, SQL fragments, huge and
negative numbers, impossible dates, wrong encodings, over-long text,
missing columns, wrong file types, ids of another cooperative.

Each one must get a clear Chinese message and a 4xx status (or a non-zero
exit code), and leave the database byte-for-byte as it was.

The world is built once for the module (the demo cooperative wljs and a
second cooperative t2) and shared by the cases: every case asserts that it
changed nothing, so they cannot disturb each other.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from coop import clock, create_app
from coop.extensions import db
from coop.governance.meetings import ItemSpec, convene_meeting
from coop.machinery.constants import Service
from tests.conftest import CoopClient, _config, _empty_all_tables, credit_code_for, db_fingerprint
from tests.test_charter import GOOD

DEMO_PASSWORD = "wljs2023"
CHINESE = re.compile(r"[\u4e00-\u9fff]")
# the framework's own English messages must never reach the user
ENGLISH = re.compile(r"Not a valid|This field is required|Invalid (?:value|input|choice)|"
                     r"Field must be|is not a valid integer")


@dataclass
class World:
    app: Any
    ids: dict[str, Any] = field(default_factory=dict)
    tmp: Path = Path("/tmp")

    def client(self, who: str) -> CoopClient:
        client = self.app.test_client()
        coop, username, password = {
            "admin": ("wljs", "shuji", DEMO_PASSWORD),
            "accountant": ("wljs", "kuaiji", DEMO_PASSWORD),
            "supervisor": ("wljs", "jianshi", DEMO_PASSWORD),
            "other": ("t2", "t2admin", "t2-pass-123"),
            "member": ("wljs", self.ids["portal_user"], DEMO_PASSWORD),
        }[who]
        resp = client.post("/login", data={"coop": coop, "username": username,
                                           "password": password})
        assert resp.status_code == 302, (who, resp.status_code)
        return client


def _valid_id(n: int) -> str:
    from coop.idcodes import resident_id_check_char

    first17 = f"15020319800101{n:03d}"
    return first17 + resident_id_check_char(first17)


@pytest.fixture(scope="module")
def world(database_url, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("corpus")
    app = create_app({**_config(database_url, tmp), "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"})
    app.test_client_class = CoopClient
    from coop.auth.services import create_user
    from coop.cooperatives.services import create_cooperative
    from coop.demo import load_demo
    from coop.dividends.models import DividendPlan
    from coop.governance.api import record_unanimous_resolution
    from coop.machinery.machines import create_machine
    from coop.machinery.models import Machine, ServiceOrder
    from coop.members.models import Member
    from coop.members.services import create_member
    from coop.shares.models import ShareEntry
    from coop.shares.movements import record_contribution

    ids: dict[str, Any] = {}
    with app.app_context():
        load_demo()
        t2 = create_cooperative("t2", name="第二合作社", credit_code=credit_code_for(2),
                                village="二村", town="二镇")
        create_user(t2, "t2admin", "二社书记", "admin", password="t2-pass-123", must_change=False)
        other = create_member(t2, member_no="T2001", name="外社成员", kind="villager",
                              household_no="T2H1", id_number=_valid_id(901),
                              joined_on=date(2024, 1, 1))
        with clock.replaying(date(2024, 12, 20)):
            record_unanimous_resolution(
                t2, meeting_on=date(2024, 12, 20), meeting_title="二社成员大会",
                item_title="首笔入股", kind="other", place="二村村委会", convened_by="理事会",
                resolution_no="二社决议〔2024〕1号")
        record_contribution(t2, member_id=other.id, share_class="villager",
                            contribution_kind="cash", effective_on=date(2025, 1, 10),
                            amount_fen=100_000, resolution_no="二社决议〔2024〕1号")
        machine = create_machine(t2.id, {
            "name": "外社拖拉机", "category": "tractor", "model": "", "plate": "",
            "acquired_on": date(2024, 3, 1), "original_value_fen": 5_000_000,
            "source": "purchased", "useful_life_months": 120, "salvage_rate_bp": 500,
            "status": "in_service", "disposed_on": None, "note": ""})
        db.session.commit()
        wljs = db.session.scalar(select(Member.cooperative_id).where(Member.member_no != "T2001")
                                 .limit(1))
        villager = db.session.scalar(select(Member).where(
            Member.cooperative_id == wljs, Member.kind == "villager",
            Member.status == "active").order_by(Member.member_no))
        second = db.session.scalar(select(Member.member_no).where(
            Member.cooperative_id == wljs, Member.kind == "villager",
            Member.status == "active", Member.id != villager.id).order_by(Member.member_no))
        from coop.auth.models import User

        portal = db.session.scalar(select(User).where(
            User.cooperative_id == wljs, User.role == "member").order_by(User.id))
        meeting = convene_meeting(wljs, regime="collective", body="assembly", title="成员大会",
                                  meeting_on=date(2026, 7, 1), place="村委会", convened_by="理事会",
                                  notice_on=date(2026, 6, 15), items=[ItemSpec(kind="other", title="修路")])
        from coop.membership import lists, rosters
        from coop.membership.models import MembershipEvent

        roster = rosters.version_by_number(wljs, None) or rosters.make_first_version(wljs)
        last = db.session.scalar(select(Member.id).where(
            Member.cooperative_id == wljs, Member.kind == "villager",
            Member.status == "active").order_by(Member.member_no.desc()))
        death = MembershipEvent(cooperative_id=wljs, member_id=last, reason="death",
                                occurs_on=date(2026, 6, 1), status="pending")
        db.session.add(death)
        db.session.flush()
        draft_list = lists.create_list(wljs, [death.id])
        from coop.membership.models import Dispute

        dispute = db.session.scalar(select(Dispute).where(Dispute.cooperative_id == wljs,
                                                          Dispute.status == "open"))
        db.session.commit()
        ids.update(
            meeting=meeting.id, roster=roster.id, roster_version=roster.version,
            draft_list=draft_list.id, list_version=draft_list.version,
            dispute=dispute.id, dispute_version=dispute.version,
            portal_user=portal.username, portal_member=portal.member_id,
            member_no2=second, wljs_id=wljs, t2_member=other.id, t2_member_no="T2001", t2_machine=machine.id,
            member=villager.id, member_no=villager.member_no,
            member_version=villager.version,
            order=db.session.scalar(select(ServiceOrder.id).where(
                ServiceOrder.cooperative_id == wljs, ServiceOrder.reverses_id.is_(None))
                .order_by(ServiceOrder.id.desc())),
            closed_order=db.session.scalar(select(ServiceOrder.id).where(
                ServiceOrder.cooperative_id == wljs, ServiceOrder.reverses_id.is_(None),
                ServiceOrder.service_on < date(2026, 1, 1)).order_by(ServiceOrder.id.desc())),
            machine=db.session.scalar(select(Machine.id).where(Machine.cooperative_id == wljs)),
            entry=db.session.scalar(select(ShareEntry.id).where(ShareEntry.cooperative_id == wljs)
                                    .order_by(ShareEntry.id)),
            plan=db.session.scalar(select(DividendPlan.id).where(
                DividendPlan.cooperative_id == wljs).order_by(DividendPlan.id)),
            draft=db.session.scalar(select(DividendPlan.id).where(
                DividendPlan.cooperative_id == wljs, DividendPlan.status == "draft")),
        )
        from coop.dividends.models import DividendLine, PaymentBatch

        ids.update(pay_batch=db.session.scalar(select(PaymentBatch.id).where(
            PaymentBatch.plan_id == ids["plan"]).order_by(PaymentBatch.id).limit(1)),
            paid_line=db.session.scalar(select(DividendLine.id).where(
                DividendLine.plan_id == ids["plan"], DividendLine.paid_on.is_not(None))
                .order_by(DividendLine.id).limit(1)))
        assert ids["pay_batch"] and ids["paid_line"]
        _two_batches_in_line(ids["wljs_id"], "kuaiji", ids["plan"])
    yield World(app, ids, tmp)
    _empty_all_tables(app)


def _two_batches_in_line(coop_id: int, username: str, plan_id: int) -> None:
    """The user's quota of statement PDF batches, queued."""
    from coop import clock
    from coop.auth.models import User
    from coop.statements.models import StatementJob

    user_id = db.session.scalar(select(User.id).where(User.cooperative_id == coop_id,
                                                      User.username == username))
    for n in range(2):
        db.session.add(StatementJob(
            token=f"{n:016x}", cooperative_id=coop_id, user_id=user_id, year=2024,
            plan_id=plan_id, state="queued", done=0, total=1, message="排队中",
            filename="x.pdf", created_at=clock.utcnow(), updated_at=clock.utcnow()))
    db.session.commit()


# -- the corpus ----------------------------------------------------------------------

NEW_MEMBER = {"member_no": "ZZ9001", "name": "赵六", "kind": "villager", "household_no": "H9001",
              "village_group": "一组", "id_number": _valid_id(1), "phone": "13912345678",
              "joined_on": "2024-03-01"}


def member(**changes) -> dict:
    return {**NEW_MEMBER, **changes}


CHARTER = {**GOOD, "name": "乌兰计三村股份经济合作社", "village": "乌兰计三村",
           "town": "卜尔汉图镇", "version": "1"}


def charter(**changes) -> dict:
    return {**CHARTER, **changes}


CSV_HEADER = "成员编号,姓名,身份证号,户号,村民小组,联系电话,成员类别,是否党员,入社日期\n"


def csv_rows(*rows: str) -> bytes:
    return (CSV_HEADER + "".join(r + "\n" for r in rows)).encode("utf-8")


def xlsx_bytes(rows: list[list[Any]]) -> bytes:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


GOOD_ROW = f"ZZ9101,钱七,{_valid_id(2)},H9101,一组,13912345679,村民,否,2024-03-01"
CONTRIBUTE = {"member_no": "{member_no}", "share_class": "villager", "contribution_kind": "cash",
              "amount_fen": "1000", "effective_on": "2026-06-01", "resolution_no": "", "note": ""}
ORDER = {"service_on": "2026-05-03", "client_text": "", "client_ref": "m:{member}",
         "service": "sowing", "plot": "一号地", "area_cmu": "10", "unit_price_fen": "",
         "machine_id": "", "operator": "", "fuel_cl": "", "note": ""}
MACHINE = {"name": "新拖拉机", "category": "tractor", "model": "", "plate": "",
           "acquired_on": "2025-03-01", "original_value_fen": "80000", "source": "purchased",
           "useful_life_months": "120", "salvage_rate_bp": "5", "status": "in_service", "note": ""}

NO_VERSION = "缺少此记录的版本号"

# (id, who, method, path, data or file, expected status, expected message)
WEB = [
    # members: names, numbers, IDs, dates, kinds
    ("member-script-name", "admin", "post", "/members/",
     member(name="<script>alert(1)</script>"), 422, ""),
    ("member-sql-name", "admin", "post", "/members/",
     member(name="'; DROP TABLE members; --"), 422, ""),
    ("member-empty-name", "admin", "post", "/members/", member(name=""), 422, ""),
    ("member-long-name", "admin", "post", "/members/", member(name="张" * 300), 422, ""),
    ("member-html-member-no", "admin", "post", "/members/",
     member(member_no="<b>CY1</b>"), 422, ""),
    ("member-long-member-no", "admin", "post", "/members/", member(member_no="X" * 200), 422, ""),
    ("member-duplicate-no", "admin", "post", "/members/", member(member_no="{member_no}"), 422, ""),
    ("member-id-check-digit", "admin", "post", "/members/",
     member(id_number="150203198001011234" if _valid_id(1) != "150203198001011234"
            else "150203198001011235"), 422, ""),
    ("member-id-impossible-birth", "admin", "post", "/members/",
     member(id_number="15020319800230123X"), 422, ""),
    ("member-id-sql", "admin", "post", "/members/",
     member(id_number="1' OR '1'='1"), 422, ""),
    ("member-phone-letters", "admin", "post", "/members/", member(phone="call me"), 422, ""),
    ("member-phone-long", "admin", "post", "/members/", member(phone="1" * 500), 422, ""),
    ("member-date-feb-30", "admin", "post", "/members/", member(joined_on="2024-02-30"), 422, ""),
    ("member-date-future", "admin", "post", "/members/", member(joined_on="9999-12-31"), 422, ""),
    ("member-date-garbage", "admin", "post", "/members/", member(joined_on="yesterday"), 422, ""),
    ("member-kind-unknown", "admin", "post", "/members/", member(kind="superuser"), 422, ""),
    ("member-household-long", "admin", "post", "/members/",
     member(household_no="H" * 300), 422, ""),
    ("member-edit-other-coop", "admin", "post", "/members/{t2_member}",
     member(version="1"), 404, ""),
    ("member-view-other-coop", "admin", "get", "/members/{t2_member}", None, 404, ""),
    ("member-status-bad-date", "admin", "post", "/members/{member}/status",
     {"status": "withdrawn", "on_date": "2024-13-01", "version": "{member_version}"}, 422, ""),
    ("member-status-unknown", "admin", "post", "/members/{member}/status",
     {"status": "deleted", "on_date": "2024-03-01", "version": "{member_version}"}, 422, ""),
    # charter
    ("charter-negative-rate", "admin", "post", "/charter", charter(reserve_rate_bp="-5"), 422, ""),
    ("charter-huge-rate", "admin", "post", "/charter", charter(reserve_rate_bp="1e309"), 422, ""),
    ("charter-rate-letters", "admin", "post", "/charter", charter(member_cap_bp="abc"), 422, ""),
    ("charter-zero-par", "admin", "post", "/charter", charter(par_value_fen="0"), 422, ""),
    ("charter-script-name", "admin", "post", "/charter",
     charter(name="<script>alert(1)</script>" * 20), 422, ""),
    ("charter-majority-bomb", "admin", "post", "/charter", charter(majority_other="1e999/3"), 422,
     "应写成分数"),
    ("charter-majority-huge", "admin", "post", "/charter", charter(majority_other="99999999/99999999"), 422,
     "应写成分数"),
    ("charter-majority-laxer", "admin", "post", "/charter", charter(majority_distribution="3/5"), 422,
     "第二十七条"),
    ("charter-regime-unknown", "admin", "post", "/charter", charter(legal_regime="<b>x</b>"), 422, ""),
    ("charter-collective-extra-votes", "admin", "post", "/charter",
     charter(extra_votes_allowed="y", extra_votes_cap_bp="20", extra_votes_basis="capital"), 422, "一人一票"),
    # shares
    ("contribute-negative", "admin", "post", "/shares/contribute",
     {**CONTRIBUTE, "amount_fen": "-100"}, 422, ""),
    ("contribute-huge", "admin", "post", "/shares/contribute",
     {**CONTRIBUTE, "amount_fen": "99999999999999999999999"}, 422, ""),
    ("contribute-other-coop-member", "admin", "post", "/shares/contribute",
     {**CONTRIBUTE, "member_no": "T2001"}, 422, ""),
    ("contribute-feb-30", "admin", "post", "/shares/contribute",
     {**CONTRIBUTE, "effective_on": "2026-02-30"}, 422, ""),
    ("contribute-unknown-class", "admin", "post", "/shares/contribute",
     {**CONTRIBUTE, "share_class": "gold"}, 422, ""),
    ("contribute-fraction-of-share", "admin", "post", "/shares/contribute",
     {**CONTRIBUTE, "amount_fen": "100.50"}, 422, ""),
    ("contribute-land-three-decimals", "admin", "post", "/shares/contribute",
     {**CONTRIBUTE, "contribution_kind": "land", "amount_fen": "", "land_mu": "1.234",
      "price_per_mu_fen": "500"}, 422, ""),
    ("contribute-other-coop-resolution", "admin", "post", "/shares/contribute",
     {**CONTRIBUTE, "resolution_no": "二社决议〔2024〕1号"}, 422,
     "“二社决议〔2024〕1号”不是本社已通过决议的编号"),
    ("contribute-script-resolution", "admin", "post", "/shares/contribute",
     {**CONTRIBUTE, "resolution_no": "<script>alert(1)</script>"}, 422, "不是本社已通过决议的编号"),
    ("contribute-long-resolution", "admin", "post", "/shares/contribute",
     {**CONTRIBUTE, "resolution_no": "决" * 200}, 422, "决议文号不能超过 60 个字"),
    ("founding-script-member", "admin", "post", "/shares/founding",
     {"effective_on": "2026-06-01", "rows-0-member_no": "<script>alert(1)</script>",
      "rows-0-share_class": "villager", "rows-0-amount_fen": "100"}, 422, ""),
    ("founding-register-has-shares", "admin", "post", "/shares/founding",
     {"effective_on": "2026-06-01", "rows-0-member_no": "{member_no}",
      "rows-0-share_class": "villager", "rows-0-amount_fen": "100"}, 422,
     "设立登记只能在还没有股份时办理"),
    ("founding-huge-row-index", "admin", "post", "/shares/founding",
     {"effective_on": "2026-06-01", "rows-99999999-member_no": "{member_no}",
      "rows-99999999-amount_fen": "1e309"}, 422, ""),
    ("transfer-to-self", "admin", "post", "/shares/transfer",
     {"from_member_no": "{member_no}", "to_member_no": "{member_no}", "share_class": "villager",
      "shares": "10", "effective_on": "2026-06-01"}, 422, ""),
    ("transfer-more-than-held", "admin", "post", "/shares/transfer",
     {"from_member_no": "{member_no}", "to_member_no": "{member_no2}", "share_class": "villager",
      "shares": "999999999", "effective_on": "2026-06-01"}, 422, ""),
    ("transfer-to-other-coop", "admin", "post", "/shares/transfer",
     {"from_member_no": "{member_no}", "to_member_no": "T2001", "share_class": "villager",
      "shares": "1", "effective_on": "2026-06-01"}, 422, ""),
    ("redeem-negative", "admin", "post", "/shares/redeem",
     {"member_no": "{member_no}", "share_class": "villager", "shares": "-5",
      "effective_on": "2026-06-01"}, 422, ""),
    ("reverse-other-coop-entry", "other", "post", "/shares/entries/{entry}/reverse",
     {"effective_on": "2026-01-05", "resolution_no": "", "note": ""}, 404, ""),
    ("certificate-other-coop", "other", "get", "/shares/certificates/{member}", None, 404, ""),
    # machinery
    ("order-negative-area", "admin", "post", "/machinery/orders", {**ORDER, "area_cmu": "-5"},
     422, ""),
    ("order-huge-area", "admin", "post", "/machinery/orders", {**ORDER, "area_cmu": "1e9"},
     422, ""),
    ("order-month-13", "admin", "post", "/machinery/orders",
     {**ORDER, "service_on": "2026-13-01"}, 422, ""),
    ("order-other-coop-client", "admin", "post", "/machinery/orders",
     {**ORDER, "client_ref": "m:{t2_member}"}, 422, ""),
    ("order-other-coop-machine", "admin", "post", "/machinery/orders",
     {**ORDER, "machine_id": "{t2_machine}"}, 422, ""),
    ("order-price-sql", "admin", "post", "/machinery/orders",
     {**ORDER, "unit_price_fen": "1; DELETE FROM service_orders"}, 422, ""),
    ("order-edit-other-coop", "other", "post", "/machinery/orders/{order}",
     {**ORDER, "version": "1"}, 404, ""),
    ("payment-negative", "admin", "post", "/machinery/orders/{order}/payments",
     {"paid_on": "2026-05-04", "amount_fen": "-100", "method": "cash", "note": ""}, 422, ""),
    ("expense-letters", "admin", "post", "/machinery/expenses",
     {"spent_on": "2026-05-04", "kind": "fuel", "machine_id": "", "amount_fen": "lots",
      "payee": "", "note": ""}, 422, ""),
    ("machine-salvage-150", "admin", "post", "/machinery/machines",
     {**MACHINE, "salvage_rate_bp": "150"}, 422, ""),
    ("machine-negative-value", "admin", "post", "/machinery/machines",
     {**MACHINE, "original_value_fen": "-80000"}, 422, ""),
    ("client-long-name", "admin", "post", "/machinery/clients",
     {"kind": "village", "name": "村" * 300}, 422, "客户名称不能超过 80 个字"),
    ("machine-long-plate", "admin", "post", "/machinery/machines",
     {**MACHINE, "plate": "蒙" * 100}, 422, "牌照号不能超过 30 个字"),
    ("order-long-plot", "admin", "post", "/machinery/orders",
     {**ORDER, "plot": "<img src=x onerror=alert(1)>" * 10}, 422, "地块不能超过 80 个字"),
    ("machine-view-other-coop", "admin", "get", "/machinery/machines/{t2_machine}", None, 404, ""),
    ("year-reopen-empty-reason", "admin", "post", "/machinery/years/2025/reopen",
     {"reason": "   "}, 422, "请填写重新开账的原因"),
    ("year-reopen-long-reason", "admin", "post", "/machinery/years/2025/reopen",
     {"reason": "错" * 201}, 422, "原因不能超过 200 个字"),
    ("year-reopen-open-year", "admin", "post", "/machinery/years/2026/reopen",
     {"reason": "<script>alert(1)</script>"}, 422, "没有结账"),
    # members' logins: disable/enable with a reason, bulk issue by household
    ("login-disable-no-reason", "admin", "post", "/member-logins/{portal_member}/enabled",
     {"enabled": "0", "reason": "  "}, 422, "请填写停用或启用的原因"),
    ("login-disable-long-reason", "admin", "post", "/member-logins/{portal_member}/enabled",
     {"enabled": "0", "reason": "<script>alert(1)</script>" * 20}, 422, "原因不能超过 200 个字"),
    ("login-disable-other-coop", "other", "post", "/member-logins/{portal_member}/enabled",
     {"enabled": "0", "reason": "测试"}, 404, ""),
    ("logins-bulk-long-household", "admin", "post", "/member-logins/bulk",
     {"scope": "household", "household_no": "H" * 300}, 422, "户号不能超过 20 位"),
    ("logins-bulk-sql-household", "admin", "post", "/member-logins/bulk",
     {"scope": "household", "household_no": "' OR 1=1 --"}, 422, "没有户号为"),
    # users and passwords
    ("user-unknown-role", "admin", "post", "/users",
     {"username": "newbie", "display_name": "新人", "role": "root"}, 422, "请从列表中选择角色"),
    ("user-sql-username", "admin", "post", "/users",
     {"username": "x' OR '1'='1", "display_name": "<img src=x onerror=alert(1)>",
      "role": "accountant"}, 422, ""),
    ("password-too-short", "admin", "post", "/password",
     {"current": DEMO_PASSWORD, "new": "1", "repeat": "1"}, 422, ""),
    # issue 17: weak passwords (the probe's 12345678, aaaaaaaa, password, username plus a digit)
    ("password-eight-digits", "admin", "post", "/password",
     {"current": DEMO_PASSWORD, "new": "12345678", "repeat": "12345678"}, 422, "密码至少 10 位"),
    ("password-common", "admin", "post", "/password",
     {"current": DEMO_PASSWORD, "new": "1234567890", "repeat": "1234567890"}, 422, "常见的密码"),
    ("password-common-word", "admin", "post", "/password",
     {"current": DEMO_PASSWORD, "new": "password12", "repeat": "password12"}, 422, "常见的密码"),
    ("password-repeated-letter", "admin", "post", "/password",
     {"current": DEMO_PASSWORD, "new": "aaaaaaaaaa", "repeat": "aaaaaaaaaa"}, 422, "密码太简单"),
    ("password-username-digit", "admin", "post", "/password",
     {"current": DEMO_PASSWORD, "new": "shuji123456", "repeat": "shuji123456"}, 422,
     "不能由用户名、姓名"),
    ("password-name-pinyin", "admin", "post", "/password",
     {"current": DEMO_PASSWORD, "new": "wangjianguo1", "repeat": "wangjianguo1"}, 422,
     "不能由用户名、姓名"),
    # dividends and statements
    ("dividend-year-letters", "admin", "post", "/dividends/compute",
     {"year": "abc", "weight_basis": "record_date", "record_date": ""}, 422, ""),
    ("dividend-year-huge", "admin", "post", "/dividends/compute",
     {"year": "99999", "weight_basis": "record_date", "record_date": ""}, 422, ""),
    ("dividend-basis-unknown", "admin", "post", "/dividends/compute",
     {"year": "2025", "weight_basis": "luck", "record_date": ""}, 422, ""),
    ("dividend-disclose-date-letters", "admin", "post", "/dividends/{draft}/disclose",
     {"version": "1", "disclosed_on": "下周一"}, 422, ""),
    ("dividend-disclose-date-impossible", "admin", "post", "/dividends/{draft}/disclose",
     {"version": "1", "disclosed_on": "2026-02-30"}, 422, ""),
    ("dividend-plan-other-coop", "other", "get", "/dividends/{plan}", None, 404, ""),
    # reversing a payment needs a reason (issue 16)
    ("dividend-reverse-line-blank-reason", "admin", "post",
     "/dividends/{plan}/lines/{paid_line}/reverse", {"reason": "   "}, 422, "请填写撤销发放的原因"),
    ("dividend-reverse-line-reason-too-long", "accountant", "post",
     "/dividends/{plan}/lines/{paid_line}/reverse", {"reason": "错" * 181}, 422, "不能超过 180 个字"),
    ("dividend-reverse-batch-no-reason", "admin", "post",
     "/dividends/{plan}/payments/{pay_batch}/reverse", {}, 422, "请填写撤销发放的原因"),
    ("dividend-bank-pay-not-a-bank-list", "accountant", "post",
     "/dividends/{plan}/payments/{pay_batch}/pay", {}, 422, ""),
    ("dividend-reverse-other-coops-batch", "other", "post",
     "/dividends/{plan}/payments/{pay_batch}/reverse", {"reason": "x"}, 404, ""),
    # an edit without the record's version would skip the lost-update check (issue 17)
    ("member-edit-no-version", "admin", "post", "/members/{member}",
     member(member_no="{member_no}", name="改名"), 409, NO_VERSION),
    ("member-edit-version-letters", "admin", "post", "/members/{member}",
     member(member_no="{member_no}", name="改名", version="abc"), 409, NO_VERSION),
    ("member-status-no-version", "admin", "post", "/members/{member}/status",
     {"status": "withdrawn", "on_date": "2026-06-01"}, 409, NO_VERSION),
    ("charter-no-version", "admin", "post", "/charter",
     {k: v for k, v in CHARTER.items() if k != "version"}, 409, NO_VERSION),
    ("charter-version-decimal", "admin", "post", "/charter", charter(version="1.5"), 409,
     NO_VERSION),
    ("order-edit-no-version", "admin", "post", "/machinery/orders/{order}", ORDER, 409,
     NO_VERSION),
    ("machine-edit-version-empty", "admin", "post", "/machinery/machines/{machine}",
     {**MACHINE, "version": ""}, 409, NO_VERSION),
    ("dividend-review-no-version", "supervisor", "post", "/dividends/{draft}/review",
     {"note": "同意"}, 409, NO_VERSION),
    ("dividend-return-no-version", "supervisor", "post", "/dividends/{draft}/return",
     {"reason": "有误"}, 409, NO_VERSION),
    ("dividend-disclose-no-version", "admin", "post", "/dividends/{draft}/disclose",
     {"disclosed_on": "2026-12-01"}, 409, NO_VERSION),
    ("dividend-recompute-no-version", "admin", "post", "/dividends/{draft}/recompute", {}, 409,
     NO_VERSION),
    ("dividend-record-date-negative-version", "admin", "post", "/dividends/{draft}/record-date",
     {"record_date": "2025-06-30", "version": "-1"}, 409, NO_VERSION),
    ("statement-other-coop", "other", "get", "/statements/2025/members/{member}", None, 404, ""),
    ("statement-pdf-batch-over-the-user-cap", "accountant", "post", "/statements/2024/pdf", {},
     422, "每人最多 2 个"),
    # membership confirmation lists and the roster's filing (issue 15)
    ("list-notice-start-yesterday", "admin", "post", "/membership/lists/{draft_list}/publish",
     {"notice_start": "2026-06-14", "notice_days": "7", "version": "{list_version}"}, 422,
     "不能早于发布公示之日"),
    ("list-notice-days-huge", "admin", "post", "/membership/lists/{draft_list}/publish",
     {"notice_start": "2026-06-15", "notice_days": "99999999999", "version": "{list_version}"}, 422, ""),
    ("list-notice-days-zero", "admin", "post", "/membership/lists/{draft_list}/publish",
     {"notice_start": "2026-06-15", "notice_days": "0", "version": "{list_version}"}, 422, ""),
    ("list-notice-no-version", "admin", "post", "/membership/lists/{draft_list}/publish",
     {"notice_start": "2026-06-15", "notice_days": "7"}, 409, NO_VERSION),
    ("list-objection-on-a-draft", "admin", "post", "/membership/lists/{draft_list}/objections",
     {"raised_by": "<script>x</script>", "raised_on": "2026-06-15", "content": "x"}, 422, "公示中"),
    ("list-of-another-coops-event", "admin", "post", "/membership/lists",
     {"event_ids": ["2147483647"]}, 422, ""),
    ("list-title-long", "admin", "post", "/membership/lists", {"title": "名" * 500}, 422, ""),
    ("list-other-coop", "other", "get", "/membership/lists/{draft_list}", None, 404, ""),
    ("roster-filing-future", "admin", "post", "/membership/rosters/{roster}/filing",
     {"filed_on": "9999-12-31", "filed_with": "镇政府", "receipt_no": "", "version": "{roster_version}"},
     422, "备案日期不能晚于今天"),
    ("roster-filing-body-long", "admin", "post", "/membership/rosters/{roster}/filing",
     {"filed_on": "2026-06-15", "filed_with": "镇" * 500, "receipt_no": "", "version": "{roster_version}"},
     422, ""),
    ("roster-filing-no-version", "admin", "post", "/membership/rosters/{roster}/filing",
     {"filed_on": "2026-06-15", "filed_with": "镇政府", "receipt_no": ""}, 409, NO_VERSION),
    ("roster-filing-accountant", "accountant", "get", "/membership/rosters/{roster}/filing.xlsx", None, 403, ""),
    ("roster-other-coop", "other", "get", "/membership/rosters/{roster}", None, 404, ""),
    # disputes over membership (art 56) and art 15 distribution rights
    ("dispute-claim-huge", "admin", "post", "/membership/disputes",
     {"member_no": "{member_no}", "claim": "争" * 5000, "opened_on": "2026-06-01"}, 422, "不能超过"),
    ("dispute-opened-in-the-future", "admin", "post", "/membership/disputes",
     {"claimant": "<script>x</script>", "claim": "要求确认", "opened_on": "9999-12-31"}, 422, "晚于今天"),
    ("dispute-another-coops-member", "admin", "post", "/membership/disputes",
     {"member_no": "{t2_member_no}", "claim": "要求确认", "opened_on": "2026-06-01"}, 422,
     "本社没有成员编号"),
    ("dispute-step-stage-bogus", "admin", "post", "/membership/disputes/{dispute}/steps",
     {"stage": "<script>", "on": "2026-06-01", "note": "x"}, 422, ""),
    ("dispute-step-before-it-began", "admin", "post", "/membership/disputes/{dispute}/steps",
     {"stage": "court", "on": "2000-01-01", "note": "起诉"}, 422, "早于争议发生"),
    ("dispute-close-no-version", "admin", "post", "/membership/disputes/{dispute}/close",
     {"outcome": "调解结案", "closed_on": "2026-06-01"}, 409, NO_VERSION),
    ("dispute-close-no-outcome", "admin", "post", "/membership/disputes/{dispute}/close",
     {"outcome": " ", "closed_on": "2026-06-01", "version": "{dispute_version}"}, 422, "请填写处理结果"),
    ("dispute-step-by-the-supervisor", "supervisor", "post", "/membership/disputes/{dispute}/steps",
     {"stage": "court", "on": "2026-06-01", "note": "起诉"}, 403, ""),
    ("dispute-other-coop", "other", "get", "/membership/disputes/{dispute}", None, 404, ""),
    ("right-short-of-three-quarters", "admin", "post", "/membership/rights",
     {"member_no": "F001", "name": "外来技术员", "resolution_no": "决议〔2026〕9号",
      "resolved_on": "2026-06-01", "votes_for": "149", "all_members": "200", "granted_on": "2026-06-01"},
     422, "《农村集体经济组织法》第十五条"),
    ("right-item-not-offered", "admin", "post", "/membership/rights",
     {"member_no": "F001", "name": "外来技术员", "item_id": "2147483647", "granted_on": "2026-06-01"},
     422, "请从列表中选择"),
    ("right-member-no-taken", "admin", "post", "/membership/rights",
     {"member_no": "{member_no}", "name": "外来技术员", "resolution_no": "决议〔2026〕9号",
      "resolved_on": "2026-06-01", "votes_for": "200", "all_members": "200", "granted_on": "2026-06-01"},
     422, "已被"),
]

UPLOADS = [
    ("import-exe", "virus.exe", b"MZ\x90\x00" + b"\x00" * 200),
    ("import-png-named-xlsx", "roster.xlsx", b"\x89PNG\r\n\x1a\n" + b"\x00" * 200),
    ("import-xls", "roster.xls", b"\xd0\xcf\x11\xe0" + b"\x00" * 200),
    ("import-utf16", "roster.csv", (CSV_HEADER + GOOD_ROW + "\n").encode("utf-16")),
    ("import-binary-csv", "roster.csv", bytes(range(256)) * 4),
    ("import-empty", "roster.csv", b""),
    ("import-missing-columns", "roster.csv", "成员编号,姓名\nZZ9101,钱七\n".encode("utf-8")),
    ("import-script-name", "roster.csv",
     csv_rows(GOOD_ROW.replace("钱七", "<script>alert(1)</script>"))),
    ("import-long-name", "roster.csv", csv_rows(GOOD_ROW.replace("钱七", "钱" * 300))),
    ("import-bad-date", "roster.csv", csv_rows(GOOD_ROW.replace("2024-03-01", "2024-02-30"))),
    ("import-other-coop-id", "roster.csv",
     csv_rows(GOOD_ROW.replace(_valid_id(2), _valid_id(901)).replace(",13912345679,", ",,"),
              GOOD_ROW.replace("CY9101", "{member_no}"))),
    ("import-xlsx-no-header", "roster.xlsx", xlsx_bytes([["x", "y"], [1, 2]])),
]

SHARES_HEADER = ["成员编号", "股份类别", "出资方式", "金额", "亩数", "每亩折价", "天数", "每天折价", "日期"]
SHARES_ROW = ["{member_no}", "村民股", "货币", 100, None, None, None, None, "2026-06-01"]
SHARES_UPLOADS = [
    ("shares-import-exe", "virus.exe", b"MZ\x90\x00" + b"\x00" * 200, "请上传 Excel 文件（.xlsx）"),
    ("shares-import-png-named-xlsx", "c.xlsx", b"\x89PNG\r\n\x1a\n" + b"\x00" * 200,
     "不是有效的 Excel"),
    ("shares-import-missing-columns", "c.xlsx", ([SHARES_HEADER[:3], SHARES_ROW[:3]]),
     "第 1 行缺少这些列"),
    ("shares-import-script-member", "c.xlsx",
     ([SHARES_HEADER, ["<script>alert(1)</script>", *SHARES_ROW[1:]]]), "本合作社没有成员编号为"),
    ("shares-import-other-coops-member", "c.xlsx", ([SHARES_HEADER, ["T2001", *SHARES_ROW[1:]]]),
     "本合作社没有成员编号为 T2001 的成员"),
    ("shares-import-huge-amount", "c.xlsx", ([SHARES_HEADER, ["{member_no}", "村民股", "货币",
                                                                        "9" * 40, *SHARES_ROW[4:]]]), "金额"),
    ("shares-import-formula", "c.xlsx", ([SHARES_HEADER, ["=1+1", *SHARES_ROW[1:]]]), "成员编号"),
    ("shares-import-no-rows", "c.xlsx", ([SHARES_HEADER]), "文件中没有数据行"),
    ("shares-import-resolution-of-another-coop", "c.xlsx", ([SHARES_HEADER, SHARES_ROW]),
     "不是本社已通过决议的编号"),
]

CLI = [
    ("cli-create-coop-bad-code", ["create-coop", "bad code; DROP TABLE x", "--name", "坏", "--credit-code",
                                  "93150203MA0LWJ3K0L", "--village", "v", "--town", "t"]),
    ("cli-create-coop-bad-credit", ["create-coop", "good1", "--name", "好", "--credit-code",
                                    "123", "--village", "v", "--town", "t"]),
    ("cli-create-admin-no-coop", ["create-admin", "--coop", "nope", "--username", "u",
                                  "--name", "n", "--password", "long-enough-1"]),
    ("cli-create-admin-weak-password", ["create-admin", "--coop", "wljs", "--username", "sj2",
                                        "--name", "王五", "--password", "12345678"]),
    ("cli-create-admin-password-from-name", ["create-admin", "--coop", "wljs", "--username",
                                             "sj2", "--name", "王五", "--password",
                                             "wangwu12345"]),
    ("cli-members-import-no-coop", ["members", "import", "{good_csv}", "--coop", "nope"]),
    ("cli-members-import-exe", ["members", "import", "{exe}", "--coop", "wljs"]),
    ("cli-members-import-bad-rows", ["members", "import", "{bad_csv}", "--coop", "wljs"]),
    ("cli-members-export-no-dir", ["members", "export", "/nonexistent/dir/out.csv",
                                   "--coop", "wljs"]),
    ("cli-dividends-year-letters", ["dividends", "compute", "--coop", "wljs", "--year", "abc"]),
    ("cli-dividends-no-coop", ["dividends", "compute", "--coop", "nope", "--year", "2025"]),
    ("cli-dividends-bad-date", ["dividends", "compute", "--coop", "wljs", "--year", "2025",
                                "--record-date", "2025-02-30"]),
    ("cli-shares-import-exe", ["shares", "import", "{exe}", "--coop", "wljs", "--by", "shuji"]),
    ("cli-shares-import-no-recorder", ["shares", "import", "{shares_xlsx}", "--coop", "wljs"]),
    ("cli-shares-import-other-coops-user", ["shares", "import", "{shares_xlsx}", "--coop", "wljs",
                                            "--by", "t2admin"]),
    ("cli-shares-import-accountant", ["shares", "import", "{shares_xlsx}", "--coop", "wljs",
                                      "--by", "kuaiji"]),
    ("cli-backup-existing", ["backup", "{good_csv}"]),
    ("cli-restore-foreign", ["restore", "{exe}", "--yes"]),
    ("cli-statements-no-coop", ["statements", "pdf", "{out_pdf}", "--coop", "nope",
                                "--year", "2025"]),
    ("cli-members-filing-not-xlsx", ["members", "filing", "{out_pdf}", "--coop", "wljs"]),
    ("cli-members-filing-no-coop", ["members", "filing", "/nonexistent/out.xlsx", "--coop", "nope"]),
    ("cli-members-filing-version-zero", ["members", "filing", "/nonexistent/out.xlsx", "--coop", "wljs",
                                         "--version", "0"]),
    ("cli-members-filing-version-letters", ["members", "filing", "/nonexistent/out.xlsx", "--coop",
                                            "wljs", "--version", "二"]),
    ("cli-members-filing-no-such-version", ["members", "filing", "/nonexistent/out.xlsx", "--coop",
                                            "wljs", "--version", "999"]),
    ("cli-members-filing-no-dir", ["members", "filing", "/nonexistent/dir/out.xlsx", "--coop", "wljs"]),
    ("cli-members-roster-made-already", ["members", "roster", "--coop", "wljs"]),
    ("cli-members-roster-no-coop", ["members", "roster", "--coop", "nope"]),
]


def _fill(value: Any, ids: dict) -> Any:
    if isinstance(value, str):
        return value.format(**ids) if "{" in value else value
    if isinstance(value, dict):
        return {k: _fill(v, ids) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, ids) for v in value]
    return value


def _visible_errors(html: str) -> str:
    found = re.findall(r'class="[^"]*(?:error|alert|flash|stale|notice)[^"]*"[^>]*>(.*?)</', html,
                       flags=re.S)
    return " | ".join(re.sub(r"<[^>]+>", "", f).strip() for f in found if f.strip())[:300]


def _params(cases):
    return [c if isinstance(c, type(pytest.param(0))) else pytest.param(*c, id=c[0])
            for c in cases]


@pytest.mark.parametrize("name, who, method, path, data, status, message", _params(WEB))
def test_form_refuses_bad_input(world, name, who, method, path, data, status, message):
    client = world.client(who)
    before = db_fingerprint(world.app)
    path = _fill(path, world.ids)
    if method == "get":
        resp = client.get(path)
    else:
        resp = client.post(path, data=_fill(data, world.ids))
    html = resp.get_data(as_text=True)
    print("\nCASE", name, resp.status_code, _visible_errors(html))
    assert resp.status_code == status, (name, resp.status_code, _visible_errors(html))
    if message:
        assert message in html
    assert CHINESE.search(_visible_errors(html) or html)
    assert not ENGLISH.search(html), (name, ENGLISH.search(html).group(0))
    assert db_fingerprint(world.app) == before, name


@pytest.mark.parametrize("name, filename, payload", _params(UPLOADS))
def test_import_refuses_bad_file(world, name, filename, payload):
    client = world.client("admin")
    before = db_fingerprint(world.app)
    payload = payload.replace(b"{member_no}", world.ids["member_no"].encode())
    resp = client.post("/members/import", data={"file": (io.BytesIO(payload), filename)},
                       content_type="multipart/form-data")
    html = resp.get_data(as_text=True)
    print("\nCASE", name, resp.status_code, _visible_errors(html))
    assert 400 <= resp.status_code < 500, (name, resp.status_code)
    assert CHINESE.search(_visible_errors(html))
    assert not ENGLISH.search(html)
    assert db_fingerprint(world.app) == before, name


@pytest.mark.parametrize("name, filename, payload, message", _params(SHARES_UPLOADS))
def test_shares_import_refuses_bad_file(world, name, filename, payload, message):
    client = world.client("admin")
    before = db_fingerprint(world.app)
    if not isinstance(payload, bytes):  # rows of a spreadsheet
        payload = xlsx_bytes(_fill(list(payload), world.ids))
    data = {"file": (io.BytesIO(payload), filename)}
    if name == "shares-import-resolution-of-another-coop":
        data["resolution_no"] = "二社决议〔2024〕1号"
    resp = client.post("/shares/import", data=data, content_type="multipart/form-data")
    html = resp.get_data(as_text=True)
    print("\nCASE", name, resp.status_code, _visible_errors(html))
    assert resp.status_code == 422, (name, resp.status_code)
    assert message in html, (name, _visible_errors(html))
    assert "<script>alert(1)</script>" not in html
    assert not ENGLISH.search(html)
    assert db_fingerprint(world.app) == before, name


@pytest.mark.parametrize("name, args", _params(CLI))
def test_command_refuses_bad_input(world, name, args, tmp_path):
    files = {
        "good_csv": tmp_path / "good.csv",
        "bad_csv": tmp_path / "bad.csv",
        "exe": tmp_path / "virus.exe",
        "out_pdf": tmp_path / "out.pdf",
        "shares_xlsx": tmp_path / "shares.xlsx",
    }
    files["good_csv"].write_bytes(csv_rows(GOOD_ROW))
    files["shares_xlsx"].write_bytes(xlsx_bytes([SHARES_HEADER, [
        world.ids["member_no"], "村民股", "货币", 100, None, None, None, None, "2026-06-01"]]))
    files["bad_csv"].write_bytes(csv_rows(GOOD_ROW.replace("钱七", "<b>钱七</b>" * 40)))
    files["exe"].write_bytes(b"MZ\x90\x00" + b"\x00" * 200)
    before = db_fingerprint(world.app)
    result = world.app.test_cli_runner().invoke(
        args=[a.format(**{k: str(v) for k, v in files.items()}) for a in args])
    output = result.output
    print("\nCASE", name, result.exit_code, output[-300:])
    assert result.exit_code != 0, (name, output)
    assert CHINESE.search(output), (name, output)
    assert not re.search(r"is not a valid integer|No such option", output), (name, output)
    assert db_fingerprint(world.app) == before, name


def test_the_corpus_has_at_least_fifty_inputs():
    assert len(WEB) + len(UPLOADS) + len(SHARES_UPLOADS) + len(CLI) >= 50


# -- numbers that would cost minutes: exponents, NaN, 10,000 digits (issue 17) --------------

NUMBER_BOMBS = [
    pytest.param("1e999990", id="exponent-999990"),
    pytest.param("1e5000", id="exponent-5000"),
    pytest.param("NaN", id="nan"),
    pytest.param("Infinity", id="infinity"),
    pytest.param("1.234", id="three-decimals"),
    # full-width digits are read as digits (Chinese input methods type them), so the
    # full-width case that must be refused is one with three decimals
    pytest.param("１２３．４５６", id="full-width-three-decimals"),
    pytest.param("9" * 10_000, id="ten-thousand-digits"),
]
PAYMENT = {"paid_on": "2026-05-04", "amount_fen": "100", "method": "cash", "note": ""}
REVERSE = {"on": "2026-05-04", "area_cmu": "", "reason": "录错"}
EXPENSE = {"spent_on": "2026-05-04", "kind": "fuel", "machine_id": "", "amount_fen": "100",
           "payee": "", "note": ""}
INCOME = {"received_on": "2026-05-04", "kind": "other", "amount_fen": "100", "payer": "",
          "note": ""}
CHARTER_NUMBERS = ("par_value_fen", "collective_target_bp", "collective_min_bp",
                   "collective_max_bp", "villager_target_bp", "villager_min_bp", "villager_max_bp",
                   "cadre_target_bp", "cadre_min_bp", "cadre_max_bp", "member_cap_bp",
                   "reserve_rate_bp", "welfare_rate_bp", "risk_rate_bp", "patronage_rate_bp",
                   "guaranteed_fen_per_mu", "extra_votes_cap_bp", "extra_votes_capital_step_fen",
                   "extra_votes_capital_threshold_fen", "extra_votes_transactions_step_fen",
                   "extra_votes_transactions_threshold_fen", "major_item_threshold_fen")
# (the form field it reaches, method, path, the rest of a good submission, field name)
NUMBER_FIELDS = [
    ("OrderForm.area_cmu", "post", "/machinery/orders", ORDER, "area_cmu"),
    ("OrderForm.unit_price_fen", "post", "/machinery/orders", ORDER, "unit_price_fen"),
    ("OrderForm.fuel_cl", "post", "/machinery/orders", ORDER, "fuel_cl"),
    ("OrderForm.area_cmu", "get", "/machinery/orders/quote", ORDER, "area_cmu"),
    ("OrderForm.unit_price_fen", "get", "/machinery/orders/quote", ORDER, "unit_price_fen"),
    ("OrderForm.unit_price_fen", "get", "/machinery/orders/quote", {**ORDER, "fill": "1"},
     "unit_price_fen"),
    ("PaymentForm.amount_fen", "post", "/machinery/orders/{order}/payments", PAYMENT,
     "amount_fen"),
    ("ClientPaymentForm.amount_fen", "post", "/machinery/receivables/pay",
     {**PAYMENT, "client_ref": "m:{member}"}, "amount_fen"),
    ("ReverseForm.area_cmu", "post", "/machinery/orders/{closed_order}/reverse", REVERSE,
     "area_cmu"),
    ("MachineForm.original_value_fen", "post", "/machinery/machines", MACHINE,
     "original_value_fen"),
    ("MachineForm.salvage_rate_bp", "post", "/machinery/machines", MACHINE, "salvage_rate_bp"),
    *[(f"OrderEditForm.{name}", "post", "/machinery/orders/{order}", {**ORDER, "version": "1"},
       name) for name in ("area_cmu", "unit_price_fen", "fuel_cl")],
    *[(f"MachineEditForm.{name}", "post", "/machinery/machines/{machine}",
       {**MACHINE, "version": "1"}, name) for name in ("original_value_fen", "salvage_rate_bp")],
    ("ExpenseForm.amount_fen", "post", "/machinery/expenses", EXPENSE, "amount_fen"),
    ("IncomeForm.amount_fen", "post", "/machinery/incomes", INCOME, "amount_fen"),
    ("CloseYearForm.carry_forward_fen", "post", "/machinery/years/2026/close",
     {"expected_surplus_fen": "0", "note": ""}, "carry_forward_fen"),
    *[(f"PriceListForm.{service}-{suffix}", "post", "/machinery/prices/2026", {},
       f"{service}-{suffix}") for service in Service for suffix in ("member", "market")],
    *[(f"CharterForm.{name}", "post", "/charter", CHARTER, name) for name in CHARTER_NUMBERS],
    *[(f"ContributionForm.{name}", "post", "/shares/contribute", CONTRIBUTE, name)
      for name in ("amount_fen", "land_mu", "price_per_mu_fen", "price_per_day_fen")],
    ("RecordDateForm.conversion_bp", "post", "/dividends/{draft}/record-date",
     {"record_date": "2025-12-31", "version": "1"}, "conversion_bp"),
]
REDEEM = {"member_no": "{member_no}", "share_class": "villager", "shares": "1",
          "effective_on": "2026-06-01", "resolution_no": "", "note": ""}
TRANSFER = {"from_member_no": "{member_no}", "to_member_no": "{member_no2}",
            "share_class": "villager", "shares": "1", "effective_on": "2026-06-01"}
# whole numbers of the share forms (shares, days), read by the same parser
WHOLE_NUMBER_FIELDS = [
    ("post", "/shares/contribute", {**CONTRIBUTE, "contribution_kind": "labour", "amount_fen": "",
                                    "price_per_day_fen": "100"}, "labour_days"),
    ("post", "/shares/transfer", TRANSFER, "shares"),
    ("post", "/shares/redeem", REDEEM, "shares"),
    ("post", "/charter", CHARTER, "notice_days"),
    ("post", "/charter", CHARTER, "representative_term_years"),
    ("post", "/membership/rights", {"member_no": "F001", "name": "外来技术员", "resolution_no": "决议〔2026〕9号",
                                    "resolved_on": "2026-06-01", "votes_for": "200", "all_members": "200",
                                    "granted_on": "2026-06-01"}, "votes_for"),
    ("post", "/membership/rights", {"member_no": "F001", "name": "外来技术员", "resolution_no": "决议〔2026〕9号",
                                    "resolved_on": "2026-06-01", "votes_for": "200", "all_members": "200",
                                    "granted_on": "2026-06-01"}, "all_members"),
]
REFUSED_NUMBER = re.compile(r"不是有效的数字|最多保留 2 位小数|数值过大")


def _number_field_types() -> tuple[type, ...]:
    from coop.forms import AreaField, PercentField, YuanField

    return AreaField, PercentField, YuanField


def _all_form_classes():
    """Every form class (the app, built by ``world``, has imported every domain's views)."""
    from coop.forms import CoopForm

    found, todo = [], [CoopForm]
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo.extend(cls.__subclasses__())
    return found


def test_every_money_area_and_percent_field_is_in_the_bomb_corpus(world):
    types = _number_field_types()
    reachable = set()
    for cls in _all_form_classes():
        for name in dir(cls):
            unbound = getattr(cls, name)
            if issubclass(getattr(unbound, "field_class", type(None)), types):
                reachable.add(f"{cls.__name__}.{name}")
    covered = {form_field for form_field, *_ in NUMBER_FIELDS}
    assert reachable - covered == set(), "add these fields to NUMBER_FIELDS"


@pytest.mark.parametrize("bomb", NUMBER_BOMBS)
@pytest.mark.parametrize("form_field, method, path, data, name", [
    pytest.param(*case, id=f"{case[2]}{'?fill' if 'fill' in case[3] else ''}:{case[4]}")
    for case in NUMBER_FIELDS])
def test_number_bomb_is_refused_in_milliseconds(world, form_field, method, path, data, name,
                                                bomb, monkeypatch):
    import time

    # 2026 can be closed (its form shown) only once it has ended
    monkeypatch.setattr("coop.clock.today", lambda: date(2027, 1, 5))
    client = world.client("admin")
    before = db_fingerprint(world.app)
    data = {**_fill(data, world.ids), name: bomb}
    started = time.perf_counter()
    if method == "get":
        resp = client.get(_fill(path, world.ids), query_string=data,
                          headers={"HX-Request": "true"})
    else:
        resp = client.post(_fill(path, world.ids), data=data)
    elapsed = time.perf_counter() - started
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422, (form_field, resp.status_code, _visible_errors(html))
    # Not a speed target: a bomb that is expanded (int(Decimal("1e999990"))) takes
    # about 90 s on a 2-core machine, a refusal well under a second even on a
    # loaded one, so the bound tells the two apart without timing the app.
    assert elapsed < 30, f"{form_field} took {elapsed:.1f} s"
    assert REFUSED_NUMBER.search(html), (form_field, _visible_errors(html))
    assert not ENGLISH.search(html)
    assert db_fingerprint(world.app) == before


@pytest.mark.parametrize("bomb", [*NUMBER_BOMBS, pytest.param("²", id="superscript-two")])
@pytest.mark.parametrize("method, path, data, name", [
    pytest.param(*case, id=f"{case[1]}:{case[3]}") for case in WHOLE_NUMBER_FIELDS])
def test_whole_number_bomb_is_refused(world, method, path, data, name, bomb):
    client = world.client("admin")
    before = db_fingerprint(world.app)
    resp = client.post(path, data={**_fill(data, world.ids), name: bomb})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422, (path, resp.status_code, _visible_errors(html))
    assert re.search(r"应为整数|数值过大", html), _visible_errors(html)
    assert not re.search(r"Exceeds the limit|invalid literal", html)
    assert db_fingerprint(world.app) == before


IMPORT_COLUMNS = ("金额", "亩数", "每亩折价", "每天折价")


@pytest.mark.parametrize("bomb", NUMBER_BOMBS)
@pytest.mark.parametrize("column", IMPORT_COLUMNS)
def test_number_bomb_in_the_shares_import_is_refused(world, tmp_path, column, bomb):
    import time

    from coop.shares.importing import COLUMNS

    good = {"成员编号": world.ids["member_no"], "股份类别": "村民股", "出资方式": "土地",
            "金额": "", "亩数": "1", "每亩折价": "100", "天数": "", "每天折价": "",
            "日期": "2026-06-01"}
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(xlsx_bytes([[h for _, h in COLUMNS],
                                 [{**good, column: bomb}[h] for _, h in COLUMNS]]))
    before = db_fingerprint(world.app)
    started = time.perf_counter()
    result = world.app.test_cli_runner().invoke(
        args=["shares", "import", str(path), "--coop", "wljs", "--by", "shuji"])
    elapsed = time.perf_counter() - started
    assert result.exit_code != 0, result.output
    assert elapsed < 2, f"{column} took {elapsed:.1f} s"
    assert re.search(rf"{column}.*(?:{REFUSED_NUMBER.pattern})", result.output), result.output
    assert db_fingerprint(world.app) == before


def test_a_float_cell_past_the_limit_in_the_shares_import_is_refused(world, tmp_path):
    from coop.shares.importing import COLUMNS

    row = {"成员编号": world.ids["member_no"], "股份类别": "村民股", "出资方式": "货币",
           "金额": 1e300, "日期": "2026-06-01"}
    path = tmp_path / "float.xlsx"
    path.write_bytes(xlsx_bytes([[h for _, h in COLUMNS], [row.get(h) for _, h in COLUMNS]]))
    before = db_fingerprint(world.app)
    result = world.app.test_cli_runner().invoke(
        args=["shares", "import", str(path), "--coop", "wljs", "--by", "shuji"])
    assert result.exit_code != 0 and "金额" in result.output, result.output
    assert db_fingerprint(world.app) == before


# -- formula injection in every CSV and XLSX the app writes (issue 17) -----------------------

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"[+-]?[0-9][0-9,]*(?:\.[0-9]+)?%?")
PLANTED = {
    "client": '=HYPERLINK("http://evil.example/x","点这里")',
    "machine": "=cmd|' /C calc'!A0",
    "member": "-2+3+cmd|' /C calc'!A0",
    "group": "@SUM(1+1)*cmd|' /C calc'!A0",
    "household": "\r=1+1",
    "phone": "\t=1+1",
}
REPORT_YEAR = 2025
# (endpoint, url, what must be in it)
EXPORT_ROUTES = [
    *[("machinery.report_xlsx", f"/machinery/reports/{REPORT_YEAR}/{name}.xlsx", planted)
      for name, planted in (("monthly", ()), ("services", ()), ("groups", ()),
                            ("machines", ("machine",)), ("members", ("member", "household")),
                            ("receivables", ("client",)))],
    ("machinery.orders_xlsx", f"/machinery/orders.xlsx?year={REPORT_YEAR}", ("member",)),
    ("machinery.payments_xlsx", f"/machinery/payments.xlsx?year={REPORT_YEAR}", ()),
    ("members.export", "/members/export?format=csv", ("member", "group", "household", "phone")),
    ("members.export", "/members/export?format=xlsx", ("member", "group", "household", "phone")),
    ("members.export", "/members/export?format=xlsx&full=1", ("member", "phone")),
    ("members.roster_xlsx", "/members/roster.xlsx", ("member", "group", "household")),
    ("members.import_template", "/members/import/template", ()),
    ("shares.import_template", "/shares/import/template", ()),
    ("shares.holdings_csv", "/shares/holdings.csv", ("member",)),
    ("shares.holdings_xlsx", "/shares/holdings.xlsx", ("member",)),
    ("dividends.export_csv", "/dividends/{plan}/export.csv", ("member",)),  # planted's plan
    ("dividends.export_xlsx", "/dividends/{plan}/export.xlsx", ("member",)),
    ("membership.filing_xlsx", "/membership/rosters/{roster}/filing.xlsx", ()),  # made before planting
]
# exports of a farmers' specialized cooperative only: walked with wljs made one
SPECIALIZED_EXPORT_ROUTES = [
    ("accounts.export", f"/accounts/export.xlsx?year={REPORT_YEAR}", ("member",)),
]
EXPORT_COMMANDS = [
    (["members", "export", "{out}.csv", "--coop", "wljs"], ("member", "group", "phone")),
    (["members", "export", "{out}.xlsx", "--coop", "wljs", "--full-id"], ("member", "household")),
    (["members", "template", "{out}.xlsx"], ()),
    (["shares", "holdings", "{out}.csv", "--coop", "wljs"], ("member",)),
    (["shares", "holdings", "{out}.xlsx", "--coop", "wljs"], ("member",)),
    (["dividends", "export", "{out}.csv", "--coop", "wljs", "--year", "{plan_year}"],
     ("member",)),
    (["dividends", "export", "{out}.xlsx", "--coop", "wljs", "--year", "{plan_year}"],
     ("member",)),
    (["members", "filing", "{out}.xlsx", "--coop", "wljs"], ()),
]


def _cells_of(data: bytes, xlsx: bool) -> list[tuple[Any, bool]]:
    """(value, neutralised) of every text cell; fails on any formula cell. (XML reads
    a carriage return in a cell back as a line feed; a control character written
    as Excel's escape, ``_x000D_``, is read back as itself: openpyxl does not
    decode it, Excel does.)"""
    found = []
    if xlsx:
        from openpyxl import load_workbook
        from openpyxl.utils.escape import unescape

        for sheet in load_workbook(io.BytesIO(data)).worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                    if isinstance(cell.value, str):
                        quoted = cell.data_type == "s" and bool(cell.quotePrefix)
                        found.append((unescape(cell.value).replace("\n", "\r"), quoted))
        return found
    import csv

    for row in csv.reader(io.StringIO(data.decode("utf-8-sig"))):
        for text in row:
            if text.startswith("'"):
                found.append((text[1:], True))
            else:
                found.append((text, False))
    return found


def _assert_neutralised(data: bytes, xlsx: bool, expected: tuple[str, ...], where: str) -> None:
    cells = _cells_of(data, xlsx)
    for value, neutralised in cells:
        if value.startswith(FORMULA_START) and not PLAIN_NUMBER.fullmatch(value):
            assert neutralised, (where, value)
    present = {value for value, neutralised in cells if neutralised}
    missing = [key for key in expected if PLANTED[key] not in present]
    assert not missing, (where, missing)


@pytest.fixture
def planted(world):
    """Formula-like names in the data, as the probe typed them: outside clients,
    machines, a member with orders in REPORT_YEAR, and the name on the dividend
    lines of the newest plan with lines; put back afterwards. Gives that plan."""
    from coop.dividends.models import DividendLine, DividendPlan
    from coop.machinery.receivables import receivables
    from coop.machinery.models import Machine, OutsideClient, ServiceOrder
    from coop.members.models import Member
    from coop.shares.models import ShareEntry

    wljs = world.ids["wljs_id"]
    with world.app.app_context():
        member = db.session.get(Member, db.session.scalar(
            select(ServiceOrder.member_id).where(
                ServiceOrder.cooperative_id == wljs,
                ServiceOrder.member_id.in_(select(ShareEntry.member_id)),
                ServiceOrder.service_on >= date(REPORT_YEAR, 1, 1),
                ServiceOrder.service_on <= date(REPORT_YEAR, 12, 31)).limit(1)))
        kind, _, debtor = receivables(wljs).clients[0].ref.partition(":")
        debtor = db.session.get(Member if kind == "m" else OutsideClient, int(debtor))
        plan = db.session.scalars(select(DividendPlan).join(
            DividendLine, DividendLine.plan_id == DividendPlan.id).where(
            DividendPlan.cooperative_id == wljs).order_by(DividendPlan.id.desc()).limit(1)).one()
        lines = db.session.scalars(select(DividendLine).where(
            DividendLine.plan_id == plan.id).limit(3)).all()
        clients = db.session.scalars(select(OutsideClient).where(
            OutsideClient.cooperative_id == wljs)).all()
        machines = db.session.scalars(select(Machine).where(Machine.cooperative_id == wljs)).all()
        saved = ([(member, f, getattr(member, f)) for f in ("name", "village_group",
                                                             "household_no", "phone")]
                 + [(line, "name", line.name) for line in lines] + [(debtor, "name", debtor.name)]
                 + [(c, "name", c.name) for c in clients] + [(m, "name", m.name) for m in machines])
        member.name, member.village_group = PLANTED["member"], PLANTED["group"]
        member.household_no, member.phone = PLANTED["household"], PLANTED["phone"]
        for line in lines:
            line.name = PLANTED["member"]
        for i, c in enumerate(clients):
            c.name = f"{PLANTED['client']}{i}"
        for i, m in enumerate(machines):
            m.name = PLANTED["machine"] if i == 0 else f"{PLANTED['machine']}{i}"
        debtor.name = PLANTED["client"]
        db.session.commit()
        assert clients and machines
        found = {"plan": plan.id, "plan_year": str(plan.year)}
    yield found
    with world.app.app_context():
        for obj, name, value in saved:
            setattr(db.session.merge(obj), name, value)
        db.session.commit()


def test_every_export_route_is_walked(world):
    downloads = {rule.endpoint for rule in world.app.url_map.iter_rules()
                 if rule.rule.endswith((".csv", ".xlsx"))
                 or rule.endpoint.endswith(("export", "template"))}
    # a published plan's: tests/test_bank_list.py; an overseer's: tests/test_oversight_views.py
    walked_elsewhere = {"dividends.bank_list", "oversight.export"}
    assert downloads - {endpoint for endpoint, *_ in EXPORT_ROUTES + SPECIALIZED_EXPORT_ROUTES} \
        - walked_elsewhere == set()


@pytest.mark.parametrize("endpoint, url, expected", [
    pytest.param(*case, id=case[1]) for case in EXPORT_ROUTES])
def test_export_routes_write_formula_like_text_as_text(world, planted, endpoint, url, expected):
    resp = world.client("admin").get(_fill(url, {**world.ids, **planted}))
    assert resp.status_code == 200, (url, resp.status_code)
    xlsx = resp.mimetype.endswith("spreadsheetml.sheet")
    assert xlsx or resp.mimetype == "text/csv", resp.mimetype
    _assert_neutralised(resp.data, xlsx, expected, url)


@pytest.mark.parametrize("endpoint, url, expected", [
    pytest.param(*case, id=case[1]) for case in SPECIALIZED_EXPORT_ROUTES])
def test_specialized_exports_are_no_store_and_write_formula_like_text_as_text(world, planted, endpoint, url,
                                                                             expected):
    from coop.cooperatives.models import Cooperative

    with world.app.app_context():
        db.session.get(Cooperative, world.ids["wljs_id"]).distribution_mode = "specialized"
        db.session.commit()
    try:
        resp = world.client("admin").get(_fill(url, {**world.ids, **planted}))
    finally:
        with world.app.app_context():
            db.session.get(Cooperative, world.ids["wljs_id"]).distribution_mode = "joint_stock"
            db.session.commit()
    assert resp.status_code == 200 and resp.mimetype.endswith("spreadsheetml.sheet"), url
    assert resp.headers["Content-Disposition"].startswith("attachment")
    assert resp.headers["Cache-Control"] == "no-store", resp.headers["Cache-Control"]
    _assert_neutralised(resp.data, True, expected, url)


@pytest.mark.parametrize("args, expected", [
    pytest.param(*case, id=" ".join(case[0][:2])) for case in EXPORT_COMMANDS])
def test_export_commands_write_formula_like_text_as_text(world, planted, tmp_path, args,
                                                         expected):
    out = tmp_path / "export"
    args = [a.format(out=out, **planted) for a in args]
    result = world.app.test_cli_runner().invoke(args=args)
    assert result.exit_code == 0, result.output
    path = Path(args[2])
    _assert_neutralised(path.read_bytes(), path.suffix == ".xlsx", expected, " ".join(args[:2]))


# -- memory bombs in Excel imports (issue 17) ---------------------------------------------

SHEET_XML = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
             '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             '{dimension}<sheetData>{rows}</sheetData></worksheet>')


def _xlsx_with_sheet(rows: str, dimension: str = "", doctype: str = "") -> bytes:
    """A real workbook (made by openpyxl) whose first sheet's XML is replaced."""
    import zipfile

    base = zipfile.ZipFile(io.BytesIO(xlsx_bytes([["x"]])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        for part in base.infolist():
            data = base.read(part)
            if part.filename == "xl/worksheets/sheet1.xml":
                data = SHEET_XML.format(
                    dimension=f'<dimension ref="{dimension}"/>' if dimension else "",
                    rows=rows).replace("?>", "?>" + doctype, 1).encode()
            bomb.writestr(part.filename, data)
    return out.getvalue()


def _one_cell_rows(count: int, column: str = "A") -> str:
    return "".join(f'<row r="{n}"><c r="{column}{n}" t="inlineStr"><is><t>x</t></is></c></row>'
                   for n in range(1, count + 1))


XLSX_BOMBS = [
    # the probe's file: 10,000 one-cell rows declaring the whole sheet
    pytest.param(lambda: _xlsx_with_sheet(_one_cell_rows(10_000), "A1:XFD1048576"),
                 "A1:XFD1048576", id="declared-whole-sheet"),
    pytest.param(lambda: _xlsx_with_sheet(_one_cell_rows(10_000, "XFD")), "第 16,384 列",
                 id="cells-in-the-last-column"),
    pytest.param(lambda: _xlsx_with_sheet(
        '<row r="1">' + '<c><v>1</v></c>' * 1_000_000 + "</row>"), "第 101 列",
                 id="one-row-of-a-million-cells"),
    pytest.param(lambda: _xlsx_with_sheet(
        '<row r="1048576"><c r="A1048576"><v>1</v></c></row>'), "第 1,048,576 行",
                 id="one-cell-in-the-last-row"),
    pytest.param(lambda: _xlsx_with_sheet(_one_cell_rows(50_002)), "第 50,002 行",
                 id="one-row-too-many"),
    pytest.param(lambda: _xlsx_with_sheet(
        '<row r="1"><c r="A1" t="inlineStr"><is><t>&a;</t></is></c></row>',
        doctype='<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'),
        "无法读取", id="entities"),
]


def _peak_memory_of(call) -> tuple[Any, int]:
    import tracemalloc

    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        start = tracemalloc.get_traced_memory()[0]
        result = call()
        return result, tracemalloc.get_traced_memory()[1] - start
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("how", ["members-web", "members-cli", "shares-cli"])
@pytest.mark.parametrize("build, message", XLSX_BOMBS)
def test_excel_bomb_is_refused_before_it_is_loaded(world, tmp_path, build, message, how):
    import time

    payload = build()
    assert len(payload) < 300_000  # a small file
    client = world.client("admin")
    before = db_fingerprint(world.app)
    started = time.perf_counter()
    if how == "members-web":
        resp, peak = _peak_memory_of(lambda: client.post(
            "/members/import", data={"file": (io.BytesIO(payload), "roster.xlsx")},
            content_type="multipart/form-data"))
        status, output = resp.status_code, _visible_errors(resp.get_data(as_text=True))
        assert 400 <= status < 500, status
    else:
        path = tmp_path / "bomb.xlsx"
        path.write_bytes(payload)
        result, peak = _peak_memory_of(lambda: world.app.test_cli_runner().invoke(
            args=[how.split("-")[0], "import", str(path), "--coop", "wljs",
                  *(["--by", "shuji"] if how == "shares-cli" else [])]))
        status, output = result.exit_code, result.output
        assert status != 0, output
    elapsed = time.perf_counter() - started
    print(f"\n{how}: {elapsed:.2f} s, peak {peak / 2**20:.1f} MB: {output[:200]}")
    assert peak < 50 * 2**20, f"{peak / 2**20:.0f} MB"
    assert elapsed < 10
    assert CHINESE.search(output) and message in output, output
    assert "表格太大" in output or "无法读取" in output, output
    assert db_fingerprint(world.app) == before


# -- huge integers in URLs (issue 17) --------------------------------------------------------

def _int_routes(app) -> list[tuple[str, str, list[str]]]:
    """(rule, method, int arguments) of every route with an <int:...> part."""
    from werkzeug.routing import IntegerConverter

    found = []
    for rule in app.url_map.iter_rules():
        ints = [name for name, conv in rule._converters.items()
                if isinstance(conv, IntegerConverter)]
        if ints:
            method = "GET" if "GET" in rule.methods else "POST"
            found.append((rule.rule, method, ints))
    return sorted(found)


def _url(rule: str, value: str) -> str:
    return re.sub(r"<(?:(\w+):)?(\w+)>",
                  lambda m: value if m.group(1) == "int" else
                  {"name": "monthly"}.get(m.group(2), "x1"), rule)


@pytest.mark.parametrize("value, allowed", [
    pytest.param("9" * 20, {404}, id="twenty-digits"),
    pytest.param(str(2**63), {404}, id="past-64-bit"),
    # (a POST to a path whose GET rule's pattern matches is a 405: no view is reached)
    pytest.param(str(2**31), {404, 405}, id="past-32-bit"),
    # the largest id PostgreSQL's INTEGER columns hold reaches the views
    pytest.param(str(2**31 - 1), {302, 400, 403, 404, 405, 409, 422}, id="largest-id"),
])
def test_every_int_url_part_takes_a_huge_number_without_a_500(world, value, allowed):
    staff, member = world.client("admin"), world.client("member")
    routes = _int_routes(world.app)
    assert len(routes) > 40  # the walk found the app's routes
    bad = []
    for rule, method, _ in routes:
        client = member if rule.startswith("/me/") else staff
        url = _url(rule, value)
        resp = client.get(url) if method == "GET" else client.post(url, data={})
        if resp.status_code not in allowed:
            bad.append((method, url, resp.status_code))
    assert bad == []


BIG = "9" * 20
# (method, path, data, status): ids and pages past 64 bits in query strings and posted references
HUGE_IN_REQUESTS = [
    ("get", f"/dividends/compare?a={BIG}&b={BIG}", None, 404),
    *[("get", f"{path}?page={BIG}", None, 200) for path in (
        "/members/", "/members/households", "/shares/register", "/shares/holdings", "/audit/",
        "/machinery/", "/member-logins", "/dividends/{draft}", "/statements/?year=2025&x=1")],
    ("get", f"/machinery/orders/quote?client_ref=m:{BIG}", None, 200),
    ("post", "/machinery/orders", {**ORDER, "client_ref": f"m:{BIG}"}, 422),
    ("post", "/machinery/orders", {**ORDER, "client_ref": "m:²"}, 422),
    ("post", "/machinery/orders", {**ORDER, "machine_id": BIG}, 422),
    ("post", "/machinery/expenses", {**EXPENSE, "machine_id": BIG}, 422),
    ("post", "/machinery/receivables/pay", {**PAYMENT, "client_ref": f"c:{BIG}"}, 422),
    ("post", "/shares/contribute", {**CONTRIBUTE, "contribution_kind": "in_kind",
                                    "machine_id": BIG}, 422),
]


@pytest.mark.parametrize("method, path, data, status", [
    pytest.param(*case, id=f"{case[0]} {case[1]}") for case in HUGE_IN_REQUESTS])
def test_huge_numbers_in_requests_are_refused_not_overflowed(world, method, path, data, status):
    client = world.client("admin")
    path = _fill(path, world.ids).replace("?year=2025&x=1?page=", "?year=2025&page=")
    if method == "get":
        before = db_fingerprint(world.app)
        resp = client.get(path, headers={"HX-Request": "true"} if "quote" in path else {})
        assert resp.status_code == status, (path, resp.status_code)
        assert db_fingerprint(world.app) == before
        return
    before = db_fingerprint(world.app)
    resp = client.post(path, data=_fill(data, world.ids))
    html = resp.get_data(as_text=True)
    assert resp.status_code == status, (path, resp.status_code, _visible_errors(html))
    assert CHINESE.search(_visible_errors(html)), path
    assert db_fingerprint(world.app) == before


# -- downloads are not kept by the browser (issue 17) ----------------------------------------

PDF_ROUTES = [
    ("statements.statement_pdf", "staff", "/statements/2024/members/{portal_member}.pdf"),
    ("portal.statement_pdf", "member", "/me/statements/2024.pdf"),
    ("governance.paper_pdf", "staff", "/meetings/{meeting}/papers/sign-in.pdf"),
    ("membership.filing_pdf", "staff", "/membership/rosters/{roster}/filing.pdf"),
    ("statements.certificate_pdf", "staff", "/statements/certificates/{portal_member}.pdf"),
    ("statements.certificates_pdf", "staff", "/statements/certificates.pdf"),
    ("portal.certificate_pdf", "member", "/me/certificate.pdf"),
]
# the batch job's file exists only once a batch job has run (test_any_file_sent_is_no_store
# covers it); the bank list needs a published plan (tests/test_bank_list.py walks it); the
# area's statistics an overseer (tests/test_oversight_views.py walks it)
NOT_WALKED = {"statements.job_download", "dividends.bank_list", "oversight.export"}


def test_every_download_route_is_walked(world):
    downloads = {rule.endpoint for rule in world.app.url_map.iter_rules()
                 if rule.rule.endswith((".csv", ".xlsx", ".pdf"))
                 or rule.endpoint.endswith(("export", "template", "download"))}
    walked = ({e for e, *_ in EXPORT_ROUTES + SPECIALIZED_EXPORT_ROUTES}
              | {e for e, *_ in PDF_ROUTES} | NOT_WALKED)
    assert downloads - walked == set()


@pytest.mark.parametrize("who, url", [
    *[pytest.param("staff", url, id=url) for _, url, _ in EXPORT_ROUTES],
    *[pytest.param(who, url, id=url) for _, who, url in PDF_ROUTES]])
def test_downloads_are_sent_no_store(world, who, url):
    client = world.client("member" if who == "member" else "admin")
    resp = client.get(_fill(url, world.ids))
    assert resp.status_code == 200, (url, resp.status_code)
    assert resp.headers["Content-Disposition"].startswith("attachment")
    assert resp.headers["Cache-Control"] == "no-store", resp.headers["Cache-Control"]


def test_any_file_sent_is_no_store(database_url, tmp_path):
    from flask import send_file

    app = create_app(_config(database_url, tmp_path))
    pdf = tmp_path / "x.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    app.add_url_rule("/t/file", "t_file", lambda: send_file(pdf, as_attachment=True))
    app.add_url_rule("/t/inline", "t_inline", lambda: send_file(pdf, mimetype="application/pdf"))
    client = app.test_client()
    for url in ("/t/file", "/t/inline"):
        assert client.get(url).headers["Cache-Control"] == "no-store"
