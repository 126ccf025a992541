from __future__ import annotations

import io
import secrets
import time
from pathlib import Path

from flask import Blueprint, abort, current_app, flash, request, send_file, url_for
from flask_login import current_user

from coop.auth.api import ADMIN, ALL_STAFF, Role, current_coop, current_coop_id, roles_required
from coop.cooperatives.api import LegalRegime, words_for
from coop.errors import ValidationFailed
from coop.files import write_private_bytes
from coop.members import importing, roster, services
from coop.members.roster_book import roster_workbook
from coop.members.forms import (
    ConfirmImportForm,
    HouseholdFilterForm,
    ImportForm,
    MemberEditForm,
    MemberForm,
    ReverseStatusForm,
    RosterFilterForm,
    StatusForm,
)
from coop.members.constants import MemberStatus
from coop.members.models import Member, MemberStatusChange
from coop.members.rules import parse_date
from coop.members.signals import page_panels
from coop.paging import Page
from coop.members.status_history import changes_of, refusal, reverse_change
from coop.web import is_htmx, owned, page_number, redirect_to, render, save
from coop.workbooks import XLSX_MIMETYPE

bp = Blueprint("members", __name__, url_prefix="/members")

CHANGED_EVENT = "members-changed"


def _coop_id() -> int:
    return current_coop_id()


def _is_admin() -> bool:
    return current_user.role == Role.ADMIN


# -- the roster -------------------------------------------------------------------

def _filters_from(form: RosterFilterForm) -> roster.Filters:
    return roster.Filters(
        q=form.q.data or "", kind=form.kind.data or "",
        village_group=form.village_group.data or "", party=form.party.data or "",
        status=form.status.data or "", sort=form.sort.data or "member_no",
        direction=form.direction.data or "asc").normalised()


def _sort_url(filters: roster.Filters):
    """Sort links keep the search and filters and go back to page 1."""
    args = {k: v for k, v in request.args.to_dict().items() if k not in ("page", "sort", "direction")}

    def url(column: str) -> str:
        direction = "desc" if filters.sort == column and filters.direction == "asc" else "asc"
        return url_for("members.index", **args, sort=column, direction=direction)

    return url


@bp.get("/")
@roles_required(*ALL_STAFF)
def index():
    form = RosterFilterForm(request.args)
    filters = _filters_from(form)
    page = roster.search(_coop_id(), filters, page=page_number())
    if is_htmx():  # only the table is swapped: no need for the filter choices
        return roster_answer(form, filters, page)
    return roster_answer(form, filters, page, groups=roster.village_groups(_coop_id()),
                         counts=roster.roster_counts(_coop_id()),
                         specialized=services.is_specialized(current_coop()))


def roster_answer(form: RosterFilterForm, filters: roster.Filters, page: Page,
                  groups: list[str] | None = None, counts: dict[str, int] | None = None,
                  specialized: bool = False):
    """The roster from what its queries returned: for htmx the table and the
    count (out of band), otherwise the page with the filter choices and the
    counts. (The benchmark's floor renders its raw rows through here.)"""
    context = dict(form=form, filters=filters, page=page, can_edit=_is_admin(),
                   sort_url=_sort_url(filters))
    if groups is None:
        return render("members/index.html", block="results", oob=("search_status",), **context)
    form.village_group.choices = [("", "全部")] + [(g, g) for g in groups]
    words = words_for(LegalRegime.SPECIALIZED if specialized else LegalRegime.COLLECTIVE)
    form.use_words(words)
    return render("members/index.html", counts=counts, specialized=specialized, words=words, **context)


# -- create and edit ---------------------------------------------------------------

def _form_page(form: MemberForm, member: Member | None = None, status: int = 200,
               saved: Member | None = None, stale: str = "", headers: dict | None = None):
    # the editor is the page's one heading when it is the whole page, a
    # section of the roster when htmx opens it there
    form.household_no.description = current_coop().words.household_hint
    return render("members/form.html", block="member_form", status=status, form=form,
                  member=member, saved=saved, stale=stale, headers=headers,
                  heading="h2" if is_htmx() else "h1")


@bp.get("/new")
@roles_required(*ADMIN)
def new():
    return _form_page(MemberForm(formdata=None))


