"""The pages the accessibility run (tests/browser/axe_run.py) visits,
built from the role tables (tests/roles/*.py): every GET endpoint with the
roles that get 200, its URL filled with the ids of the demo cooperatives
instead of the role fixtures' ones. Downloads (.xlsx/.csv/.pdf), redirects
and htmx fragments are not pages; every other GET route must be visited, or
be named in ``SKIP`` with the reason (tests/test_a11y_pages.py checks it).
"""
from __future__ import annotations

import importlib
import pkgutil
import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

import tests.roles

DOWNLOAD = re.compile(r"\.(xlsx|csv|pdf)(\?|$)")

# Endpoints the run does not open, and why.
SKIP = {
    "members.export": "下载：成员名册 .xlsx（无扩展名的下载地址）",
    "members.import_template": "下载：导入模板 .xlsx",
    "shares.import_template": "下载：导入模板 .xlsx",
    "machinery.order_quote": "htmx 片段：报价，在新建作业单页面内检查",
    "machinery.client_search": "htmx 片段：客户搜索结果，在作业单页面内检查",
    "dividends.notice": "重定向到公示页（方案未公示时）",
    "dividends.disclosure": "重定向到方案页（方案未披露时）",
    "membership.scan": "下载：成员变动的扫描件（图片或 PDF）",
    "statements.job": "后台任务状态，不存在的任务给 404",
    "oversight.choose": "乡镇、县监管账户选择合作社（重定向）",
    "statements.job_download": "后台任务下载",
    "portal.draft_plan": ("成员查阅公开中的分配方案草案：演示数据的方案在本轮已表决通过，没有公开中的草案（404）；"
                          "页面的材料与 portal.meeting_plan 共用 portal/_plan_papers.html，由该页检查"),
}

# URLs of the role tables that name a record of the role fixture literally.
DEMO_URLS = {"membership.household": "/membership/households/{household_no}"}

# Pages that repeat one document per member (the batch prints): axe checks
# the page and the first copy; the copies after it are the same template.
REPEATS = {
    "statements.batch": "article.st-statement ~ article.st-statement",
    "shares.certificates": "article.sh-certificate ~ article.sh-certificate",
    "governance.paper": "section.ballot ~ section.ballot",
}

# Pages only the specialized cooperative (hxnj) has: they are opened there.
FSC_ONLY = {"accounts.index", "accounts.detail"}

# The roles the run logs in as, and the roles it does not, with the reason:
# a page only a skipped role reaches is not opened.
AXE_ROLES = ("admin", "accountant", "supervisor", "member")
# The overseer reads the supervisor's pages of a chosen cooperative (the
# supervisor's run opens them) and its own: those, and a chosen cooperative's
# pages under the read-only banner, are opened by their own test
# (test_axe_finds_no_wcag_violation_on_the_overseers_pages).
SKIP_ROLES = {"overseer": "以辖区代码登录：辖区页面和只读横幅由 test_axe_finds_no_wcag_violation_on_the_overseers_pages 检查，"
                          "其余页面与监事相同，由监事一轮检查"}

LOGINS = {
    "wljs": {"admin": "shuji", "accountant": "kuaiji", "supervisor": "jianshi", "member": "CY0003"},
    "hxnj": {"admin": "hx-shuji", "accountant": "hx-kuaiji", "supervisor": "hx-jianshi",
             "member": "HX004"},
}


@dataclass(frozen=True)
class PageVisit:
    endpoint: str
    url: str
    roles: frozenset[str]
    coop: str


def role_rows() -> dict[str, tuple[str, str, dict[str, int]]]:
    modules = [importlib.import_module(f"tests.roles.{m.name}")
               for m in pkgutil.iter_modules(tests.roles.__path__)]
    return {endpoint: row for module in modules for endpoint, row in module.ROLE_TABLE.items()}


def is_download(url: str) -> bool:
    return DOWNLOAD.search(url) is not None


def page_rows() -> dict[str, tuple[str, frozenset[str]]]:
    """endpoint -> (url template, roles that get the page): the GET rows of
    the role tables that answer 200 with HTML, without the skipped ones.
    Roles the run does not log in as are kept (the coverage test fails on
    a page that only they reach)."""
    pages = {}
    for endpoint, (method, url, expected) in role_rows().items():
        roles = frozenset(role for role, status in expected.items() if status == 200)
        if method != "GET" or endpoint in SKIP or is_download(url) or not roles:
            continue
        pages[endpoint] = (DEMO_URLS.get(endpoint, url), roles)
    return pages


