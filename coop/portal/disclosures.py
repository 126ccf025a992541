"""The members' financial disclosure pages (财务公开, on the basis the
cooperative's regime gives it, ``Cooperative.words.disclosure_basis``:
《农村集体经济组织法》第四十五条, or the charter and the members' right to read
the accounts under 《农民专业合作社法》第二十一条): a distribution plan
disclosed before its meeting (coop.portal.plans), then every published
disclosure of their cooperative, newest first, and each as it was published
(a corrected one says so and links to its correction). Read through
coop.disclosure.api; a disclosure of another cooperative is a 404
(coop.web.owned)."""
from __future__ import annotations

from flask import Response
from flask_login import current_user

from coop.auth.api import MEMBER, current_coop, roles_required
from coop.disclosure.api import Disclosure, Statement, correction_of, published, superseded_ids
from coop.portal.plans import open_drafts
from coop.portal.services import member_of
from coop.web import owned, render


@roles_required(*MEMBER)
def disclosures() -> Response:
    coop = current_coop()
    return render("portal/disclosures.html", coop=coop, rows=published(coop.id),
                  superseded=superseded_ids(coop.id), drafts=_drafts())


def _drafts() -> list:
    """The drafts open to the member (none for a login not linked to one)."""
    member = member_of(current_user)
    return open_drafts(member) if member is not None else []


@roles_required(*MEMBER)
def disclosure(disclosure_id: int) -> Response:
    row = owned(Disclosure, disclosure_id)
    return render("portal/disclosure.html", coop=current_coop(), disclosure=row,
                  statement=Statement.from_dict(row.figures), correction=correction_of(row),
                  corrected=owned(Disclosure, row.corrects_id) if row.corrects_id else None)
