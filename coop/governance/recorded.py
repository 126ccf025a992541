"""A meeting recorded afterwards in one go: every one entitled signed in,
the item put to a secret ballot and carried by all of them.

For cooperatives (and the demo) whose early assemblies were held before the
app kept their meetings: the resolution they passed becomes a recorded one
that acts can cite. It goes through the same services as a meeting run page
by page (the notice, the roster on the day, the count, ``decide_item``), so
every rule is checked. Services only flush."""
from __future__ import annotations

from datetime import date, timedelta

from coop.cooperatives.api import Cooperative
from coop.errors import ServiceError
from coop.governance.attendance import record_attendance
from coop.governance.by_charter import charter_of, convene_under_charter
from coop.governance.constants import AttendanceMode, Body
from coop.governance.decisions import Resolution, decide_item, find_resolution, record_tally
from coop.governance.meetings import ItemSpec
from coop.governance.roster import entitled_voters
from coop.governance.rules import NOTICE_DAYS

__all__ = ["record_unanimous_resolution"]


def record_unanimous_resolution(cooperative: Cooperative, *, meeting_on: date, meeting_title: str,
                                item_title: str, kind: str, place: str, convened_by: str,
                                resolution_no: str | None = None,
                                user_id: int | None = None) -> Resolution:
    """Record a member assembly on ``meeting_on``, under the cooperative's
    charter (its regime, majorities and notice: the notice went out as many
    days before as the charter and the law ask), whose one item every one
    entitled attended and voted for."""
    notice_days = max(NOTICE_DAYS, cooperative.notice_days or 0)
    meeting = convene_under_charter(
        cooperative, body=Body.ASSEMBLY.value, title=meeting_title, meeting_on=meeting_on,
        place=place, convened_by=convened_by, notice_on=meeting_on - timedelta(days=notice_days),
        items=[ItemSpec(kind=kind, title=item_title)], user_id=user_id)
    item = meeting.items[0]
    roster = entitled_voters(meeting)
    for member in roster.voters:
        record_attendance(meeting, member.id, mode=AttendanceMode.IN_PERSON.value, user_id=user_id)
    record_tally(item, votes_for=roster.count + meeting.extra_votes, votes_against=0, votes_abstain=0, user_id=user_id)
    decision = decide_item(item, resolution_no=resolution_no, charter=charter_of(cooperative),
                           user_id=user_id)
    resolution = find_resolution(cooperative.id, decision.item.resolution_no)
    if resolution is None:
        raise ServiceError("；".join(decision.item.reasons or ["决议没有通过"]))
    return resolution
