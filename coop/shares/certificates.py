"""Share certificates (股权证): what one certificate states, for one member or
for every holder on a date. The screen, the browser print and the PDF
(``coop.statements.certificates``) show the same certificates from one
template, ``statements/_certificate.html``.

Every holder's certificates come a part at a time, ``CERTIFICATES_PER_PART``
in member-number order: a part is one print run and one PDF, drawn in the
request (about 0.09 s of CPU a certificate here), which must end inside the
request's time limit; a village of 2,000 holders prints ten parts.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from coop.cooperatives.api import Cooperative, ShareClass
from coop.members.api import Member
from coop.paging import Page
from coop.shares.land import land_mu_by_member, member_land_mu
from coop.shares.register import CLASSES, counted_page, holdings_table_query, member_holdings


@dataclass(frozen=True)
class CertificateRow:
    """One share class of a certificate."""

    label: str
    shares: int
    value_fen: int


@dataclass(frozen=True)
class Certificate:
    coop: Cooperative
    member: Member
    on: date
    rows: list[CertificateRow]
    land_mu: int | None  # hundredths of a mu carried by the shares

    @property
    def number(self) -> str:
        return f"{self.coop.code.upper()}-{self.member.member_no}"

    @property
    def total(self) -> int:
        return sum(r.shares for r in self.rows)

    @property
    def value_fen(self) -> int:
        return sum(r.value_fen for r in self.rows)


def _certificate(coop: Cooperative, member: Member, on: date, by_class: dict[str, int],
                 land_mu: int | None) -> Certificate:
    rows = [CertificateRow(ShareClass(sc).label, n, n * coop.par_value_fen)
            for sc, n in by_class.items() if n]
    return Certificate(coop, member, on, rows, land_mu or None)


def certificate_of(coop: Cooperative, member: Member, on: date) -> Certificate:
    """``member``'s certificate of the shares held on ``on`` (no rows: none held)."""
    return _certificate(coop, member, on, member_holdings(member.id, on),
                        member_land_mu(member.id, on))


CERTIFICATES_PER_PART = 200


def certificates_part(coop: Cooperative, on: date, part: int) -> Page:
    """Part ``part`` (from 1) of the holders' certificates on ``on``: at most
    CERTIFICATES_PER_PART of them, by member number (none past the last part).
    The register is grouped once: the holders are counted beside the part's
    rows, and the land is read for the part's members only."""
    query = holdings_table_query(coop.id, on)
    found = counted_page(query.where(query.selected_columns.total > 0), part, CERTIFICATES_PER_PART)
    land = land_mu_by_member(coop.id, on, [row[0].id for row in found.items])
    return replace(found, items=[
        _certificate(coop, row[0], on, {sc: int(n) for sc, n in zip(CLASSES, row[1:4])},
                     land.get(row[0].id))
        for row in found.items])
