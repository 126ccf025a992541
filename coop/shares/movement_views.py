"""The movement pages: subscription, transfer, redemption and inheritance.

Each has a page, a live preview (htmx) that runs the same plan and
assessment as the save without writing, and the save (coop.web.save).
Registered on the shares blueprint by coop.shares.views.
"""
from __future__ import annotations

from typing import Any, Callable

from flask import Blueprint, request, url_for
from flask_login import current_user
from sqlalchemy import select

from coop import clock
from coop.auth.api import ADMIN, current_coop, current_coop_id, roles_required
from coop.errors import ServiceError, ValidationFailed
from coop.extensions import db
from coop.machinery.api import Machine
from coop.shares.assessment import assess
from coop.shares.citing import citable_resolutions
from coop.shares.forms import (
    ContributionForm,
    InheritanceForm,
    RedemptionForm,
    TransferForm,
)
from coop.shares.movements import commit_plan
from coop.shares.plans import (
    Plan,
    plan_contribution,
    plan_inheritance,
    plan_redemption,
    plan_transfer,
)
from coop.shares.register import member_by_no
from coop.web import redirect_to, render, save

PAGE_ERROR = "有内容需要修改，请看标红的输入框；没有保存任何内容。"


def _resolve(form, field_name: str, loose: dict[str, str]) -> int | None:
    """The id of the member whose number was typed in ``field_name``; errors go to the field."""
    field = getattr(form, field_name)
    text = (field.data or "").strip()
    if not text:
        return None
    member = member_by_no(current_coop(), text)
    if member is None:
        loose[field_name] = f"本合作社没有成员编号为 {text} 的成员"
        return None
    return member.id


def _contribution_plan(form: ContributionForm, errors: dict[str, str]) -> Callable[[], Plan]:
    member_id = _resolve(form, "member_no", errors)
    return lambda: plan_contribution(
        current_coop(), member_id=member_id, share_class=form.share_class.data,
        contribution_kind=form.contribution_kind.data, effective_on=form.effective_on.data,
        amount_fen=form.amount_fen.data, land_mu=form.land_mu.data,
        price_per_mu_fen=form.price_per_mu_fen.data, labour_days=form.labour_days.data,
        price_per_day_fen=form.price_per_day_fen.data, asset_name=form.asset_name.data or "",
        machine_id=form.machine_value())


def _transfer_plan(form: TransferForm, errors: dict[str, str]) -> Callable[[], Plan]:
    giver = _resolve(form, "from_member_no", errors)
    taker = _resolve(form, "to_member_no", errors)
    return lambda: plan_transfer(
        current_coop(), from_member_id=giver, to_member_id=taker,
        share_class=form.share_class.data, shares=form.shares.data,
        effective_on=form.effective_on.data)


def _redemption_plan(form: RedemptionForm, errors: dict[str, str]) -> Callable[[], Plan]:
    member_id = _resolve(form, "member_no", errors)
    return lambda: plan_redemption(
        current_coop(), member_id=member_id, share_class=form.share_class.data,
        shares=form.shares.data, effective_on=form.effective_on.data)


def _inheritance_plan(form: InheritanceForm, errors: dict[str, str]) -> Callable[[], Plan]:
    deceased = _resolve(form, "deceased_no", errors)
    heir = _resolve(form, "heir_no", errors)
    new_heir = form.new_heir()
    if heir is None and new_heir is None and "heir_no" not in errors:
        errors["heir_no"] = "请填写继承人的成员编号；继承人还不是成员时，请填写下方的新成员信息"
    return lambda: plan_inheritance(
        current_coop(), deceased_id=deceased, heir_id=heir, new_heir=new_heir,
        effective_on=form.effective_on.data,
        shares_by_class={"villager": form.villager_shares.data,
                         "cadre": form.cadre_shares.data})


MOVEMENTS: dict[str, dict[str, Any]] = {
    "contribute": {"form": ContributionForm, "plan": _contribution_plan, "title": "登记入股",
                   "button": "保存入股登记", "key": "member_no"},
    "transfer": {"form": TransferForm, "plan": _transfer_plan, "title": "股份转让",
                 "button": "保存转让登记", "key": "from_member_no"},
    "redeem": {"form": RedemptionForm, "plan": _redemption_plan, "title": "退股",
               "button": "保存退股登记", "key": "member_no"},
    "inherit": {"form": InheritanceForm, "plan": _inheritance_plan, "title": "股份继承",
                "button": "保存继承登记", "key": "deceased_no"},
}


