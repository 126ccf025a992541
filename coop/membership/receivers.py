"""Membership's answers to the signals of the domains below it, which cannot
ask it directly. Connected when the app factory imports this module
(coop.domains).

- The roster (coop.members.signals): the member page's panels: the
  membership events and the pending state, and the art 15 rights and
  disputes.
- The home page (coop.cooperatives.signals): roster versions not filed
  within 30 days of their making.
- A status change entered in error is not reversed once a roster version
  was made after it (the roster, perhaps filed, rests on it).
- Governance (coop.governance.agenda_sources): the convening page offers the
  confirmation lists on notice; a list may be put to the vote only once its
  notice has run; a decided item confirms its list's events (or returns them
  to pending)."""
from __future__ import annotations

from datetime import date

from flask import url_for
from sqlalchemy import select

from coop.cooperatives.api import (ChecklistStep, Cooperative, DashboardPanel, StepState,
                                   checklist_requested, dashboard_panels_requested)
from coop.extensions import db
from coop.governance.api import (AgendaItem, ListChoice, item_decided, list_choices_requested,
                                 list_refusal_requested)
from coop.members.api import Member, MemberStatusChange, panels_requested, reversal_refusals_requested
from coop.membership import lists, rosters
from coop.membership.constants import ListStatus
from coop.membership.events import confirm_event
from coop.membership.models import ConfirmationList, RosterVersion
from coop.membership.roster_rules import filing_due_on


@panels_requested.connect
def events_panel(member: Member, **_: object) -> str:
    """The pending state, the basis of membership and the member's events."""
    return "membership/_member_panel.html"


@panels_requested.connect
def people_panel(member: Member, **_: object) -> str:
    """Art 15 rights and the disputes over the member's membership, on the member's page."""
    return "membership/_people_panel.html"


@dashboard_panels_requested.connect
def overdue_filings(coop: Cooperative, **_: object) -> DashboardPanel | None:
    """Roster versions the township and the county bureau have not received in time."""
    overdue = rosters.overdue_versions(coop.id)
    if not overdue:
        return None
    return DashboardPanel("membership/_dashboard_overdue.html",
                          {"overdue": overdue, "filings": {v.id: rosters.filing_of(v) for v in overdue},
                           "rule": rosters.filing_rule(coop)})


@checklist_requested.connect
def filing_step(coop: Cooperative, *, today: date, **_: object) -> list[ChecklistStep]:
    """The roster's filing: late from the first unfiled version past its 30
    days, else done when the latest version is filed, else due."""
    unfiled = db.session.scalar(select(RosterVersion).where(
        RosterVersion.cooperative_id == coop.id, RosterVersion.filed_on.is_(None))
        .order_by(RosterVersion.number).limit(1))
    latest = db.session.scalar(select(RosterVersion).where(RosterVersion.cooperative_id == coop.id)
                               .order_by(RosterVersion.number.desc()).limit(1))
    label = f"名册备案（{coop.words.roster_filed_with}）"
    url = url_for("membership.rosters_index")
    if unfiled is not None:
        due = filing_due_on(unfiled.made_on)
        state = StepState.LATE if today > due else StepState.TODO
        return [ChecklistStep(30, label, state, due, url, note=f"第 {unfiled.number} 版未备案")]
    if latest is not None:
        return [ChecklistStep(30, label, StepState.DONE, latest.filed_on, url,
                              note=f"第 {latest.number} 版已备案")]
    return [ChecklistStep(30, label, StepState.TODO, None, url, note="尚未生成名册版本")]


@list_choices_requested.connect
def lists_to_decide(coop_id: int, **_: object) -> list[ListChoice]:
    """The cooperative's lists on notice that no open item puts to the vote yet."""
    noticed = db.session.scalars(select(ConfirmationList).where(
        ConfirmationList.cooperative_id == coop_id,
        ConfirmationList.status == ListStatus.NOTICED.value).order_by(ConfirmationList.number))
    choices = []
    for lst in noticed:
        if lists.open_item_of(lst) is not None:
            continue
        facts = lists.notice_facts(lst)
        choices.append(ListChoice(lst.id, f"{lst.title}（公示至 {facts.last_day:%Y-%m-%d}，"
                                          f"{facts.decidable_from:%Y-%m-%d} 起可表决）",
                                  facts.decidable_from))
    return choices


@list_refusal_requested.connect
def refusal(coop_id: int, *, list_id: int, meeting_on: date, **_: object) -> str | None:
    return lists.refusal_for_meeting(coop_id, list_id, meeting_on)


@item_decided.connect
def confirm_when_decided(item: AgendaItem, **_: object) -> None:
    """A decided membership item confirms its list (passed) or returns its
    events to pending (failed)."""
    if item.membership_list_id is None:
        return
    lists.decide(item, confirm_event, user_id=item.decided_by_id)


@reversal_refusals_requested.connect
def roster_made_since(member: Member, *, change: MemberStatusChange, **_: object) -> str | None:
    roster = db.session.scalar(select(RosterVersion).where(
        RosterVersion.cooperative_id == member.cooperative_id,
        RosterVersion.created_at > change.recorded_at).order_by(RosterVersion.number).limit(1))
    if roster is None:
        return None
    filed = f"，已于 {roster.filed_on:%Y-%m-%d} 备案" if roster.filed_on else ""
    return (f"成员名册第 {roster.number} 版在此变更之后编制（{roster.made_on:%Y-%m-%d}{filed}），"
            "名册以此变更为依据（《农村集体经济组织法》第十二条）")
