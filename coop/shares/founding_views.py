"""The founding page (设立登记): a new cooperative's first subscriptions on one page.

Thin like the other share pages: the rows are read by the import's own row
parser, the batch is planned, assessed and written by coop.shares.founding,
and the request commits once. Registered on the shares blueprint by
coop.shares.views.
"""
from __future__ import annotations

from typing import Any

from flask import Blueprint, url_for
from flask_login import current_user

from coop import clock
from coop.auth.api import ADMIN, current_coop, current_coop_id, roles_required
from coop.errors import ServiceError, ValidationFailed
from coop.shares import founding
from coop.shares.citing import citable_resolutions
from coop.shares.forms import (
    FOUNDING_MAX_ROWS,
    FOUNDING_ROWS,
    FoundingForm,
    FoundingRowForm,
)
from coop.shares.importing import parse_row
from coop.web import redirect_to, render, save

TEMPLATE = "shares/founding.html"
PAGE_ERROR = "有内容需要修改，请看标红的输入框；没有保存任何内容。"
EMPTY = "请至少填写一笔首批入股（成员编号和金额或折价）"
# before the founding there is no assembly of its members: the charter decides
FOUNDING_RESOLUTION = "不符合章程的，核对股数或先改正章程；设立大会决议同意的，选择该决议"


def _rows(form: FoundingForm) -> tuple[list[tuple[int, dict[str, Any]]], bool]:
    """(row number, plan_contribution arguments) of every typed row whose cells
    read, and whether some typed row's did not (their messages are in place)."""
    rows, unreadable = [], False
    for number, sub in enumerate(form.rows, start=1):
        row: FoundingRowForm = sub.form
        if row.is_blank():
            continue
        values, errors = parse_row(current_coop(),
                                   dict(row.cells(), effective_on=form.effective_on.data))
        errors.pop("effective_on", None)  # the page's one date, checked on its own field
        if errors:
            _put_errors(form, number, errors)
            unreadable = True
        else:
            rows.append((number, values))
    return rows, unreadable


def _put_errors(form: FoundingForm, number: int, errors: dict[str, str]) -> None:
    row: FoundingRowForm = form.rows[number - 1].form
    for name, message in errors.items():
        if name == "effective_on":
            target = form.effective_on
        else:
            target = getattr(row, FoundingRowForm.FIELD_MAP.get(name, name), row.member_no)
        if message not in target.errors:
            target.errors = [*target.errors, message]


def _has_errors(form: FoundingForm) -> bool:
    return bool(form.effective_on.errors or form.resolution_no.errors or form.note.errors
                or any(f.errors for sub in form.rows for f in sub.form))


def _checked(form: FoundingForm) -> tuple[list[tuple[int, dict[str, Any]]], str]:
    """The rows to record and a page-level message ("" when every typed row
    reads and plans; otherwise every row's problems are in place)."""
    form.validate()
    if form.effective_on.data is None and not form.effective_on.errors:
        form.effective_on.errors = ["请填写设立日期"]
    rows, unreadable = _rows(form)
    if not rows and not unreadable:
        return rows, EMPTY
    if unreadable or form.effective_on.errors:
        if rows and not form.effective_on.errors:
            try:  # the readable rows' own problems, reported with the others
                founding.plan_founding(current_coop(), rows)
            except ServiceError as exc:
                _plan_messages(form, exc)
        return rows, PAGE_ERROR
    return rows, ""


def _plan_messages(form: FoundingForm, exc: ServiceError) -> str:
    """Put a refusal on the rows (FoundingRefused) or return it for the page."""
    if isinstance(exc, founding.FoundingRefused):
        for problem in exc.problems:  # row numbers are the page's own
            _put_errors(form, problem.row, {problem.field or "member_id": problem.message})
        return PAGE_ERROR
    if isinstance(exc, ValidationFailed):
        loose = form.set_errors(exc.errors)
        return "；".join(loose) if loose else PAGE_ERROR
    if exc.field == "resolution_no":
        form.resolution_no.errors = [FOUNDING_RESOLUTION]
    return exc.message


