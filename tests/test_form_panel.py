"""The one htmx form panel (templates/macros/forms.html: form_panel)."""
from __future__ import annotations

from flask import render_template_string
from wtforms import StringField

from coop.forms import VersionedForm

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
    assert '<p class="form-error" role="alert">已被他人修改</p>' in html
    assert '<p class="form-error" role="alert">本年度已结账</p>' in html
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