def _machine_choices(form: ContributionForm) -> None:
    machines = db.session.scalars(
        select(Machine).where(Machine.cooperative_id == current_coop_id())
        .order_by(Machine.name)).all()
    form.machine_id.choices = [("", "（不关联）")] + [
        (str(m.id), f"{m.name}{(' ' + m.model) if m.model else ''}"
                    f"{('（' + m.plate + '）') if m.plate else ''}") for m in machines]


def _new_form(kind: str, formdata=None):
    form = MOVEMENTS[kind]["form"](formdata=formdata) if formdata is not None else \
        MOVEMENTS[kind]["form"]()
    if isinstance(form, ContributionForm):
        _machine_choices(form)
    return form


def _movement_page(kind: str, form, *, preview: dict | None = None, status: int = 200,
                   form_error: str = "", block: str = "movement_form"):
    spec = MOVEMENTS[kind]
    form.offer_resolutions(citable_resolutions(current_coop_id()))
    # a preview leaves the page's flash messages alone
    return render("shares/movement.html", block=block, status=status,
                  flashes=block != "preview", kind=kind, form=form, title=spec["title"],
                  button=spec["button"], preview=preview, form_error=form_error,
                  coop=current_coop(),
                  preview_url=url_for(f"shares.{kind}_preview"),
                  save_url=url_for(f"shares.{kind}_save"))


def _preview(kind: str, form) -> dict:
    """What the form would do: the assessment, or the messages that stop it."""
    form.validate()
    errors: dict[str, str] = {n: f.errors[0] for n, f in form._fields.items() if f.errors}
    errors.pop("csrf_token", None)
    make_plan = MOVEMENTS[kind]["plan"](form, errors)
    started = bool((getattr(form, MOVEMENTS[kind]["key"]).data or "").strip())
    if errors:
        return {"started": started, "messages": list(errors.values())}
    return assessed(make_plan, form, started=started)


def assessed(make_plan: Callable[[], Plan], form, *, started: bool) -> dict:
    """A preview: what the plan would do to the register, or the messages that stop it."""
    try:
        assessment = assess(make_plan())
    except ValidationFailed as exc:
        return {"started": started, "messages": list(exc.errors.values())}
    except ServiceError as exc:
        return {"started": started, "messages": [exc.message]}
    return {"started": True, "assessment": assessment, "messages": [],
            "resolution": (form.resolution_no.data or "").strip()}


def _save(kind: str, form):
    """Validate, write, commit; or the form again with every message in place (422)."""
    form.validate()
    errors: dict[str, str] = {}
    make_plan = MOVEMENTS[kind]["plan"](form, errors)
    if errors or any(f.errors for n, f in form._fields.items() if n != "csrf_token"):
        form.set_errors(errors)
        return _movement_page(kind, form, status=422, form_error=PAGE_ERROR)

    def again(status: int, stale: str = ""):
        refused = form.refusal
        # after a band, cap or holding refusal the preview shows the register as it is
        preview = None if isinstance(refused, ValidationFailed) else \
            _preview(kind, _new_form(kind))
        return _movement_page(kind, form, status=status, preview=preview,
                              form_error=form.refusal_message("有内容需要修改，请看标红的输入框"))

    return save(
        form, lambda: commit_plan(make_plan(), resolution_no=form.resolution_no.data or "",
                                  note=form.note.data or "", recorded_by_id=current_user.id),
        validate=False, again=again,
        message=lambda entries: (f"已登记：{entries[0].kind_label}，"
                                 f"第 {entries[0].id} 号起共 {len(entries)} 条"),
        done=lambda entries: redirect_to("shares.entry", entry_id=entries[0].id))


def _register_movement(bp: Blueprint, kind: str, path: str) -> None:
    def page():
        form = _new_form(kind)
        if not form.effective_on.data:
            form.effective_on.data = clock.today()
        for name in ("member_no", "deceased_no", "from_member_no"):
            if name in request.args and hasattr(form, name):
                getattr(form, name).data = request.args[name]
        return _movement_page(kind, form, preview={"started": False, "messages": []})

    def preview():
        form = _new_form(kind)
        return _movement_page(kind, form, preview=_preview(kind, form), block="preview")

    def save_movement():
        return _save(kind, _new_form(kind))

    admin = roles_required(*ADMIN)
    for fn, name in ((page, kind), (preview, f"{kind}_preview"),
                     (save_movement, f"{kind}_save")):
        fn.__name__ = name
    bp.add_url_rule(path, kind, admin(page), methods=["GET"])
    bp.add_url_rule(f"{path}/preview", f"{kind}_preview", admin(preview), methods=["POST"])
    bp.add_url_rule(path, f"{kind}_save", admin(save_movement), methods=["POST"])


def register(bp: Blueprint) -> None:
    for kind in MOVEMENTS:
        _register_movement(bp, kind, f"/{kind}")
