"""The one htmx form panel (templates/macros/forms.html: form_panel)."""
from __future__ import annotations

import re

from flask import render_template_string
from wtforms import BooleanField, FieldList, FormField, RadioField, StringField
from wtforms.form import Form

from coop.forms import CoopForm, ErrorSummary, FieldError, VersionedForm, error_summary
from coop.web import whole_dates

PANEL = """{% from "macros/forms.html" import field, form_panel %}
{% call form_panel(form, "/things", "登记", "保存", id="thing-new", stale=stale) %}
{{ field(form.name) }}
{% endcall %}"""


class ThingForm(VersionedForm):
    name = StringField("名称")


def test_the_panel_posts_by_htmx_to_itself_with_token_version_errors_and_fields(app):
    with app.test_request_context("/"):
        form = ThingForm(formdata=None)
        form.version.data = 7
        form.name.errors = ["名称不能为空"]
        form.form_errors.append("本年度已结账")
        html = render_template_string(PANEL, form=form, stale="已被他人修改")
    assert '<section class="panel" id="thing-new" aria-labelledby="thing-new-title">' in html
    assert '<h2 id="thing-new-title">登记</h2>' in html
    assert 'hx-post="/things" hx-target="#thing-new" hx-swap="outerHTML"' in html
    assert 'name="csrf_token"' in html
    assert 'name="version" type="hidden" value="7"' in html
    assert '<p class="form-error">已被他人修改</p>' in html
    assert '<p class="form-error">本年度已结账</p>' in html
    assert '<p class="error" id="name-error">名称不能为空</p>' in html
    assert '<button type="submit" class="primary">保存</button>' in html


def test_a_button_form_posts_its_values_with_the_token(app):
    with app.test_request_context("/"):
        html = render_template_string(
            '{% from "macros/forms.html" import button_form %}'
            '{{ button_form("/users/3/enabled", "停用", target="#users-body", confirm="确定吗？",'
            ' values={"enabled": "0"}) }}')
    assert ('<form method="post" action="/users/3/enabled"\n      hx-post="/users/3/enabled" '
            'hx-target="#users-body" hx-confirm="确定吗？">') in html
    assert 'name="csrf_token" value="' in html
    assert '<input type="hidden" name="enabled" value="0">' in html
    assert '<button type="submit" class="small">停用</button>' in html


class HelpedForm(CoopForm):
    name = StringField("名称", description="与营业执照一致")
    code = StringField("编码")
    agreed = BooleanField("已核对", description="打勾表示已核对原件")


FIELDS = """{% from "macros/forms.html" import field, form_errors %}
{{ form_errors(form, stale) }}{{ field(form.name) }}{{ field(form.code) }}{{ field(form.agreed) }}"""


def _render(form, stale=""):
    return render_template_string(FIELDS, form=form, stale=stale)


def _attrs(html, element_id):
    """The attributes of the element with ``element_id``, as a dict."""
    tag = re.search(rf'<(?:input|select|textarea)[^>]*\bid="{element_id}"[^>]*>', html).group(0)
    return dict(re.findall(r'([\w-]+)="([^"]*)"', tag))


def test_help_text_is_tied_to_its_field(app):
    with app.test_request_context("/"):
        html = _render(HelpedForm(formdata=None))
    assert '<small class="help" id="name-help">与营业执照一致</small>' in html
    assert _attrs(html, "name")["aria-describedby"] == "name-help"
    assert _attrs(html, "agreed")["aria-describedby"] == "agreed-help"
    assert "aria-describedby" not in _attrs(html, "code")
    assert "aria-invalid" not in html
    assert "error-summary" not in html  # nothing refused: no summary


def test_a_field_in_error_is_invalid_and_names_its_help_and_its_error(app):
    with app.test_request_context("/"):
        form = HelpedForm(formdata=None)
        form.name.errors = ["名称不能为空", "名称太长"]
        form.code.errors = ["编码已被使用"]
        form.agreed.errors = ["请先核对原件"]
        html = _render(form)
    name = _attrs(html, "name")
    assert name["aria-invalid"] == "true"
    assert name["aria-describedby"] == "name-help name-error"
    assert _attrs(html, "code")["aria-describedby"] == "code-error"
    assert _attrs(html, "agreed")["aria-invalid"] == "true"
    assert _attrs(html, "agreed")["aria-describedby"] == "agreed-help agreed-error"
    # two messages, one element: the id the input points at is unique
    assert html.count('id="name-error"') == 1
    assert '<p class="error" id="name-error">名称不能为空<br>名称太长</p>' in html


def test_one_summary_with_role_alert_links_each_error_to_its_field(app):
    with app.test_request_context("/"):
        form = HelpedForm(formdata=None)
        form.name.errors = ["名称不能为空"]
        form.code.errors = ["编码已被使用"]
        form.form_errors.append("本年度已结账")
        html = _render(form, stale="已被他人修改")
    assert html.count('role="alert"') == 1
    summary = html[html.index('<div class="error-summary"'):html.index("</div>")]
    assert '<div class="error-summary" role="alert" tabindex="-1">' in summary
    assert summary.index("已被他人修改") < summary.index("本年度已结账") < summary.index("有 2 处需要修改")
    assert '<li><a href="#name">名称：名称不能为空</a></li>' in summary
    assert '<li><a href="#code">编码：编码已被使用</a></li>' in summary


def test_a_panel_with_errors_has_exactly_one_alert(app):
    with app.test_request_context("/"):
        form = ThingForm(formdata=None)
        form.version.data = 1
        form.name.errors = ["名称不能为空"]
        html = render_template_string(PANEL, form=form, stale="")
    assert html.count('role="alert"') == 1
    assert html.index('class="error-summary"') < html.index('<label for="name">')
    assert '<a href="#name">名称：名称不能为空</a>' in html


class Row(Form):
    amount = StringField("金额")


class RowsForm(CoopForm):
    rows = FieldList(FormField(Row), min_entries=2)
    basis = RadioField("分配依据", choices=[("a", "按登记日"), ("b", "按持股天数")])


def test_the_summary_reaches_into_rows_points_at_a_radio_and_shows_a_hidden_error_as_the_forms(app):
    with app.test_request_context("/"):
        form = RowsForm(formdata=None)
        form.rows.entries[1].form.amount.errors = ["金额不能为负"]
        form.basis.errors = ["请选择分配依据"]
        versioned = ThingForm(formdata=None)
        versioned.version.errors = ["版本号无效"]
        assert error_summary(form) == ErrorSummary(
            (), (FieldError("rows-1-amount", "金额", "金额不能为负"),
                 FieldError("basis-0", "分配依据", "请选择分配依据")))
        assert error_summary(versioned, "", note="请修改后重新提交") == ErrorSummary(
            ("请修改后重新提交", "版本号无效"), ())
        assert not error_summary(ThingForm(formdata=None), "", note="请修改后重新提交")
        assert not error_summary(None)


def test_whole_dates_escapes_the_text_and_keeps_each_day_whole():
    assert str(whole_dates("<b>本社成员</b>，2023-05-28 起在册")) == (
        '&lt;b&gt;本社成员&lt;/b&gt;，<span class="whole">2023-05-28</span> 起在册')
    assert str(whole_dates("待成员大会确认")) == "待成员大会确认"
