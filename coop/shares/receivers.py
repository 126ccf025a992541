"""The share register's answers to the roster's signals (coop.members.signals)
and governance's (coop.governance.vote_sources): both sit below the register
and cannot ask it directly. Connected when
the module is imported, which the app factory does for every domain's
``receivers`` module (coop.domains)."""
from __future__ import annotations

from datetime import date

from flask import url_for
from sqlalchemy import func, or_, select

from coop.cooperatives.api import (ChecklistStep, Cooperative, KeyFigure, StepState,
                                   checklist_requested, figures_requested, step_records)
from coop.extensions import db
from coop.governance.api import MemberCapital, vote_basis_requested
from coop.members.api import (Holdings, Member, MemberStatusChange, class_holdings_requested,
                              holdings_requested, panels_requested, reversal_refusals_requested)
from coop.shares.api import register_weights
from coop.shares.land import member_class_lands
from coop.shares.models import ShareEntry, ShareSum
from coop.shares.rules import EntryKind, land_carried


@holdings_requested.connect
def member_holdings(member_id: int, **_: object) -> Holdings:
    """Shares held today and the land they carry (every entry recorded so far)."""
    held = member_class_lands(member_id).values()
    return Holdings(shares=sum(c.shares for c in held), land_mu=land_carried(held))


@panels_requested.connect
def member_page_panel(member: Member, **_: object) -> str:
    """The member's holdings by class and register history, on the member's page."""
    return "shares/_member_panel.html"


@vote_basis_requested.connect
def capital_for_votes(coop_id: int, *, on: date, **_: object) -> MemberCapital:
    """Each member's capital on ``on`` (shares held x par value): what a
    specialized cooperative's extra votes by capital follow (FSC art 22)."""
    par = db.session.get(Cooperative, coop_id).par_value_fen
    capital: dict[int, int] = {}
    for weight in register_weights(coop_id, on):
        capital[weight.member_id] = capital.get(weight.member_id, 0) + weight.shares * par
    return MemberCapital(on, capital)


@checklist_requested.connect
def contributions_step(coop: Cooperative, *, year: int, **_: object) -> list[ChecklistStep]:
    """This year's contributions: done once one is recorded, dated by the latest."""
    done = step_records(ShareEntry.effective_on, select(ShareEntry.id).where(
        ShareEntry.cooperative_id == coop.id,
        ShareEntry.entry_kind == EntryKind.SUBSCRIBE.value,
        ShareEntry.effective_on >= date(year, 1, 1),
        ShareEntry.effective_on <= date(year, 12, 31)), "笔")
    return [ChecklistStep(40, f"{year} 年入股登记", StepState.DONE if done.note else StepState.TODO,
                          done.last, url_for("shares.contribute"), note=done.note)]


@figures_requested.connect
def share_figures(coop: Cooperative, **_: object) -> list[KeyFigure]:
    total = db.session.scalar(select(func.coalesce(func.sum(ShareSum.shares), 0))
                              .where(ShareSum.cooperative_id == coop.id))
    return [KeyFigure(30, "shares", "总股数", int(total or 0), url_for("shares.structure"))]


@class_holdings_requested.connect
def holdings_by_class(coop_id: int, *, on: date, **_: object) -> dict[int, dict[str, int]]:
    """Every member's shares by class on ``on``, in one pass (the roster workbook)."""
    held: dict[int, dict[str, int]] = {}
    for weight in register_weights(coop_id, on):
        if weight.shares:
            held.setdefault(weight.member_id, {})[weight.share_class] = weight.shares
    return held


@reversal_refusals_requested.connect
def later_entries(member: Member, *, change: MemberStatusChange, **_: object) -> str | None:
    """A share entry of the member dated on or after the change, or recorded
    after it (an inheritance after a death, a transfer or redemption), rests
    on the change: it may not be reversed while the entry stands."""
    after = [ShareEntry.recorded_at > change.recorded_at]
    if change.on_date is not None:
        after.append(ShareEntry.effective_on >= change.on_date)
    entry = db.session.scalar(select(ShareEntry).where(ShareEntry.member_id == member.id, or_(*after))
                              .order_by(ShareEntry.effective_on, ShareEntry.id).limit(1))
    if entry is None:
        return None
    return (f"{member.name} 在此变更之后有股权登记（{entry.effective_on:%Y-%m-%d} "
            f"{EntryKind.label_of(entry.entry_kind)} {entry.shares:+,} 股），这些登记以此变更为前提，"
            "请先在股权页面冲销这些登记再撤销")
