from __future__ import annotations

from flask import Blueprint, redirect, url_for
from flask_login import current_user

from coop import clock
from coop.auth.api import ADMIN, ALL_STAFF, Role, current_coop, is_overseer, roles_required
from coop.cooperatives import services
from coop.cooperatives.home import (ACCOUNTANT, SECRETARY, SUPERVISOR, ChecklistStep, GuideStep,
                                    StepState, checklist_requested, home)
from coop.cooperatives.constants import LegalRegime, ShareClass
from coop.cooperatives.forms import CharterForm
from coop.cooperatives.signals import dashboard_panels
from coop.cooperatives.wording import words_for
from coop.web import redirect_to, render, save

bp = Blueprint("cooperatives", __name__)


@bp.get("/")
@roles_required(*ALL_STAFF, Role.MEMBER.value)
def dashboard():
    if current_user.role == Role.MEMBER:
        return redirect(url_for("portal.home"))
    coop = current_coop()
    return render("cooperatives/dashboard.html", coop=coop, share_classes=list(ShareClass),
                  # an overseer reads what the supervisor reads: their steps too
                  home=home(coop, Role.SUPERVISOR.value if is_overseer() else current_user.role,
                            clock.today(), _guide()),
                  panels=dashboard_panels(coop))


def _guide() -> list[GuideStep]:
    """Getting started, for a cooperative with no members and no shares yet."""
    return [
        GuideStep(1, "完善章程", "股份类别、每股面值、分配规则与表决规则。", url_for("cooperatives.charter")),
        GuideStep(2, "导入成员", "下载模板，按户填写成员后批量导入。", url_for("members.import_page")),
        GuideStep(3, "登记设立时股份", "按章程为成员配置设立时的股份。", url_for("shares.founding")),
        GuideStep(4, "登记农机与作业价格", "录入农机具，设定成员价与市场价。", url_for("machinery.machines")),
        GuideStep(5, "录入第一批作业订单", "记录作业面积与金额，收款后登记。", url_for("machinery.orders")),
    ]


@checklist_requested.connect
def _own_steps(coop, **_: object) -> list[ChecklistStep]:
    """The charter in force, and for the supervisor the audit log."""
    day = clock.local_day(coop.created_at)
    return [ChecklistStep(10, "章程", StepState.DONE, day, url_for("cooperatives.charter"),
                          frozenset({SECRETARY, ACCOUNTANT, SUPERVISOR})),
            ChecklistStep(95, "查阅操作日志", StepState.TODO, None, url_for("audit.index"),
                          frozenset({SUPERVISOR}), note="核对账目与记录的每一次修改")]


def _charter_page(form: CharterForm, status: int = 200, stale: str = ""):
    coop = current_coop()
    # the hints follow the regime chosen on the form, saved or not yet
    regime = form.legal_regime.data if form.legal_regime.data in set(LegalRegime) else coop.legal_regime
    return render("cooperatives/charter.html", block="charter_form", status=status,
                  form=form, coop=coop, stale=stale, words=form.use_words(words_for(regime)),
                  specialized=form.shows_specialized(regime),
                  can_edit=current_user.role == Role.ADMIN)


def _charter_form(**kwargs) -> CharterForm:
    coop = current_coop()
    kwargs.setdefault("data", {"disclosure_period": coop.disclosure_period,
                               "major_item_threshold_fen": coop.major_item_threshold_fen})
    form = CharterForm(**kwargs)
    form.keep_unshown(coop)
    if reason := services.par_value_lock(coop.id):
        form.lock_par_value(coop.par_value_fen, reason)
    return form


@bp.get("/charter")
@roles_required(*ALL_STAFF)
def charter():
    return _charter_page(_charter_form(obj=current_coop()))


@bp.post("/charter/validate")
@roles_required(*ADMIN)
def charter_validate():
    """Inline validation: the same form block with every current error, nothing saved."""
    form = _charter_form()
    ok = form.validate()
    return _charter_page(form, status=200 if ok else 422)


@bp.post("/charter")
@roles_required(*ADMIN)
def charter_save():
    form = _charter_form()
    coop = current_coop()
    # the whole page again, not the form alone: the heading, the menu and the
    # secretary's title follow the name and the regime just saved; the flash
    # says it once
    return save(form, lambda: services.update_charter(coop, form.values(), form.version.data),
                again=lambda status, stale="": _charter_page(form, status=status, stale=stale),
                message="章程已保存", done=lambda _: redirect_to("cooperatives.charter"))