def demo_ids(code: str) -> dict[str, object]:
    """The ids of demo records that the role tables' placeholders stand for.
    In an app context, with the demo loaded and its 2025 plan published."""
    from coop.accounts.models import AccountEntry
    from coop.cooperatives.services import get_by_code
    from coop.disclosure.models import Disclosure
    from coop.dividends.models import DividendLine, DividendPlan
    from coop.extensions import db
    from coop.governance.models import AgendaItem, Meeting
    from coop.machinery.models import Machine, OutsideClient, ServiceOrder
    from coop.members.models import Member
    from coop.membership.models import ConfirmationList, Dispute, MembershipEvent, RosterVersion
    from coop.shares.models import ShareEntry

    coop = get_by_code(code)
    member = db.session.scalar(select(Member).where(
        Member.cooperative_id == coop.id, Member.member_no == LOGINS[code]["member"]))

    def first(column, *where):
        return db.session.scalar(select(column).where(*where).order_by(column).limit(1))

    plan = first(DividendPlan.id, DividendPlan.cooperative_id == coop.id,
                 DividendPlan.year == 2025)
    own_line = first(DividendLine.id, DividendLine.plan_id == plan,
                     DividendLine.member_id == member.id)
    plan_item = db.session.execute(
        select(AgendaItem.meeting_id, AgendaItem.id).join(Meeting)
        .where(Meeting.cooperative_id == coop.id, AgendaItem.plan_id == plan)).first()
    meeting = first(Meeting.id, Meeting.cooperative_id == coop.id)
    ids = {
        "year": 2025,
        "plan_id": plan,
        "line_id": first(DividendLine.id, DividendLine.plan_id == plan),
        "portal_line_id": own_line,
        "portal_own_member_id": member.id,
        "portal_meeting_id": plan_item.meeting_id if plan_item else None,
        "portal_item_id": plan_item.id if plan_item else None,
        "meeting_id": meeting,
        "item_id": first(AgendaItem.id, AgendaItem.meeting_id == meeting),
        "member_id": member.id,
        "household_no": member.household_no,
        "share_member_id": member.id,
        "share_entry_id": first(ShareEntry.id, ShareEntry.cooperative_id == coop.id),
        "accounts_member_id": first(AccountEntry.member_id, AccountEntry.cooperative_id == coop.id),
        "order_id": first(ServiceOrder.id, ServiceOrder.cooperative_id == coop.id),
        "client_id": first(OutsideClient.id, OutsideClient.cooperative_id == coop.id),
        "machine_id": first(Machine.id, Machine.cooperative_id == coop.id),
        "dispute_id": first(Dispute.id, Dispute.cooperative_id == coop.id),
        "list_id": first(ConfirmationList.id, ConfirmationList.cooperative_id == coop.id),
        "roster_id": first(RosterVersion.id, RosterVersion.cooperative_id == coop.id),
        "event_id": first(MembershipEvent.id, MembershipEvent.cooperative_id == coop.id),
        "disclosure_id": first(Disclosure.id, Disclosure.cooperative_id == coop.id),
    }
    assert db.session.scalar(select(func.count()).select_from(DividendLine)
                             .where(DividendLine.plan_id == plan)), "the 2025 plan has lines"
    return ids


def visits(ids: dict[str, dict[str, object]]) -> list[PageVisit]:
    """Every page with its URL in the demo cooperative that has it; ``ids``
    maps a cooperative's code to its ``demo_ids``."""
    result = []
    for endpoint, (template, roles) in sorted(page_rows().items()):
        code = "hxnj" if endpoint in FSC_ONLY else "wljs"
        names = re.findall(r"\{(\w+)\}", template)
        missing = [n for n in names if ids[code].get(n) is None]
        assert not missing, f"{endpoint}: the demo {code} has no record for {missing}"
        result.append(PageVisit(endpoint, template.format(**ids[code]), roles, code))
    return result


def demo_year_published(coop_code: str) -> None:
    """In an app context: the demo's 2025 draft approved at a meeting on
    2026-01-15 and published, so that the plan, its lines, the notice and the
    member's statement exist. Flushes only."""
    from coop import clock
    from coop.cooperatives.services import get_by_code
    from coop.dividends import reading, workflow
    from tests.conftest_dividends import pass_at_meeting

    coop = get_by_code(coop_code)
    plan = reading.latest_draft(coop.id, 2025)
    assert plan is not None, f"the demo {coop_code} has a 2025 draft"
    pass_at_meeting(coop, plan, date(2026, 1, 15), resolution_no="测试决议〔2026〕1号")
    with clock.replaying(date(2026, 1, 16)):
        workflow.publish_plan(plan, notice_start=date(2026, 1, 16), notice_days=7)


def alerts_on_load(html: str) -> int:
    """The alerts a page carries when it loads, besides the hidden box of
    base.html that shows a failed request: a notice about the page's state
    (a missing setting, a year not closed) is no alert; a refused form is."""
    return html.count('role="alert"') - html.count('class="request-error" role="alert" hidden')
