"""The poster of a published disclosure for the village board (村务公开栏):
the statement as published, on A4 or A3, with the QR code of the members'
page of it at the address people type (``COOP_PUBLIC_URL``)."""
from __future__ import annotations

from dataclasses import dataclass

from flask import url_for

from coop.cooperatives.api import Cooperative
from coop.disclosure.models import Disclosure
from coop.disclosure.statement import Statement
from coop.publicurl import missing_url_message, public_url, qr_data_uri

SIZES = ("A4", "A3")


@dataclass(frozen=True)
class Poster:
    coop_name: str
    disclosure: Disclosure
    statement: Statement
    size: str
    url: str | None  # the members' page of this disclosure
    qr: str | None
    missing_url: str | None

    @property
    def other_size(self) -> str:
        return "A3" if self.size == "A4" else "A4"


def members_address(disclosure: Disclosure) -> str | None:
    """The members' page of ``disclosure`` at the public address, or None."""
    base = public_url()
    if base is None:
        return None
    return base + url_for("portal.disclosure", disclosure_id=disclosure.id)


def poster_of(coop: Cooperative, disclosure: Disclosure, size: str) -> Poster:
    url = members_address(disclosure)
    return Poster(coop.name, disclosure, Statement.from_dict(disclosure.figures),
                  size if size in SIZES else "A4", url, qr_data_uri(url) if url else None,
                  None if url else missing_url_message())
