"""The confirmation list pages: the lists and the pending events to gather,
one list (its events, the notice, objections, the meeting that decides it),
and the printable notice (公示, A4, IDs masked). The secretary composes,
notices and records; the accountant and the supervisor read."""
from __future__ import annotations

from flask import request
from flask_login import current_user

from coop import clock
from coop.auth.api import ADMIN, ALL_STAFF, Role, current_coop, current_coop_id, roles_required
from coop.membership import lists
from coop.membership.blueprint import bp
from coop.membership.list_forms import (AddEventsForm, ListActionForm, NewListForm, ObjectionForm,
                                        OutcomeForm, PublishForm)
from coop.membership.models import ConfirmationList, MembershipEvent, Objection
from coop.membership.roster_rules import NOTICE_DAYS
from coop.web import owned, redirect_to, render, save


def _coop_id() -> int:
    return current_coop_id()


def _can_run() -> bool:
    return current_user.role == Role.ADMIN


def _pending_choices() -> tuple[list[lists.ListRow], list[tuple[str, str]]]:
    rows = lists.pending_rows(_coop_id())
    return rows, [(str(r.event.id), f"{r.member.name}（{r.event.reason_label}，{r.event.occurs_on:%Y-%m-%d}）")
                  for r in rows]


# -- the lists -----------------------------------------------------------------------

def _index_page(form: NewListForm | None = None, status: int = 200):
    pending, choices = _pending_choices()
    if form is None:
        form = NewListForm(formdata=None)
    form.event_ids.choices = choices
    return render("membership/lists.html", block="new_list", status=status, form=form,
                  lists=lists.lists_of(_coop_id()), pending=pending,
                  can_run=_can_run(), law=lists.regime_law(current_coop()))


@bp.get("/lists")
@roles_required(*ALL_STAFF)
def lists_index():
    return _index_page()


@bp.post("/lists")
@roles_required(*ADMIN)
def new_list():
    form = NewListForm()
    form.event_ids.choices = _pending_choices()[1]
    return save(form, lambda: lists.create_list(_coop_id(), form.event_ids.data or [],
                                                title=form.title.data or "", user_id=current_user.id),
                field="event_ids", message=lambda lst: f"已生成“{lst.title}”（草稿）",
                again=lambda status, stale="": _index_page(form, status),
                done=lambda lst: redirect_to("membership.list_detail", list_id=lst.id))


# -- one list ------------------------------------------------------------------------

def _detail_page(lst: ConfirmationList, *, block: str | None = None, status: int = 200,
                 publish_form: PublishForm | None = None, add_form: AddEventsForm | None = None,
                 objection_form: ObjectionForm | None = None, action_form: ListActionForm | None = None,
                 outcome_forms: dict[int, OutcomeForm] | None = None, stale: str = ""):
    rows = lists.list_rows(lst)
    if publish_form is None:
        publish_form = PublishForm(formdata=None, version=lst.version, notice_start=clock.today(),
                                   notice_days=str(lst.notice_days or NOTICE_DAYS))
    if add_form is None:
        add_form = AddEventsForm(formdata=None, version=lst.version)
    add_form.event_ids.choices = _pending_choices()[1]
    if objection_form is None:
        objection_form = ObjectionForm(formdata=None, raised_on=clock.today())
    objection_form.event_id.choices = [("", "（整份名单）")] + [
        (str(r.event.id), f"{r.member.name}（{r.event.reason_label}）") for r in rows]
    objections = lists.objections_of(lst)
    forms = {o.id: OutcomeForm(formdata=None, prefix=f"o{o.id}", outcome=o.outcome,
                               outcome_on=o.outcome_on or clock.today()) for o in objections}
    forms.update(outcome_forms or {})
    return render("membership/list.html", block=block, status=status, lst=lst, rows=rows,
                  notice=lists.notice_facts(lst), objections=objections, outcome_forms=forms,
                  publish_form=publish_form, add_form=add_form, objection_form=objection_form,
                  action_form=action_form or ListActionForm(formdata=None, version=lst.version),
                  open_item=lists.open_item_of(lst), deciding_item=lists.deciding_item_of(lst),
                  can_run=_can_run(), stale=stale, law=lists.regime_law(current_coop()),
                  disputed=sum(1 for r in rows if r.disputed),
                  unresolved=sum(1 for o in objections if o.outcome_on is None))


@bp.get("/lists/<int:list_id>")
@roles_required(*ALL_STAFF)
def list_detail(list_id: int):
    return _detail_page(owned(ConfirmationList, list_id))


