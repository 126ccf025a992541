"""The roster's filing with the township and the county agriculture bureau
(《农村集体经济组织法》第十二条): the .xlsx with the fixed columns
(``FILING_HEADERS``) and the facts the signed A4 PDF shows. The filing is
an official record: it carries the full ID numbers, and only the secretary
exports it."""
from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO

from coop.cooperatives.api import Cooperative
from coop.membership.models import RosterVersion
from coop.membership.roster_rules import FILING_HEADERS, RosterRow
from coop.membership.rosters import filing_rule, rows_of
from coop.workbooks import Table, workbook

WIDTHS = {1: 10, 2: 10, 3: 6, 4: 12, 5: 21, 6: 10, 7: 11, 8: 12, 9: 24, 10: 30}


@dataclass(frozen=True)
class FilingPaper:
    """What the filed roster states: the cooperative, the version and its rows."""

    coop_name: str
    credit_code: str
    town: str
    rule: str
    version: RosterVersion
    rows: list[RosterRow]

    @property
    def title(self) -> str:
        return f"{self.coop_name}成员名册（第 {self.version.number} 版）"

    @property
    def facts(self) -> str:
        basis = f"，依据决议 {self.version.resolution_no}" if self.version.resolution_no else ""
        return (f"编制日期 {self.version.made_on:%Y-%m-%d}{basis}，共 {len(self.rows)} 人")


def filing_paper(coop: Cooperative, version: RosterVersion) -> FilingPaper:
    return FilingPaper(coop.name, coop.credit_code, coop.town, filing_rule(coop), version,
                       rows_of(version))


def filing_workbook(paper: FilingPaper) -> BytesIO:
    """The .xlsx for filing: a title row, the version's facts, the ten columns."""
    return workbook(Table(sheet=f"成员名册第{paper.version.number}版", title=paper.title,
                          headers=FILING_HEADERS, rows=[row.filing_cells() for row in paper.rows],
                          unit=paper.facts, widths=WIDTHS))


def filing_filename(paper: FilingPaper, ext: str) -> str:
    return f"{paper.coop_name}-成员名册-第{paper.version.number}版.{ext}"
