"""The resolution a share movement cites: one of the cooperative's recorded,
passed resolutions (coop.governance), chosen from a list.

A movement that takes a class out of the charter's band or a holding over the
cap needs the assembly's consent; any other entry may cite a resolution too.
Any passed item may be cited (a charter change, a membership confirmation, a
merger or an "other" item such as a founding assembly's resolution on the
first shares) except a distribution plan's: that resolution approves a year's
distribution and nothing else. Entries recorded before resolutions were kept
keep the number typed then."""
from __future__ import annotations

from coop.errors import ValidationFailed
from coop.governance.api import ItemKind, Resolution, find_resolution, resolutions

RESOLUTION_MAX = 60
NOT_CITABLE = {ItemKind.DISTRIBUTION.value}


def citable_resolutions(coop_id: int) -> list[Resolution]:
    """The resolutions a movement of ``coop_id`` may cite, latest first."""
    return [r for r in resolutions(coop_id) if r.kind not in NOT_CITABLE]


def resolution_error(coop_id: int, resolution_no: str) -> str | None:
    """Why ``resolution_no`` cannot be cited by a movement of ``coop_id``."""
    if len(resolution_no) > RESOLUTION_MAX:
        return f"决议文号不能超过 {RESOLUTION_MAX} 个字"
    resolution = find_resolution(coop_id, resolution_no)
    if resolution is None:
        return (f"“{resolution_no}”不是本社已通过决议的编号；股权变动只能依据成员（代表）大会"
                "已通过的决议（没有时请先在“会议”中召开大会表决）")
    if resolution.kind in NOT_CITABLE:
        return (f"决议 {resolution_no} 是{resolution.kind_label}的决议，只批准该年度的收益分配，"
                "不能作为股权变动的依据")
    return None


def clean_resolution(coop_id: int, resolution_no: str | None) -> str:
    """The cited resolution's number ("" for none); refused when it is not a
    citable resolution of the cooperative."""
    text = (resolution_no or "").strip()
    if text and (message := resolution_error(coop_id, text)):
        raise ValidationFailed({"resolution_no": message})
    return text