def _list_step(lst: ConfirmationList, form, action, *, panel: str, forms: dict, message,
               field: str | None = None, anchor: str | None = None):
    """One button or small form of a list's page: ``save`` it; on an error
    the list's ``panel`` again with ``forms`` (the posted form in place of
    its empty one), on success back to the list (at ``anchor``)."""
    return save(form, action, field=field, message=message,
                again=lambda status, stale="": _detail_page(lst, block=panel, status=status,
                                                            stale=stale, **forms),
                done=lambda _r: redirect_to("membership.list_detail", list_id=lst.id,
                                            **({"_anchor": anchor} if anchor else {})))


@bp.post("/lists/<int:list_id>/events")
@roles_required(*ADMIN)
def add_list_events(list_id: int):
    lst = owned(ConfirmationList, list_id)
    form = AddEventsForm()
    form.event_ids.choices = _pending_choices()[1]
    return _list_step(lst, form, lambda: lists.add_events(lst, form.event_ids.data or [], form.version.data),
                      panel="compose_panel", forms={"add_form": form}, field="event_ids",
                      message="已把所选变动列入名单")


@bp.post("/lists/<int:list_id>/events/<int:event_id>/remove")
@roles_required(*ADMIN)
def remove_list_event(list_id: int, event_id: int):
    lst = owned(ConfirmationList, list_id)
    event = owned(MembershipEvent, event_id)
    form = ListActionForm()
    return _list_step(lst, form, lambda: lists.remove_event(lst, event.id, form.version.data),
                      panel="events_panel", forms={"action_form": form},
                      message="已从名单中移出，该变动回到待确认")


@bp.post("/lists/<int:list_id>/publish")
@roles_required(*ADMIN)
def publish_list(list_id: int):
    lst = owned(ConfirmationList, list_id)
    form = PublishForm()
    return _list_step(lst, form, lambda: lists.publish(lst, notice_start=form.notice_start.data,
                                                       notice_days=form.notice_days.data,
                                                       expected_version=form.version.data),
                      panel="notice_panel", forms={"publish_form": form}, field="notice_start",
                      message=lambda l: f"名单已公示：{l.notice_start:%Y-%m-%d} 起 {l.notice_days} 日")


@bp.post("/lists/<int:list_id>/withdraw")
@roles_required(*ADMIN)
def withdraw_list(list_id: int):
    lst = owned(ConfirmationList, list_id)
    form = ListActionForm()
    return _list_step(lst, form, lambda: lists.withdraw_notice(lst, form.version.data),
                      panel="notice_panel", forms={"action_form": form},
                      message="已撤回公示，名单回到草稿；修改后须重新公示")


@bp.post("/lists/<int:list_id>/objections")
@roles_required(*ADMIN)
def new_objection(list_id: int):
    lst = owned(ConfirmationList, list_id)
    form = ObjectionForm()
    form.event_id.choices = [("", "（整份名单）")] + [(str(r.event.id), "") for r in lists.list_rows(lst)]
    return _list_step(lst, form, lambda: lists.record_objection(
        lst, raised_by=form.raised_by.data or "", raised_on=form.raised_on.data,
        content=form.content.data or "", event_id=form.event_id.data or None, user_id=current_user.id),
        panel="objection_panel", forms={"objection_form": form}, field="content", message="已登记异议",
        anchor="objections")


@bp.post("/objections/<int:objection_id>/outcome")
@roles_required(*ADMIN)
def objection_outcome(objection_id: int):
    objection = owned(Objection, objection_id)
    lst = owned(ConfirmationList, objection.list_id)
    form = OutcomeForm(prefix=f"o{objection.id}")
    return _list_step(lst, form, lambda: lists.record_outcome(objection, outcome=form.outcome.data or "",
                                                              outcome_on=form.outcome_on.data),
                      panel="objections_list", forms={"outcome_forms": {objection.id: form}},
                      field="outcome", message="已记录异议的处理结果", anchor=f"objection-{objection.id}")


# -- the printed notice --------------------------------------------------------------

@bp.get("/lists/<int:list_id>/notice")
@roles_required(*ALL_STAFF)
def list_notice(list_id: int):
    lst = owned(ConfirmationList, list_id)
    return render("membership/notice.html", flashes=False, lst=lst, rows=lists.list_rows(lst),
                  notice=lists.notice_facts(lst), coop=current_coop(),
                  law=lists.regime_law(current_coop()), printed_on=clock.today(),
                  back=request.args.get("back") == "list")