def _refused(form: FoundingForm) -> str:
    """The page's message after the batch was refused (PAGE_ERROR already says
    that nothing was saved)."""
    message = _plan_messages(form, form.refusal)
    return message if message == PAGE_ERROR else message + " 没有保存任何内容。"


def _page(form: FoundingForm, *, status: int = 200, preview: dict | None = None,
          form_error: str = "", block: str = "founding_form"):
    coop = current_coop()
    held, _ = founding.register_state(coop.id)
    form.offer_resolutions(citable_resolutions(coop.id))
    context = dict(form=form, coop=coop, held=held, preview=preview, form_error=form_error,
                   max_rows=FOUNDING_MAX_ROWS, save_url=url_for("shares.founding_save"),
                   preview_url=url_for("shares.founding_preview"),
                   rows_url=url_for("shares.founding_rows"))
    # a preview leaves the page's flash messages alone
    return render(TEMPLATE, block=block, status=status, flashes=block != "preview", **context)


def page():
    form = FoundingForm(formdata=None)
    form.effective_on.data = clock.today()
    return _page(form, preview={"started": False, "messages": []})


def more_rows():
    """The same form with FOUNDING_ROWS more empty rows (nothing is checked)."""
    form = FoundingForm()
    for _ in range(min(FOUNDING_ROWS, FOUNDING_MAX_ROWS - len(form.rows))):
        form.rows.append_entry()
    return _page(form, preview={"started": False, "messages": []})


def preview():
    form = FoundingForm()
    if (closed := _closed()):
        return _page(form, block="preview", preview={"started": True, "messages": [closed]})
    rows, message = _checked(form)
    started = message != EMPTY
    if message or _has_errors(form):
        messages = [message] if message == EMPTY else []
        messages += form.effective_on.errors
        messages += [f"第 {n} 行：{e}" for n, sub in enumerate(form.rows, start=1)
                     for f in sub.form for e in f.errors]
        return _page(form, preview={"started": started, "messages": messages}, block="preview")
    try:
        batch = founding.plan_founding(current_coop(), rows)
    except founding.FoundingRefused as exc:
        return _page(form, block="preview", preview={"started": True, "messages": [
            f"第 {p.row} 行：{p.message}" for p in exc.problems]})
    except ServiceError as exc:
        return _page(form, block="preview", preview={"started": True, "messages": [exc.message]})
    return _page(form, block="preview", preview={
        "started": True, "assessment": batch.assessment, "messages": [],
        "resolution": (form.resolution_no.data or "").strip()})


def _closed() -> str:
    """Why no founding batch can be recorded now ("" while the register holds no shares)."""
    held, _ = founding.register_state(current_coop_id())
    return founding.closed_message(held) if held else ""


def save_founding():
    form = FoundingForm()
    if (closed := _closed()):
        return _page(form, status=422, form_error=closed)
    rows, message = _checked(form)
    if message or _has_errors(form):
        return _page(form, status=422, form_error=message or PAGE_ERROR)
    return save(
        form, lambda: founding.record_founding(
            current_coop(), rows, resolution_no=form.resolution_no.data or "",
            note=form.note.data or "设立登记", recorded_by_id=current_user.id),
        validate=False,
        again=lambda status, stale="": _page(form, status=status, form_error=_refused(form)),
        message=lambda entries: (f"已完成设立登记：{len(entries):,} 笔首批入股，"
                                 f"共 {sum(e.shares for e in entries):,} 股"),
        done=lambda _entries: redirect_to("shares.structure"))


def register(bp: Blueprint) -> None:
    admin = roles_required(*ADMIN)
    bp.add_url_rule("/founding", "founding", admin(page), methods=["GET"])
    bp.add_url_rule("/founding", "founding_save", admin(save_founding), methods=["POST"])
    bp.add_url_rule("/founding/preview", "founding_preview", admin(preview), methods=["POST"])
    bp.add_url_rule("/founding/rows", "founding_rows", admin(more_rows), methods=["POST"])
