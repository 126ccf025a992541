"""The machinery blueprint and what its pages share.

Accountant and secretary (admin) write; supervisor reads; members get 403.
"""
from __future__ import annotations

from datetime import date
from typing import Any, Callable

from flask import Blueprint, Response, abort, request
from flask_login import current_user

from coop import clock
from coop.auth.api import ALL_STAFF, Role, current_coop_id
from coop.cooperatives.api import outside_village_word
from coop.forms import CoopForm

bp = Blueprint("machinery", __name__, url_prefix="/machinery")

WRITE = (Role.ADMIN.value, Role.ACCOUNTANT.value)
READ = ALL_STAFF


def coop_id() -> int:
    return current_coop_id()


@bp.context_processor
def cooperative_words() -> dict[str, str]:
    """The charter's word for a village client from outside (外村 or 外嘎查村)."""
    if not current_user.is_authenticated:
        return {}
    return {"outside_word": outside_village_word(coop_id())}


def can_write() -> bool:
    return current_user.role in WRITE


def year_arg(default: int | None = None) -> int:
    raw = request.args.get("year", "")
    if raw.isdigit() and 2000 <= int(raw) <= 2100:
        return int(raw)
    return default or clock.today().year


def ledger_year(year: int) -> int:
    """A year of a URL: 404 outside 2000-2100."""
    if not 2000 <= year <= 2100:
        abort(404)
    return year


def as_of_arg() -> date:
    raw = request.args.get("as_of", "")
    try:
        return date.fromisoformat(raw) if raw else clock.today()
    except ValueError:
        return clock.today()


def page_context(**context: Any) -> dict[str, Any]:
    return {"can_write": can_write(), "today": clock.today(), **context}


def again(form: CoopForm, page: Callable[[int], Response]) -> Callable[..., Response]:
    """``save``'s ``again`` for a form whose block shows ``form.form_errors``:
    someone else's save (``stale``) is said there too."""
    def answer(status: int, stale: str = "") -> Response:
        if stale:
            form.form_errors.append(stale)
        return page(status)
    return answer


def refusal(form: CoopForm) -> str:
    """What ``save`` put on a form whose page shows it as one message."""
    return "；".join(form.form_errors)


def reversal_day(form: CoopForm) -> date | None:
    """The day a row's reversal is dated: the one posted in the form's ``on``
    (None when it is not a date, and the service asks for one), today when
    the form sent none."""
    posted = (form.on.raw_data or [""])[0].strip()
    return form.on.data if posted else clock.today()


def sink() -> CoopForm:
    """The form ``save`` puts a refusal on when a button posts no fields of
    its own (delete, reverse a row): every message lands in ``form_errors``."""
    return CoopForm()
