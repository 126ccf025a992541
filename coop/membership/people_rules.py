"""The rules of disputes over membership and of distribution rights for a
non-member, as pure functions (no Flask, no database).

- 《农村集体经济组织法》第十五条: a non-member who has long worked for the
  collective and contributed to it may be granted rights such as a share of
  the collective's income with the consent of three quarters or more of ALL
  members of the member assembly. "以上" includes the bound: 3 of 4 passes.
  The count is of every member entitled at the member assembly, never of
  those present, and a representative assembly cannot grant it.
- 《农村集体经济组织法》第五十六条: a dispute over the confirmation of
  membership may go to mediation (the township government, the subdistrict
  office or the county agriculture department), to the rural land contract
  arbitration body, or straight to a people's court; paragraph 2: where the
  confirmation harms a woman's lawful rights and the public interest, the
  procuratorate may issue a procuratorial suggestion or bring a public
  interest suit.

Every check answers with a Chinese sentence that names its law and article.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

RCEO = "《农村集体经济组织法》"
ART15 = f"{RCEO}第十五条"
ART56 = f"{RCEO}第五十六条"

ASSEMBLY = "assembly"  # coop.governance.constants.Body.ASSEMBLY

ART56_ROUTES = (f"{ART56}：对成员身份确认有异议的，当事人可以请求乡镇人民政府、街道办事处或者县级人民政府"
                "农业农村主管部门调解解决；不愿调解或者调解不成的，可以向农村土地承包仲裁机构申请仲裁，"
                "也可以直接向人民法院提起诉讼。")
ART56_PROSECUTORS = (f"{ART56}第二款：确认农村集体经济组织成员身份时侵害妇女合法权益，导致社会公共利益受损的，"
                     "检察机关可以发出检察建议或者依法提起公益诉讼。")


def needed_for_rights(all_members: int) -> int:
    """The least number of members for that grants art 15 rights: three
    quarters of ALL members, rounded up (integer arithmetic)."""
    return (3 * all_members + 3) // 4


def check_distribution_right(*, body: str, all_members: int, votes_for: int) -> list[str]:
    """What stands in the way of an art 15 grant by a resolution of ``body``
    with ``votes_for`` of ``all_members`` for: an empty list when it stands."""
    if body != ASSEMBLY:
        return [f"{ART15}：非本社成员享有收益分配等权利须经成员大会全体成员四分之三以上同意，"
                "成员代表大会不能作出这项决议"]
    if all_members <= 0:
        return [f"{ART15}：请填写成员大会全体成员人数（有表决权的成员总数）"]
    if votes_for < 0:
        return [f"{ART15}：同意人数不能为负数"]
    if votes_for > all_members:
        return [f"{ART15}：同意人数 {votes_for} 人多于全体成员 {all_members} 人，请核对决议"]
    needed = needed_for_rights(all_members)
    if votes_for < needed:
        return [f"{ART15}：非本社成员长期在本社工作、对集体做出贡献的，须经成员大会全体成员四分之三以上同意"
                f"方可享有收益分配等权利；全体成员 {all_members} 人，至少需 {needed} 人同意，"
                f"决议只有 {votes_for} 人同意"]
    return []


# -- disputes ----------------------------------------------------------------------


def check_opened(opened_on: date | None, today: date) -> dict[str, str]:
    if opened_on is None:
        return {"opened_on": "请填写争议发生（提出）的日期"}
    if opened_on > today:
        return {"opened_on": f"争议日期 {opened_on:%Y-%m-%d} 晚于今天，不能预先登记"}
    return {}


def check_step(on: date | None, *, opened_on: date, today: date, is_open: bool) -> dict[str, str]:
    """A step (mediation, arbitration, a court) of a dispute opened on ``opened_on``."""
    if not is_open:
        return {"on": "争议已结案，不能再登记处理经过；如又起争议，请另行登记"}
    if on is None:
        return {"on": "请填写日期"}
    if on < opened_on:
        return {"on": f"日期 {on:%Y-%m-%d} 早于争议发生的 {opened_on:%Y-%m-%d}"}
    if on > today:
        return {"on": f"日期 {on:%Y-%m-%d} 晚于今天，不能预先登记"}
    return {}


def check_close(closed_on: date | None, outcome: str, *, opened_on: date, last_step_on: date | None,
                today: date, is_open: bool) -> dict[str, str]:
    """Closing a dispute: its outcome and date, not before anything recorded of it."""
    if not is_open:
        return {"outcome": "争议已经结案"}
    errors: dict[str, str] = {}
    if not outcome.strip():
        errors["outcome"] = "请填写处理结果（调解协议、仲裁裁决或判决的内容）"
    if closed_on is None:
        errors["closed_on"] = "请填写结案日期"
    elif closed_on < (last_step_on or opened_on):
        latest = last_step_on or opened_on
        errors["closed_on"] = f"结案日期 {closed_on:%Y-%m-%d} 早于已登记的 {latest:%Y-%m-%d}"
    elif closed_on > today:
        errors["closed_on"] = f"结案日期 {closed_on:%Y-%m-%d} 晚于今天"
    return errors


def dispute_notes(concerns_women: bool) -> list[str]:
    """What the dispute page tells the secretary of where the dispute may go."""
    return [ART56_ROUTES, ART56_PROSECUTORS] if concerns_women else [ART56_ROUTES]


# -- a member's own standing (the /me/ panel) -----------------------------------------


@dataclass(frozen=True)
class Standing:
    """What a member reads of their own membership."""

    headline: str
    lines: tuple[str, ...]
    pending: bool
    rights_only: bool


def standing(*, status: str, status_label: str, rights_only: bool, acquired_label: str,
             acquired_on: date | None, confirmed_on: date | None, joined_on: date | None,
             pending_reason: str = "", pending_since: date | None = None,
             rights_granted_on: date | None = None, rights_resolution: str = "") -> Standing:
    """The sentences of a member's status panel, from what the roster records."""
    lines: list[str] = []
    if rights_only:
        granted = f"{rights_granted_on:%Y-%m-%d} 起" if rights_granted_on else ""
        headline = "非本社成员，享有收益分配权"
        lines.append(f"经成员大会决议{f'（{rights_resolution}）' if rights_resolution else ''}，"
                     f"{granted}享有参与收益分配等权利（{ART15}）；不是本社成员，不参加成员大会表决。")
        return Standing(headline, tuple(lines), False, True)
    if status == "pending":
        headline = "待成员大会确认"
        reason = f"（{pending_reason}" + (f"，{pending_since:%Y-%m-%d}" if pending_since else "") + "）" \
            if pending_reason else ""
        lines.append(f"您的成员身份已登记{reason}，须经公示并由成员大会表决确认后才列入成员名册。")
        return Standing(headline, tuple(lines), True, False)
    if status != "active":
        return Standing(status_label, (), False, False)
    if confirmed_on is not None:
        headline = f"本社成员，{confirmed_on:%Y-%m-%d} 经成员大会确认"
    elif joined_on is not None:
        headline = f"本社成员，{joined_on:%Y-%m-%d} 起在册"
    else:
        headline = "本社成员"
    basis = acquired_label + (f"（{acquired_on:%Y-%m-%d}）" if acquired_on else "")
    if basis:
        lines.append(f"成员身份取得方式：{basis}")
    return Standing(headline, tuple(lines), False, False)
