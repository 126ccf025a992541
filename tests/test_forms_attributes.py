"""Every widget's attributes are written by coop.forms.html_attributes, the
same text as WTForms' own html_params (issue 19: a fifth of its time)."""
from __future__ import annotations

import wtforms
from hypothesis import given
from hypothesis import strategies as st
from markupsafe import Markup
from wtforms.widgets import core as widget_core

from coop.forms import WTFORMS_HTML_PARAMS, CoopForm, html_attributes

KEYS = st.from_regex(r"\A(data_|aria_)?[a-z][a-z_]{0,8}_?\Z")
TEXT = st.text(alphabet=st.sampled_from('ab 中"\'<>&=_-1'), max_size=12)
VALUES = st.one_of(st.booleans(), TEXT, st.integers(-5, 10**6), TEXT.map(Markup), st.none())


@given(st.dictionaries(KEYS, VALUES, max_size=8))
def test_the_same_text_as_wtforms_for_any_attributes(attributes):
    ours = html_attributes(**attributes)
    assert isinstance(ours, Markup)
    assert str(ours) == str(WTFORMS_HTML_PARAMS(**attributes))


def test_the_examples_of_wtforms_own_documentation():
    assert html_attributes(data_attr="user.name", aria_labeledby="name") == \
        'aria-labeledby="name" data-attr="user.name"'
    assert html_attributes(checked=True, readonly=False, name="text1", abc="hello") == \
        'abc="hello" checked name="text1"'
    assert html_attributes(value=Markup('a"b'), title='<x y="1">') == \
        'title="&lt;x y=&#34;1&#34;&gt;" value="a&quot;b"'


def test_every_widget_and_label_writes_with_it(app):
    assert widget_core.html_params is html_attributes
    assert wtforms.widgets.html_params is html_attributes
    assert widget_core.TextInput.html_params is html_attributes
    assert widget_core.Button.html_params is html_attributes

    class Form(CoopForm):
        class Meta:
            csrf = False
        name = wtforms.StringField("姓名", render_kw={"maxlength": 20, "required": True})
        kind = wtforms.SelectField("类别", choices=[("a", "甲<"), ("b", '乙"')])
        note = wtforms.TextAreaField("备注")

    with app.test_request_context("/"):
        form = Form(data={"name": 'A"&B', "kind": "b"})
        assert str(form.name()) == '<input id="name" maxlength="20" name="name" required type="text" value="A&#34;&amp;B">'
        assert str(form.name.label) == '<label for="name">姓名</label>'
        assert str(form.kind()) == ('<select id="kind" name="kind"><option value="a">甲&lt;</option>'
                                    '<option selected value="b">乙&#34;</option></select>')
        assert str(form.note()) == '<textarea id="note" name="note">\r\n</textarea>'
