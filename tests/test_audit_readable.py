"""The audit log reads as the pages do: every audited column has a Chinese
label, values are shown in yuan, mu, dates, Beijing time and the enumerations'
labels; it filters by record type and by who did it; a login is no record
change."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select

from coop.audit.api import acting_as
from coop.audit.labels import HIDDEN, label_of
from coop.audit.models import AuditEntry
from coop.auth.api import User
from coop.config import DEMO_PASSWORD
from coop.cooperatives.api import get_by_code
from coop.dividends.api import DividendPlan
from coop.extensions import db
from coop.machinery.models import ServiceOrder
from coop.members.api import Member


def _login(auth, username="shuji"):
    assert auth.login(username, DEMO_PASSWORD, coop="wljs").status_code == 302


def test_every_audited_column_has_a_chinese_label(app):
    with app.app_context():
        missing = []
        for mapper in db.Model.registry.mappers:
            model = mapper.class_
            if not getattr(model, "__audit_label__", None):
                continue
            ignored = getattr(model, "__audit_ignore__", frozenset())
            missing += [f"{model.__tablename__}.{attr.key}" for attr in mapper.column_attrs
                        if attr.key not in HIDDEN | ignored and label_of(model, attr.key) is None]
        assert missing == []


def test_a_member_edit_reads_with_labels_and_shown_values(app, client, auth, demo):
    with app.app_context():
        coop = get_by_code(demo)
        admin = db.session.scalar(select(User).where(User.username == "shuji",
                                                     User.cooperative_id == coop.id))
        member = db.session.scalar(select(Member).where(
            Member.cooperative_id == coop.id, Member.id_number.is_not(None),
            Member.is_party_member.is_(False)).order_by(Member.id))
        with acting_as(admin.id):
            member.is_party_member = True
            member.joined_on = date(2024, 3, 5)
            member.kind = "cadre"
            db.session.flush()
        db.session.commit()
        id_number = member.id_number
        admin_name = admin.display_name
        member_name = member.name
    _login(auth)
    html = client.get("/audit/?record_type=members").get_data(as_text=True)
    body = html[html.index("<tbody>"):]
    first = body[:body.index("</tr>")]
    assert admin_name in first and "修改" in first and "成员 #" in first
    assert member_name in first  # an edit names the record, though its name did not change
    for text in ("党员", "否", "是", "入社日期", "2024-03-05", "成员类别", "村民", "干部"):
        assert text in first, text
    assert "is_party_member" not in html and "joined_on" not in html and "cadre" not in first
    assert id_number not in html


def test_an_order_edit_reads_in_yuan_mu_litres_and_the_service_label(app, client, auth, demo):
    with app.app_context():
        coop = get_by_code(demo)
        accountant = db.session.scalar(select(User.id).where(
            User.username == "kuaiji", User.cooperative_id == coop.id))
        order = db.session.scalar(select(ServiceOrder).where(
            ServiceOrder.cooperative_id == coop.id, ServiceOrder.service != "harvesting")
            .order_by(ServiceOrder.id))
        with acting_as(accountant):
            order.service = "harvesting"
            order.area_cmu = 123456
            order.unit_price_fen = 4550
            order.amount_fen = 5617248
            order.fuel_cl = 1250
            db.session.flush()
        db.session.commit()
    _login(auth)
    html = client.get("/audit/?record_type=service_orders").get_data(as_text=True)
    assert "作业单 #" in html and "修改" in html
    for text in ("作业项目", "收获", "面积", "1,234.56 亩", "单价（每亩）", "45.50 元", "金额",
                 "56,172.48 元", "油耗", "12.50 升"):
        assert text in html, text
    assert "area_cmu" not in html and "amount_fen" not in html and "harvesting" not in html


def test_a_plan_reads_with_its_status_rates_and_times_in_beijing(app, client, auth, demo):
    with app.app_context():
        plan = db.session.scalar(select(DividendPlan).where(DividendPlan.status == "paid")
                                 .order_by(DividendPlan.id))
        entry = db.session.scalar(select(AuditEntry).where(
            AuditEntry.record_type == "dividend_plans", AuditEntry.record_id == str(plan.id),
            AuditEntry.action == "update").order_by(AuditEntry.id.desc()))
        entry.at = datetime(2026, 1, 9, 17, 30)  # 01:30 on 10 January in Beijing
        entry.after = {**entry.after, "status": "paid", "reserve_rate_bp": 1000,
                       "computed_at": "2026-01-09T17:30:00"}
        db.session.commit()
    _login(auth, "jianshi")  # the supervisor reads the log too
    html = client.get("/audit/?record_type=dividend_plans&date_from=2026-01-10&date_to=2026-01-10"
                      ).get_data(as_text=True)
    assert "分红方案 #" in html and "2026-01-10 01:30" in html
    assert "状态" in html and "已发放" in html and "公积金提取比例" in html and "10.00%" in html
    assert "计算时间" in html and "2026-01-10 01:30" in html.split("计算时间", 1)[1]
    assert ">paid<" not in html and "reserve_rate_bp" not in html


def test_a_record_referred_to_is_named_beside_its_number(app, client, auth, demo):
    """'审核人（编号） 3' reads '审核人 李监事（#3）'; a plan is named by its year."""
    with app.app_context():
        coop = get_by_code(demo)
        plan = db.session.scalar(select(DividendPlan).where(DividendPlan.cooperative_id == coop.id)
                                 .order_by(DividendPlan.id))
        supervisor = db.session.scalar(select(User).where(User.username == "jianshi",
                                                          User.cooperative_id == coop.id))
        entry = db.session.scalar(select(AuditEntry).where(
            AuditEntry.record_type == "dividend_plans", AuditEntry.record_id == str(plan.id),
            AuditEntry.action == "update").order_by(AuditEntry.id.desc()))
        entry.at = datetime(2026, 1, 9, 17, 30)
        entry.before = {"reviewed_by_id": None, "review_note": ""}
        entry.after = {"reviewed_by_id": supervisor.id, "review_note": "同意", "version": 9}
        db.session.commit()
        name, user_id, year = supervisor.display_name, supervisor.id, plan.year
    _login(auth)
    html = client.get("/audit/?record_type=dividend_plans&date_from=2026-01-10&date_to=2026-01-10"
                      ).get_data(as_text=True)
    row = html[html.index("<tbody>"):]
    row = row[:row.index("</tr>")]
    assert f"{year} 年度" in row
    assert f"<span>审核人</span> {name}（#{user_id}）" in row and "审核人（编号）" not in row


def test_the_lines_a_batch_paid_read_as_the_plans_lines(app, client, auth, demo):
    """One entry stands for every line a payment batch paid: it names the
    plan they belong to and labels its figures, in Chinese."""
    with app.app_context():
        assert db.session.scalar(select(AuditEntry.id).where(
            AuditEntry.record_type == "dividend_lines", AuditEntry.record_id.like("plan %")))
    _login(auth)
    html = client.get("/audit/?record_type=dividend_lines").get_data(as_text=True)
    assert "分红明细 （分红方案 #" in html and "明细行数" in html
    assert "#plan" not in html and ">lines<" not in html and ">plan_id<" not in html


def test_the_log_filters_by_record_type_and_by_who_did_it(app, client, auth, demo):
    with app.app_context():
        coop = get_by_code(demo)
        users = {u.username: u.id for u in db.session.scalars(
            select(User).where(User.cooperative_id == coop.id))}
        accountant_name = db.session.get(User, users["kuaiji"]).display_name
        member = db.session.scalar(select(Member).where(Member.cooperative_id == coop.id)
                                   .order_by(Member.id))
        with acting_as(users["kuaiji"]):
            member.phone = "13900000001"
            db.session.flush()
        db.session.commit()
    _login(auth)
    html = client.get(f"/audit/?user={users['kuaiji']}").get_data(as_text=True)
    assert "13900000001" in html and accountant_name in html and "电话" in html
    assert "作业单 #" not in html
    html = client.get(f"/audit/?user={users['jianshi']}").get_data(as_text=True)
    assert "分红方案 #" in html and "13900000001" not in html and "成员 #" not in html
    html = client.get("/audit/?record_type=share_entries").get_data(as_text=True)
    assert "股权登记 #" in html and "成员 #" not in html and "13900000001" not in html
    html = client.get("/audit/?record_type=members&user=" + str(users["kuaiji"])
                      ).get_data(as_text=True)
    assert "13900000001" in html and html.count("成员 #") == 1


def test_the_log_is_paged(app, client, auth, demo):
    _login(auth)
    with app.app_context():
        total = db.session.scalar(select(db.func.count(AuditEntry.id)).where(
            AuditEntry.cooperative_id == get_by_code(demo).id))
    html = client.get("/audit/").get_data(as_text=True)
    assert f"共 {total} 条" in html and "下一页" in html
    assert html.count("<tr>") - 1 == 50
    last = (total + 49) // 50
    html = client.get(f"/audit/?page={last}").get_data(as_text=True)
    assert html.count("<tr>") - 1 == total - 50 * (last - 1) and "上一页" in html
    html = client.get(f"/audit/?page={last + 3}").get_data(as_text=True)
    assert "没有符合条件的记录" in html


def test_a_login_writes_no_audit_entry(app, client, auth, staff):
    with app.app_context():
        before = db.session.scalar(select(db.func.count(AuditEntry.id)))
    auth.login("admin")
    auth.logout()
    auth.login("member")
    with app.app_context():
        assert db.session.scalar(select(db.func.count(AuditEntry.id))) == before
        assert db.session.scalar(select(User.last_login_at).where(User.username == "admin"))


def test_a_change_of_a_login_is_still_logged_without_its_secrets(app, client, auth, staff):
    auth.login("admin")
    with app.app_context():
        user = db.session.get(User, staff[1]["accountant"])
        with acting_as(staff[1]["admin"]):
            user.display_name = "会计新名"
            user.session_token = "x" * 40
            db.session.flush()
        db.session.commit()
    html = client.get("/audit/?record_type=users").get_data(as_text=True)
    assert "会计新名" in html and "姓名" in html and "x" * 40 not in html


def test_a_new_record_shows_what_it_was_given(app, client, auth, staff):
    with app.app_context():
        coop_id = db.session.get(User, staff[1]["admin"]).cooperative_id
        with acting_as(staff[1]["admin"]):
            db.session.add(Member(cooperative_id=coop_id, member_no="N001", name="新成员",
                                  id_number="150203199001011232", id_tail="232110",
                                  household_no="H9", joined_on=date(2026, 1, 2)))
            db.session.flush()
        db.session.commit()
    auth.login("admin")
    html = client.get("/audit/?record_type=members").get_data(as_text=True)
    row = html[html.index("<tbody>"):html.index("</tbody>")]
    for text in ("新建", "新成员", "成员编号", "N001", "户号", "H9", "入社日期", "2026-01-02",
                 "1502**********1232", "状态", "在册"):
        assert text in row, text
    # no empty columns, nothing withheld, no ID in full
    assert "（空）" not in row and "（不记录）" not in row and "电话" not in row
    assert "150203199001011232" not in row and "232110" not in row
