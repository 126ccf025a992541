"""The share register's answers to the roster's signals (coop.members.signals)
and governance's (coop.governance.vote_sources): both sit below the register
and cannot ask it directly. Connected when
the module is imported, which the app factory does for every domain's
``receivers`` module (coop.domains)."""
from __future__ import annotations

from datetime import date

from flask import url_for
from sqlalchemy import func, select

from coop.cooperatives.api import (ChecklistStep, Cooperative, KeyFigure, StepState,
                                   checklist_requested, figures_requested)
from coop.extensions import db
from coop.governance.api import MemberCapital, vote_basis_requested
from coop.members.api import Holdings, Member, holdings_requested, panels_requested
from coop.shares.api import member_land_mu, member_total_shares, register_weights
from coop.shares.models import ShareEntry
from coop.shares.rules import EntryKind


@holdings_requested.connect
def member_holdings(member_id: int, **_: object) -> Holdings:
    """Shares held today and the land they carry (every entry recorded so far)."""
    return Holdings(shares=member_total_shares(member_id), land_mu=member_land_mu(member_id))


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
    count, last = db.session.execute(
        select(func.count(ShareEntry.id), func.max(ShareEntry.effective_on)).where(
            ShareEntry.cooperative_id == coop.id,
            ShareEntry.entry_kind == EntryKind.SUBSCRIBE.value,
            ShareEntry.effective_on >= date(year, 1, 1),
            ShareEntry.effective_on <= date(year, 12, 31))).one()
    return [ChecklistStep(40, f"{year} 年入股登记", StepState.DONE if count else StepState.TODO,
                          last, url_for("shares.contribute"),
                          note=f"{count} 笔" if count else "")]


@figures_requested.connect
def share_figures(coop: Cooperative, **_: object) -> list[KeyFigure]:
    total = db.session.scalar(select(func.coalesce(func.sum(ShareEntry.shares), 0))
                              .where(ShareEntry.cooperative_id == coop.id))
    return [KeyFigure(30, "shares", "总股数", int(total or 0), url_for("shares.structure"))]
