"""The secretary's page of members' logins: issue one or many (with their
password slips, on a print page or as a PDF), disable and enable again.
Registered on the portal's blueprint (coop.portal.views)."""
from __future__ import annotations

from urllib.parse import quote

from flask import Response, current_app, make_response, render_template, request
from flask_login import current_user
from wtforms import HiddenField, StringField
from wtforms.validators import Length

from coop import clock, pdf
from coop.auth.api import ADMIN, current_coop, roles_required, set_enabled
from coop.errors import ServiceError
from coop.forms import CoopForm
from coop.members.api import Member
from coop.portal import services, slips
from coop.web import is_htmx, owned, page_number, render, save

LOGINS_PER_PAGE = 50
SLIPS_CSS = "slips.css"


class BulkLoginForm(CoopForm):
    scope = HiddenField(default="all")
    household_no = StringField("户号", validators=[Length(max=20, message="户号不能超过 20 位")])
    output = HiddenField(default="page")


def _logins_page(status: int = 200, q: str = "", form: CoopForm | None = None,
                 bulk: BulkLoginForm | None = None, block: str | None = None) -> Response:
    coop = current_coop()
    return render("portal/logins.html", block=block, q=q, form=form,
                  oob=("logins_status",) if block == "login_rows" else (),
                  bulk=bulk or BulkLoginForm(formdata=None),
                  rows=services.login_rows(coop, q, page_number(), LOGINS_PER_PAGE),
                  waiting=None if block and is_htmx() else slips.waiting(coop),
                  public_url=slips.public_url(),
                  missing_url=slips.missing_url_message(slips.SLIPS_NEED), status=status)


@roles_required(*ADMIN)
def logins() -> Response:
    return _logins_page(q=request.args.get("q", ""), block="login_rows")


@roles_required(*ADMIN)
def issue_login(member_id: int) -> Response:
    coop = current_coop()
    member = owned(Member, member_id)
    form = CoopForm()

    def slip(issued: services.IssuedMemberLogin) -> Response:
        sheet = slips.slip_sheet(coop, [issued])
        return render("portal/slip.html", coop=coop, member=member, user=issued.user,
                      password=issued.password, created=issued.created, sheet=sheet)

    return save(form, lambda: services.issue_member_login(coop, member), validate=False,
                again=lambda status, stale="": _logins_page(status, member.member_no, form),
                done=slip)


@roles_required(*ADMIN)
def set_login_enabled(member_id: int) -> Response:
    """Disable a member's login (the session ends) or enable it again, with the reason."""
    member = owned(Member, member_id)
    form = CoopForm()

    def toggle() -> None:
        user = services.login_of(member)
        if user is None:
            raise ServiceError(f"{member.name} 还没有登录账号")
        enabling = request.form.get("enabled") == "1"
        if enabling and (refusal := services.login_refusal(member)):
            raise ServiceError(refusal)
        set_enabled(user, enabling, current_user, request.form.get("reason", ""))

    return save(form, toggle, validate=False,
                again=lambda status, stale="": _logins_page(status, member.member_no, form,
                                                            block="login_rows"),
                message=lambda _: f"{member.name} 的登录账号已"
                                  f"{'启用' if services.login_of(member).is_enabled else '停用'}",
                done=lambda _: _logins_page(q=member.member_no, block="login_rows"))


def slips_stylesheets() -> list[str]:
    """The CSS texts the slips' PDF is drawn with: slips.css less its screen-only
    part, the PDF's layout (slips-pdf.css) and the font."""
    return pdf.paper_stylesheets(current_app.static_folder, [SLIPS_CSS], ["slips-pdf.css"])


@roles_required(*ADMIN)
def issue_logins() -> Response:
    """Logins for every active member without one, or for one household; the
    answer is the slips page, or their PDF (output=pdf)."""
    coop = current_coop()
    form = BulkLoginForm()
    as_pdf = form.output.data == "pdf"
    household = form.household_no.data if form.scope.data == "household" else None

    def issue() -> slips.SlipSheet:
        if as_pdf:
            pdf.require_cjk_font()  # before any password is made: they are shown once
        issued = slips.issue_logins(coop, household)
        return slips.slip_sheet(coop, issued.issued, issued.remaining)

    def done(sheet: slips.SlipSheet) -> Response:
        if not as_pdf:
            return render("portal/slips.html", flashes=False, sheet=sheet, pdf=False)
        html = render_template("portal/slips.html", sheet=sheet, pdf=True)
        data = pdf.render_pdf([html], base_url=current_app.root_path, stylesheets=slips_stylesheets())
        resp: Response = make_response(data)
        resp.headers["Content-Type"] = "application/pdf"
        resp.headers["Cache-Control"] = "no-store"
        name = f"{coop.name}-登录密码条-{clock.today():%Y%m%d}.pdf"
        resp.headers["Content-Disposition"] = (
            f"attachment; filename=\"login-slips.pdf\"; filename*=UTF-8''{quote(name)}")
        return resp

    return save(form, issue,
                again=lambda status, stale="": _logins_page(status, bulk=form),
                done=done)