@bp.post("/")
@roles_required(*ADMIN)
def create():
    form = MemberForm()

    def done(member: Member):
        if is_htmx():
            return _form_page(MemberForm(formdata=None), saved=member,
                              headers={"HX-Trigger": CHANGED_EVENT})
        flash(f"已添加成员 {member.member_no} {member.name}", "success")
        return redirect_to("members.detail", member_id=member.id)

    return save(form, lambda: services.create_member(current_coop(), **form.values()),
                validate=False, again=lambda status, stale="": _form_page(form, status=status),
                done=done)


@bp.post("/validate")
@roles_required(*ADMIN)
def validate_new():
    """Inline validation of the new-member form: errors of the filled-in fields, nothing saved."""
    form = MemberForm()
    _, errors = services.validate_member(_coop_id(), form.values())
    form.add_service_errors(ValidationFailed(errors), only_filled=True)
    return _form_page(form, status=422 if any(f.errors for f in form) else 200)


@bp.get("/<int:member_id>")
@roles_required(*ALL_STAFF)
def detail(member_id: int):
    member = owned(Member, member_id)
    return _detail_page(member, _status_form(member))


def _status_form(member: Member, formdata=None) -> StatusForm:
    form = StatusForm(formdata=formdata)
    form.status.choices = [(k, label) for k, label in services.STATUS_CHOICES.items()
                           if k != member.status]
    if formdata is None:
        form.version.data = member.version
        form.status.data = "withdrawn" if member.status == "active" else "active"
    return form


def _history(member: Member, reverse_form: ReverseStatusForm | None = None) -> dict:
    """The status history panel's context: the changes, newest first, and the
    one the secretary may reverse (with its form) or why the latest may not be."""
    changes = changes_of(member)
    standing = next((c for c in changes if not c.is_reversed), None)
    refused = refusal(current_coop(), member, standing) if standing else None
    reversible = standing if standing is not None and refused is None and _is_admin() else None
    if reverse_form is None and reversible is not None:
        reverse_form = ReverseStatusForm(formdata=None, version=reversible.version)
    return dict(changes=changes, reversible=reversible, reverse_form=reverse_form,
                reverse_refusal=refused if _is_admin() else None)


def _detail_page(member: Member, status_form: StatusForm, status: int = 200,
                 reverse_form: ReverseStatusForm | None = None, block: str = "status_panel"):
    direct = services.direct_status_change(current_coop())
    history = _history(member, reverse_form)
    if is_htmx():  # only the status panel (or the history) is swapped
        return render("members/detail.html", block=block, status=status,
                      member=member, status_form=status_form, can_edit=_is_admin(),
                      direct_status=direct, **history)
    household = (services.household_members(_coop_id(), member.household_no)
                 if member.household_no else [])
    return render("members/detail.html", status=status, member=member,
                  status_form=status_form, household=household, can_edit=_is_admin(),
                  shares=services.member_total_shares(member.id), panels=page_panels(member),
                  direct_status=direct, specialized=services.is_specialized(current_coop()),
                  **history)


@bp.get("/<int:member_id>/edit")
@roles_required(*ADMIN)
def edit(member_id: int):
    member = owned(Member, member_id)
    return _form_page(MemberEditForm.for_member(member), member=member)


@bp.post("/<int:member_id>")
@roles_required(*ADMIN)
def update(member_id: int):
    member = owned(Member, member_id)
    form = MemberEditForm()

    def done(_):
        if is_htmx():
            return _form_page(MemberEditForm.for_member(member), member=member, saved=member,
                              headers={"HX-Trigger": CHANGED_EVENT})
        flash(f"已保存成员 {member.member_no} {member.name}", "success")
        return redirect_to("members.detail", member_id=member.id)

    return save(form, lambda: services.update_member(member, form.values(), form.version.data),
                validate=False, done=done,
                again=lambda status, stale="": _form_page(form, member=member, status=status,
                                                          stale=stale))


@bp.post("/<int:member_id>/validate")
@roles_required(*ADMIN)
def validate_edit(member_id: int):
    member = owned(Member, member_id)
    form = MemberEditForm()
    _, errors = services.validate_member(_coop_id(), form.values(), member)
    form.add_service_errors(ValidationFailed(errors), only_filled=True)
    return _form_page(form, member=member, status=422 if any(f.errors for f in form) else 200)


