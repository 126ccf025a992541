"""What a member reads of their own membership on /me/ and what the member's
page shows beside the roster: confirmed since, pending confirmation, the
basis and date of acquisition, distribution rights without membership (art
15) and their open disputes (art 56)."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from coop.extensions import db
from coop.members.api import Member
from coop.membership.constants import EventStatus
from coop.membership.disputes import OpenDispute, disputes_of, open_disputes_of, open_of
from coop.membership.models import DistributionRight, MembershipEvent
from coop.membership.people_rules import Standing, standing
from coop.membership.rights import rights_of


@dataclass(frozen=True)
class MemberStanding:
    member: Member
    standing: Standing
    open_disputes: list[OpenDispute]


def _pending_event(member: Member) -> MembershipEvent | None:
    return db.session.scalar(select(MembershipEvent).where(
        MembershipEvent.cooperative_id == member.cooperative_id,
        MembershipEvent.member_id == member.id,
        MembershipEvent.status.in_([EventStatus.PENDING.value, EventStatus.LISTED.value]))
        .order_by(MembershipEvent.occurs_on.desc(), MembershipEvent.id.desc()).limit(1))


def standing_of(member: Member) -> MemberStanding:
    """``member``'s own standing, as the member reads it."""
    event = _pending_event(member) if member.is_pending else None
    right = rights_of(member) if member.distribution_rights_only else None
    return MemberStanding(member, standing(
        status=member.status, status_label=member.status_label,
        rights_only=member.distribution_rights_only, acquired_label=member.acquired_how_label,
        acquired_on=member.acquired_on, confirmed_on=member.confirmed_on, joined_on=member.joined_on,
        pending_reason=event.reason_label if event else "",
        pending_since=event.occurs_on if event else None,
        rights_granted_on=right.granted_on if right else None,
        rights_resolution=(right.resolution_no or "") if right else ""),
        open_disputes_of(member))


@dataclass(frozen=True)
class PeoplePanel:
    """The member page's panel of disputes and art 15 rights."""

    right: DistributionRight | None
    open_disputes: list[OpenDispute]
    disputes: int


def people_panel(member: Member) -> PeoplePanel:
    disputes = disputes_of(member)
    return PeoplePanel(rights_of(member) if member.distribution_rights_only else None,
                       open_of(disputes), len(disputes))
