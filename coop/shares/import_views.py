"""The shares import page (入股登记导入): download the template, upload the filled
file, see every problem by row and column, then confirm once (all or nothing).

The check is coop.shares.importing's own import run in a savepoint that is
rolled back (``check_rows``); the confirmation checks the stored file again
and records it as the logged-in secretary. A file that checks clean is kept
for a day under instance/imports, named by cooperative and a random token.
Registered on the shares blueprint by coop.shares.views.
"""
from __future__ import annotations

import io
import secrets
import time
from pathlib import Path

from flask import Blueprint, current_app, send_file
from flask_login import current_user

from coop.auth.api import ADMIN, current_coop, current_coop_id, roles_required
from coop.files import write_private_bytes
from coop.shares import founding, importing
from coop.shares.assessment import ClassImpact
from coop.shares.citing import citable_resolutions
from coop.shares.forms import ConfirmShareImportForm, ShareImportForm
from coop.shares.rules import ratio_bp
from coop.shares.structure import charter_bands
from coop.web import redirect_to, render, save

TEMPLATE = "shares/import.html"
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPIRED = "导入文件已过期或不存在，请重新上传"
KEEP_SECONDS = 86400


def _folder() -> Path:
    folder = Path(current_app.instance_path) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _stored(token: str) -> Path | None:
    """The checked file of this cooperative with ``token``, if still kept."""
    if len(token) != 32 or not all(c in "0123456789abcdef" for c in token):
        return None
    path = _folder() / f"shares-{current_coop_id()}-{token}.xlsx"
    return path if path.is_file() else None


def _keep(data: bytes) -> str:
    cutoff = time.time() - KEEP_SECONDS
    for old in _folder().glob("shares-*"):
        if old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)
    token = secrets.token_hex(16)
    write_private_bytes(_folder() / f"shares-{current_coop_id()}-{token}.xlsx", data)
    return token


def _classes(result: importing.ImportResult) -> list[ClassImpact]:
    """Each class before and after the file, against its band."""
    before, after = result.before, result.after or result.before
    total_before, total_after = sum(before.values()), sum(after.values())
    return [ClassImpact(b.share_class.value, b.share_class.label,
                        before.get(b.share_class.value, 0), after.get(b.share_class.value, 0),
                        ratio_bp(before.get(b.share_class.value, 0), total_before),
                        ratio_bp(after.get(b.share_class.value, 0), total_after),
                        b.target_bp, b.min_bp, b.max_bp)
            for b in charter_bands(current_coop())]


def _page(form: ShareImportForm | None = None, *, result: importing.ImportResult | None = None,
          token: str = "", filename: str = "", file_error: str = "", status: int = 200):
    coop = current_coop()
    form = form or ShareImportForm(formdata=None)
    form.offer_resolutions(citable_resolutions(coop.id))
    if file_error:
        form.file.errors = [*form.file.errors, file_error]
    resolution = (form.resolution_no.data or "").strip()
    confirm = ConfirmShareImportForm(formdata=None, token=token, resolution_no=resolution,
                                     allow_duplicates="1" if form.allow_duplicates.data else "")
    held, _ = founding.register_state(coop.id)
    return render(TEMPLATE, status=status, form=form, confirm=confirm, coop=coop, held=held,
                  result=result, token=token, filename=filename, resolution=resolution,
                  classes=_classes(result) if result is not None and result.ok else [],
                  whole_file=importing.WHOLE_FILE)


def _options(resolution_no: str, allow_duplicates: bool) -> dict:
    return dict(resolution_no=resolution_no or "", allow_duplicates=allow_duplicates)


def page():
    return _page()


def upload():
    form = ShareImportForm()
    upload_file = form.file.data
    if upload_file is None or not getattr(upload_file, "filename", ""):
        return _page(form, file_error="请选择要导入的文件（用导入模板填写的 .xlsx）", status=422)
    filename = upload_file.filename
    data = upload_file.read()

    def check() -> importing.ImportResult:
        rows = importing.read_rows(io.BytesIO(data), filename)
        return importing.check_rows(current_coop(), rows, **_options(
            form.resolution_no.data, bool(form.allow_duplicates.data)))

    def done(result: importing.ImportResult):
        if not result.ok:
            return _page(form, result=result, filename=filename, status=422)
        return _page(form, result=result, filename=filename, token=_keep(data))

    return save(form, check, validate=False, field="file", done=done,
                again=lambda status, stale="": _page(form, filename=filename, status=status))


def confirm():
    sent = ConfirmShareImportForm()
    form = ShareImportForm(formdata=None, resolution_no=sent.resolution_no.data or "",
                           allow_duplicates=sent.allow_duplicates.data == "1")
    path = _stored(sent.token.data or "")
    if path is None:
        return _page(form, file_error=EXPIRED, status=422)
    options = _options(sent.resolution_no.data, sent.allow_duplicates.data == "1")

    checked: list[importing.ImportResult] = []

    def run() -> importing.ImportResult:
        coop = current_coop()
        rows = importing.read_rows(io.BytesIO(path.read_bytes()), path.name)
        result = importing.check_rows(coop, rows, **options)
        checked.append(result)
        if not result.ok:
            raise importing.ImportFailed(result)
        # the same check passed again: record it, as the secretary
        return importing.import_rows(coop, rows, recorded_by_id=current_user.id, **options)

    def done(_result: importing.ImportResult):
        path.unlink(missing_ok=True)
        return redirect_to("shares.register")

    def again(status: int, stale: str = ""):
        failed = checked[-1] if checked and not checked[-1].ok else None
        messages = [e for f in sent for e in f.errors] + list(sent.form_errors)
        return _page(form, result=failed, status=status,
                     file_error="；".join(messages) if failed is None else "")

    return save(sent, run, validate=False, done=done, again=again,
                message=lambda result: (
                    f"导入完成：{'设立登记' if result.founding else '入股登记'} "
                    f"{result.rows:,} 行，共 {result.shares:,} 股"))


def template():
    out = io.BytesIO()
    importing.write_template(out)
    out.seek(0)
    return send_file(out, as_attachment=True, download_name="shares-import-template.xlsx",
                     mimetype=XLSX_MIMETYPE)


def register(bp: Blueprint) -> None:
    admin = roles_required(*ADMIN)
    bp.add_url_rule("/import", "import_page", admin(page), methods=["GET"])
    bp.add_url_rule("/import", "import_upload", admin(upload), methods=["POST"])
    bp.add_url_rule("/import/confirm", "import_confirm", admin(confirm), methods=["POST"])
    bp.add_url_rule("/import/template", "import_template", admin(template), methods=["GET"])