@bp.post("/<int:member_id>/status")
@roles_required(*ADMIN)
def change_status(member_id: int):
    member = owned(Member, member_id)
    form = _status_form(member, request.form)
    if not services.direct_status_change(current_coop()):
        form.status.errors = [services.RCEO_STATUS_MESSAGE]
        return _detail_page(member, form, status=422)
    try:
        on_date = parse_date(form.on_date.data)
    except ValueError:
        form.on_date.errors = ["日期格式不对，请写成 2024-05-01"]
        return _detail_page(member, form, status=422)

    def again(status: int, stale: str = ""):
        if stale:
            form.status.errors = [stale]
        return _detail_page(member, form, status=status)

    def message(changed: Member) -> str:
        text = f"{changed.name} 已登记为“{changed.status_label}”（{on_date:%Y-%m-%d}）"
        if changed.status != MemberStatus.DECEASED:
            return text
        shares = services.member_total_shares(changed.id)
        return text + (f"。其名下 {shares:,} 股需要办理继承：点本页“持股情况”中的“办理继承”" if shares
                       else "。其名下没有股份")

    return save(form, lambda: services.change_status(member, form.status.data, on_date,
                                                     form.version.data, reason=form.reason.data or "",
                                                     user_id=current_user.id),
                validate=False, field="status", again=again, message=message,
                done=lambda changed: redirect_to("members.detail", member_id=changed.id))


@bp.post("/<int:member_id>/status/<int:change_id>/reverse")
@roles_required(*ADMIN)
def reverse_status(member_id: int, change_id: int):
    """Reverse a status change entered in error (撤销（录入错误）), with a reason."""
    member = owned(Member, member_id)
    change = owned(MemberStatusChange, change_id)
    if change.member_id != member.id:
        abort(404)
    form = ReverseStatusForm()

    def again(status: int, stale: str = ""):
        if stale:
            form.reason.errors = [stale]
        return _detail_page(member, _status_form(member), status=status, reverse_form=form,
                            block="history_panel")

    return save(form, lambda: reverse_change(current_coop(), member, change,
                                             form.reason.data or "", current_user.id,
                                             form.version.data),
                validate=False, field="reason", again=again,
                message=lambda m: f"已撤销这次状态变更，{m.name} 恢复为“{m.status_label}”",
                done=lambda m: redirect_to("members.detail", member_id=m.id))


# -- households -------------------------------------------------------------------

@bp.get("/households")
@roles_required(*ALL_STAFF)
def households():
    form = HouseholdFilterForm(request.args)
    q = form.q.data or ""
    coop_id = _coop_id()
    page = services.households(coop_id, q, page=page_number())
    if is_htmx():  # only the list is swapped: no need for the counts
        return render("members/households.html", block="results", oob=("search_status",),
                      page=page, q=q)
    return render("members/households.html", form=form, page=page, q=q,
                  votes=services.household_count(coop_id),
                  party=services.party_household_count(coop_id),
                  without=services.members_without_household(coop_id),
                  specialized=services.is_specialized(current_coop()), words=current_coop().words)


@bp.get("/households/<household_no>")
@roles_required(*ALL_STAFF)
def household(household_no: str):
    members = services.household_members(_coop_id(), household_no)
    if not members:
        abort(404)
    return render("members/household.html", household_no=household_no, members=members,
                  has_vote=any(m.status == "active" for m in members),
                  specialized=services.is_specialized(current_coop()))


# -- import and export ---------------------------------------------------------------

def _import_dir() -> Path:
    folder = Path(current_app.instance_path) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _stored_import(token: str) -> Path | None:
    if not token or not all(c in "0123456789abcdef" for c in token) or len(token) != 32:
        return None
    for path in _import_dir().glob(f"{_coop_id()}-{token}.*"):
        return path
    return None


def _clean_old_imports() -> None:
    cutoff = time.time() - 86400
    for path in _import_dir().glob("*"):
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)


def _import_page(form: ImportForm | None = None, plan=None, file_error: str = "",
                 token: str = "", filename: str = "", status: int = 200):
    form = form or ImportForm(formdata=None)
    if file_error:
        form.file.errors = [file_error]
    return render("members/import.html", status=status, form=form,
                  plan=plan, token=token, filename=filename,
                  confirm=ConfirmImportForm(formdata=None, token=token))


