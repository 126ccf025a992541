"""Fixtures of the portal and statements domains (registered in tests/conftest.py).

``portal_world``: cooperative t1 of the ``staff`` fixture with five members,
a share register, and dividend plans written directly as rows (so the tests
do not depend on the order of the dividend services' checks):

- 2024: approved, published and paid (v1), lines for JT001, CY0001, CY0002, GB001;
- 2025: v1 approved and then superseded by v2 (approved, published, not paid);
  only v2 may ever be shown;
- 2026: a draft, never shown to anyone through statements or the portal.

CY0003 has no shares and no line. CY0001 and CY0002 have member logins
(``cy1`` / ``cy2`` keys of ``logins``) with the test password, already changed.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pytest

from coop.extensions import db
from tests.conftest import PASSWORD

MEMBERS = (
    # member_no, name, kind, household, id number
    ("JT001", "测试村集体经济组织", "collective", "H000", None),
    ("CY0001", "张秀兰", "villager", "H001", "150203196805121528"),
    ("CY0002", "李德胜", "villager", "H002", "15020319700301153X"),
    ("GB001", "王建军", "cadre", "H003", "150203197511020018"),
    ("CY0003", "赵小梅", "villager", "H004", "150203199001010023"),
)

# (member_no, shares, total) per plan: the whole total is the capital part
LINES_2024 = (("JT001", 650, 65_000_00), ("CY0001", 150, 15_000_00),
              ("CY0002", 160, 16_000_00), ("GB001", 40, 4_000_00))
LINES_2025_V1 = (("JT001", 650, 70_000_00), ("CY0001", 170, 1_234_56),
                 ("CY0002", 140, 6_543_21), ("GB001", 40, 1_000_00))
LINES_2025 = (("JT001", 650, 65_000_00), ("CY0001", 170, 17_000_05),
              ("CY0002", 140, 13_999_95), ("GB001", 40, 4_000_00))
LINES_2026 = (("JT001", 650, 99_000_00), ("CY0001", 170, 88_888_88))


@dataclass
class PortalWorld:
    code: str
    members: dict[str, int] = field(default_factory=dict)
    plans: dict[str, int] = field(default_factory=dict)
    lines: dict[tuple[str, str], int] = field(default_factory=dict)  # (plan key, member_no)
    logins: dict[str, int] = field(default_factory=dict)
    staff: dict[str, int] = field(default_factory=dict)


def _plan(coop_id: int, year: int, version_no: int, status: str, lines, *, paid_on=None,
          notice_start=None, surplus_fen: int):
    from coop.dividends.models import DividendPlan

    capital = sum(t for _, _, t in lines)
    reserve = surplus_fen // 10
    welfare = risk = surplus_fen // 20
    plan = DividendPlan(
        cooperative_id=coop_id, year=year, version_no=version_no, status=status,
        mode="joint_stock", weight_basis="record_date", record_date=date(year, 12, 31),
        surplus_fen=surplus_fen, reserve_rate_bp=1000, welfare_rate_bp=500, risk_rate_bp=500,
        reserve_fen=reserve, welfare_fen=welfare, risk_fen=risk,
        distributable_fen=surplus_fen - reserve - welfare - risk, capital_pool_fen=capital,
        total_weight=sum(s for _, s, _ in lines), total_shares=sum(s for _, s, _ in lines),
        line_count=len(lines),
        assembly_date=None if status == "draft" else date(year + 1, 3, 15),
        households_total=None if status == "draft" else 4,
        households_present=None if status == "draft" else 4,
        votes_for=None if status == "draft" else 4,
        votes_against=None if status == "draft" else 0,
        votes_abstain=None if status == "draft" else 0,
        resolution_no=None if status == "draft" else f"测股合〔{year + 1}〕{version_no}号",
        notice_start=notice_start, notice_days=7 if notice_start else None,
    )
    db.session.add(plan)
    db.session.flush()
    return plan


def _lines(plan, members: dict[str, object], rows, paid_on=None) -> dict[str, int]:
    from coop.dividends.models import DividendLine

    out = {}
    for no, shares, total in rows:
        m = members[no]
        line = DividendLine(plan_id=plan.id, member_id=m.id, member_no=no, name=m.name,
                            kind=m.kind, share_class=m.kind,
                            shares=shares, weight=shares, capital_fen=total, total_fen=total,
                            paid_on=paid_on, payment_method="card" if paid_on else None)
        db.session.add(line)
        db.session.flush()
        out[no] = line.id
    return out


@pytest.fixture
def portal_world(app, staff) -> PortalWorld:
    from coop.auth.services import create_user
    from coop.cooperatives.services import get_by_code
    from coop.members.models import Member
    from coop.shares.founding import record_founding
    from coop.shares.movements import record_transfer

    code, staff_ids = staff
    world = PortalWorld(code=code, staff=staff_ids)
    with app.app_context():
        coop = get_by_code(code)
        members = {}
        for no, name, kind, household, id_number in MEMBERS:
            m = Member(cooperative_id=coop.id, member_no=no, name=name, kind=kind,
                       household_no=household, id_number=id_number,
                       id_tail=(id_number or "")[-6:][::-1], joined_on=date(2023, 1, 1))
            db.session.add(m)
            db.session.flush()
            members[no] = m
            world.members[no] = m.id
        day = date(2024, 1, 10)
        record_founding(coop, [
            (1, dict(member_id=members["JT001"].id, share_class="collective",
                     contribution_kind="in_kind", asset_name="拖拉机一台", effective_on=day,
                     amount_fen=650_00)),
            (2, dict(member_id=members["CY0001"].id, share_class="villager",
                     contribution_kind="cash", effective_on=day, amount_fen=150_00)),
            (3, dict(member_id=members["CY0002"].id, share_class="villager",
                     contribution_kind="cash", effective_on=day, amount_fen=160_00)),
            (4, dict(member_id=members["GB001"].id, share_class="cadre",
                     contribution_kind="cash", effective_on=day, amount_fen=40_00)),
        ])
        # 2025: CY0002 transfers 20 villager shares to CY0001
        record_transfer(coop, from_member_id=members["CY0002"].id,
                        to_member_id=members["CY0001"].id, share_class="villager", shares=20,
                        effective_on=date(2025, 6, 1))

        p2024 = _plan(coop.id, 2024, 1, "paid", LINES_2024, notice_start=date(2025, 3, 16),
                      surplus_fen=125_000_00)
        p2025v1 = _plan(coop.id, 2025, 1, "approved", LINES_2025_V1, surplus_fen=91_000_00)
        p2025 = _plan(coop.id, 2025, 2, "published", LINES_2025, notice_start=date(2026, 3, 20),
                      surplus_fen=125_000_00)
        p2025v1.superseded_by_id = p2025.id
        p2025.supersedes_id = p2025v1.id
        p2026 = _plan(coop.id, 2026, 1, "draft", LINES_2026, surplus_fen=300_000_00)
        for key, plan, rows, paid in (("2024", p2024, LINES_2024, date(2025, 3, 28)),
                                      ("2025v1", p2025v1, LINES_2025_V1, None),
                                      ("2025", p2025, LINES_2025, None),
                                      ("2026", p2026, LINES_2026, None)):
            world.plans[key] = plan.id
            for no, line_id in _lines(plan, members, rows, paid).items():
                world.lines[(key, no)] = line_id

        for key, no in (("cy1", "CY0001"), ("cy2", "CY0002")):
            user, _ = create_user(coop, no, members[no].name, "member", password=PASSWORD,
                                  must_change=False)
            user.member_id = members[no].id
            world.logins[key] = user.id
        db.session.commit()
    return world


@pytest.fixture
def jobs_dir(app, tmp_path):
    """Where batch statement PDFs are written in this test."""
    path = tmp_path / "jobs"
    app.config["STATEMENT_JOBS_DIR"] = str(path)
    return path
