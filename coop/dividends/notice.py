"""The public notice and the disclosure of a plan: one page of its lines on
screen (with a search by name or member number), or every line for print."""
from __future__ import annotations

from sqlalchemy import Select, func, or_, select

from coop.dividends.models import DividendLine, DividendPlan
from coop.dividends.reading import NoticeRow
from coop.extensions import db
from coop.members.api import Member
from coop.paging import Page

PER_PAGE = 100


def _lines(plan: DividendPlan, q: str) -> Select:
    query = select(DividendLine.member_no).where(DividendLine.plan_id == plan.id)
    if q:
        query = query.where(or_(DividendLine.member_no == q, DividendLine.name.contains(q, autoescape=True)))
    return query


def notice_page(plan: DividendPlan, page: int, q: str = "") -> Page:
    """The lines of ``page`` (the last page when past it), in member number order."""
    total = db.session.scalar(select(func.count()).select_from(_lines(plan, q).subquery())) or 0
    last = max(1, -(-total // PER_PAGE))
    page = min(page, last)
    query = (_lines(plan, q).with_only_columns(
                 DividendLine.member_no, DividendLine.name, Member.id_number, DividendLine.share_class,
                 DividendLine.shares, DividendLine.total_fen, DividendLine.kind)
             .join(Member, Member.id == DividendLine.member_id)
             .order_by(DividendLine.member_no)
             .limit(PER_PAGE).offset((page - 1) * PER_PAGE))
    return Page([NoticeRow(*row) for row in db.session.execute(query)], page, PER_PAGE, total)