@bp.get("/import")
@roles_required(*ADMIN)
def import_page():
    return _import_page()


@bp.post("/import")
@roles_required(*ADMIN)
def import_upload():
    form = ImportForm()
    upload = form.file.data
    if upload is None or not getattr(upload, "filename", ""):
        return _import_page(form, file_error="请选择要导入的文件", status=422)
    filename = upload.filename
    data = upload.read()

    def done(plan: importing.ImportPlan):
        if not plan.ok:
            return _import_page(form, plan=plan, filename=filename, status=422)
        _clean_old_imports()
        token = secrets.token_hex(16)
        suffix = Path(filename).suffix.lower()
        write_private_bytes(_import_dir() / f"{_coop_id()}-{token}{suffix}", data)
        return _import_page(form, plan=plan, token=token, filename=filename)

    return save(form, lambda: _plan(io.BytesIO(data), filename), validate=False, field="file",
                again=lambda status, stale="": _import_page(form, filename=filename,
                                                            status=status),
                done=done)


def _plan(stream, filename: str) -> importing.ImportPlan:
    """Every row of the file checked; nothing written."""
    return importing.plan_import(current_coop(),
                                 importing.read_rows(stream, filename))


@bp.post("/import/confirm")
@roles_required(*ADMIN)
def import_confirm():
    form = ConfirmImportForm()
    path = _stored_import(form.token.data or "")
    if path is None:
        return _import_page(file_error="导入文件已过期或不存在，请重新上传", status=422)

    def run() -> importing.ImportPlan:
        with path.open("rb") as stream:
            plan = _plan(stream, path.name)
        if plan.ok:
            importing.apply_import(current_coop(), plan)
        return plan

    def done(plan: importing.ImportPlan):
        if not plan.ok:
            return _import_page(plan=plan, status=422)
        path.unlink(missing_ok=True)
        flash(f"导入完成：新增 {len(plan.creates)} 人，更新 {len(plan.updates)} 人，"
              f"{plan.unchanged} 人没有变化", "success")
        return redirect_to("members.index")

    return save(form, run, validate=False, done=done,
                again=lambda status, stale="": _import_page(
                    file_error="；".join(form.form_errors), status=status))


@bp.get("/import/template")
@roles_required(*ADMIN)
def import_template():
    out = io.BytesIO()
    importing.write_template(out)
    out.seek(0)
    return send_file(out, as_attachment=True, download_name="members-template.xlsx",
                     mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@bp.get("/export")
@roles_required(*ALL_STAFF)
def export():
    full = request.args.get("full") == "1"
    if full and not _is_admin():
        abort(403)
    fmt = "csv" if request.args.get("format") == "csv" else "xlsx"
    filters = _filters_from(RosterFilterForm(request.args))
    members = roster.iter_members(_coop_id(), filters)
    stamp = services.today().strftime("%Y%m%d")
    name = f"members-{current_coop().code}-{stamp}{'-full' if full else ''}.{fmt}"
    if fmt == "csv":
        text = io.StringIO()
        importing.write_csv(members, text, full)
        data = io.BytesIO(text.getvalue().encode("utf-8-sig"))
        mimetype = "text/csv"
    else:
        data = io.BytesIO()
        importing.write_xlsx(members, data, full)
        data.seek(0)
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return send_file(data, as_attachment=True, download_name=name, mimetype=mimetype)



@bp.get("/roster.xlsx")
@roles_required(*ALL_STAFF)
def roster_xlsx():
    """The member roster for people (成员花名册), of the members the current
    search and filters show; IDs masked."""
    filters = _filters_from(RosterFilterForm(request.args))
    coop = current_coop()
    members = roster.iter_members(coop.id, filters)
    filtered = filters != roster.Filters(sort=filters.sort, direction=filters.direction)
    data = roster_workbook(coop, members, filtered=filtered)
    name = f"roster-{coop.code}-{services.today():%Y%m%d}.xlsx"
    return send_file(data, as_attachment=True, download_name=name, mimetype=XLSX_MIMETYPE)
