"""Form fields shared by every domain: money in yuan, ratios in percent, areas in mu.

Each parses the user's text with ``coop.money.parse_fixed`` into integers
(fen, basis points, hundredths of a mu); ``field.data`` is that integer, or
None when the text is not valid.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Iterable, Iterator

import wtforms
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms import DateField, FieldList, FormField, HiddenField, RadioField, StringField, widgets
from wtforms.validators import ValidationError
from wtforms.widgets import core as widget_core

from coop.errors import ServiceError, ValidationFailed
from coop.limits import MAX_COUNT
from coop.money import AmountError, format_fixed, parse_area, parse_percent, parse_yuan


WTFORMS_HTML_PARAMS = widget_core.html_params  # WTForms' own, which html_attributes stands in for


def html_attributes(**kwargs: Any) -> Markup:
    """WTForms' ``html_params`` (every widget's attributes), the same text
    written without ``Markup.format``, whose formatter is pure Python: 47
    against 265 us for a field's eight attributes, and a form page renders
    dozens (issue 19). Keys sorted, ``True`` a bare attribute, ``False`` none,
    keys and values escaped, a quote in a Markup value as ``&quot;``."""
    params = []
    for key, value in sorted(kwargs.items()):
        if value is False:
            continue
        name = str(escape(widget_core.clean_key(key)))
        params.append(name if value is True
                      else f'{name}="{str(escape(value)).replace(chr(34), "&quot;")}"')
    return Markup(" ".join(params))


def use_html_attributes() -> None:
    """Make every WTForms widget and label write its attributes with
    :func:`html_attributes` (the module function the widgets call, its
    re-export the labels call, and the two classes that hold it as a
    static method). tests/test_forms_attributes.py checks the text is
    WTForms' own for any attributes."""
    widget_core.html_params = html_attributes
    widgets.html_params = html_attributes
    widget_core.Input.html_params = staticmethod(html_attributes)
    widget_core.Button.html_params = staticmethod(html_attributes)


class CoopForm(FlaskForm):
    """The base of every form: WTForms' own messages ('Not a valid choice.',
    'Not a valid integer value.', ...) come in Chinese. Needs
    WTF_I18N_ENABLED = False (coop.config), which hands translation from
    Flask-Babel (not used here) back to WTForms' own catalogues."""

    class Meta:
        locales = ("zh",)

    def add_service_errors(self, exc: ServiceError, default: str | None = None,
                           aliases: dict[str, str] | None = None,
                           only_filled: bool = False, skip_refused: bool = False) -> None:
        """Put a service's refusal on the fields: each message of a
        ValidationFailed on its field (``aliases`` maps a service's name to
        the form's), another refusal on its ``field``. A message for no field
        of this form goes on ``default`` if given, else to the form itself.
        ``only_filled``: the form is being filled in (inline validation), so
        a field still empty is not an error yet. ``skip_refused``: a field
        the form already refused keeps its own message only (the service
        read it as empty)."""
        aliases = aliases or {}
        errors = exc.errors if isinstance(exc, ValidationFailed) else {
            exc.field or default or "_form": exc.message}
        for name, message in errors.items():
            name = aliases.get(name, name)
            target = getattr(self, name, None) if name != "_form" else None
            if (target is None or not hasattr(target, "errors")) and default:
                target = getattr(self, default)
            if target is not None and hasattr(target, "errors"):
                if only_filled and not (target.raw_data and str(target.raw_data[0]).strip()):
                    continue
                if skip_refused and target.errors:
                    continue
                target.errors = [*target.errors, message] if isinstance(target.errors, list) \
                    else [message]
            elif not only_filled:
                self.form_errors.append(message)


class _IntegerTextField(StringField):
    """A number typed as text, read by ``coop.money.parse_fixed`` into an
    integer of hundredths. A minus sign is refused unless ``negative``;
    ``maximum`` (in hundredths) bounds it."""

    parse = staticmethod(parse_yuan)
    unit = ""

    def __init__(self, label=None, validators=None, required=True, negative=False,
                 maximum=None, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.required = required
        self.limits = {"negative": negative, "maximum": maximum}

    def process_formdata(self, valuelist):
        self.raw_text = valuelist[0] if valuelist else ""
        if not self.raw_text.strip() and not self.required:
            self.data = None
            return
        try:
            self.data = self.parse(self.raw_text, str(self.label.text), **self.limits)
        except AmountError as exc:
            self.data = None
            raise ValueError(str(exc)) from None

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else self.format(self.data)

    @staticmethod
    def format(value: int) -> str:
        return format_fixed(value, 2).replace(",", "")


class YuanField(_IntegerTextField):
    """Yuan as typed ('1,234.50'); data is integer fen."""

    parse = staticmethod(parse_yuan)
    unit = "元"


class PercentField(_IntegerTextField):
    """Percent as typed ('65' or '65.00'); data is integer basis points."""

    parse = staticmethod(parse_percent)
    unit = "%"


class AreaField(_IntegerTextField):
    """Mu as typed ('12.5'); data is integer hundredths of a mu."""

    parse = staticmethod(parse_area)
    unit = "亩"


class DateInput(DateField):
    """A date typed or picked; empty gives None (the service says what is missing)."""

    FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d")

    def process_formdata(self, valuelist):
        text = (valuelist[0] if valuelist else "").strip()
        self.data = None
        if not text:
            return
        for fmt in self.FORMATS:
            try:
                self.data = datetime.strptime(text, fmt).date()
                return
            except ValueError:
                continue
        raise ValueError(f"{self.label.text}格式应为 2025-05-03")


class CountField(StringField):
    """A whole number typed as text; data is int or None."""

    MAXIMUM = MAX_COUNT

    def process_formdata(self, valuelist):
        text = (valuelist[0] if valuelist else "").strip()
        self.data = None
        if not text:
            return
        if not (text.isascii() and text.isdigit()):
            raise ValueError(f"{self.label.text}应为整数")
        if len(text) > 10 or int(text) > self.MAXIMUM:
            raise ValueError(f"{self.label.text}数值过大")
        self.data = int(text)


class OptionsSelect(widgets.Select):
    """WTForms' select, each plain option written from one format rather
    than through a dictionary of attributes: the same HTML in half the time
    (a select of 41 options 1.0 -> 0.5 ms; the order page has three)."""

    OPTION = Markup('<option %svalue="%s">%s</option>')
    SELECTED = Markup("selected ")

    @classmethod
    def render_option(cls, choice, **kwargs):
        if kwargs or choice.render_kw or isinstance(choice.value, bool):
            return super().render_option(choice, **kwargs)
        return cls.OPTION % (cls.SELECTED if choice.selected else "", choice.value,
                             choice.label or choice.value)


class SelectField(wtforms.SelectField):
    """Every form's select (``OptionsSelect``)."""

    widget = OptionsSelect()


class ChoiceField(SelectField):
    """A select whose refusal of a value not in the list is in Chinese
    (WTForms' own says 'Not a valid choice.')."""

    def pre_validate(self, form):
        if not self.validate_choice or self.choices is None:
            return
        values = {str(value) for value, *_ in self.iter_choices()}
        if self.data is None or str(self.data) not in values:
            raise ValidationError(f"请从列表中选择{self.label.text}")


class MissingVersion(Exception):
    """An edit submitted without the version of the record it was loaded
    from (or with one that is not a whole number): nothing says whether
    someone else saved the record meanwhile, so nothing is saved. Raised
    while the form is built, before any service runs; coop.web answers 409."""

    message = ("保存未成功：提交的内容缺少此记录的版本号（或版本号无效），无法确认在您打开页面之后"
               "此记录没有被他人修改，没有保存任何内容。请刷新页面，核对最新内容后再次提交。")


class VersionField(HiddenField):
    """The record's version as loaded into the page (optimistic lock); data
    is int, or None when the submission has none or not a whole number."""

    def process_formdata(self, valuelist):
        text = (valuelist[0] if valuelist else "").strip()
        self.data = int(text) if text.isascii() and text.isdigit() and len(text) <= 9 else None


_FROM_REQUEST = object()


class VersionedForm(CoopForm):
    """A form that edits a record under an optimistic lock. A submission
    must carry the record's version: the lost-update check cannot be
    skipped by leaving it out (``MissingVersion``). A form built with
    ``formdata=None`` (a blank or pre-filled page) is not a submission."""

    version = VersionField()

    def __init__(self, formdata=_FROM_REQUEST, **kwargs):
        if formdata is _FROM_REQUEST:
            super().__init__(**kwargs)
        else:
            super().__init__(formdata, **kwargs)
        if formdata is not None and self.is_submitted() and self.version.data is None:
            raise MissingVersion()


@dataclass(frozen=True)
class FieldError:
    """One message of a field, for the error summary: it links to the input."""
    field_id: str
    label: str
    message: str


@dataclass(frozen=True)
class ErrorSummary:
    """What a refused form shows at its top (templates/macros/forms.html:
    form_errors): the messages of the form as a whole, then each field's."""
    messages: tuple[str, ...]
    fields: tuple[FieldError, ...]

    def __bool__(self) -> bool:
        return bool(self.messages or self.fields)


class NumberedRows(FieldList):
    """A list of sub-forms shown as numbered rows: the error summary names the
    row a message is in (``row_label``, '第 {n} 行' unless the page numbers
    them otherwise, e.g. '议题 {n}')."""

    def __init__(self, *args: Any, row_label: str = "第 {n} 行", **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.row_label = row_label


def error_summary(form: Any, *messages: str, note: str = "") -> ErrorSummary:
    """The summary of ``form``'s errors: ``messages`` (a stale save, a
    refusal of the whole form) and the form's own errors first, then each
    visible field's message; ``note`` leads them only when there is one. A
    hidden field's error has no input to point at: it is shown as one of the
    form's. A radio group's error points at its first button."""
    own = [m for m in (*messages, *getattr(form, "form_errors", ())) if m]
    fields: list[FieldError] = []
    for f, message, row in _field_messages(form or ()):
        if isinstance(f, HiddenField):
            own.append(f"{row} {message}" if row else message)
        else:
            target = f"{f.id}-0" if isinstance(f, RadioField) else f.id
            fields.append(FieldError(target, f"{row} {f.label.text}" if row else f.label.text,
                                     message))
    if note and (own or fields):
        own.insert(0, note)
    return ErrorSummary(tuple(dict.fromkeys(own)), tuple(fields))


def _field_messages(fields: Iterable[Any], row: str = "") -> Iterator[tuple[Any, str, str]]:
    """(field, message, the numbered row it is in or "")."""
    for f in fields:
        if isinstance(f, FormField):
            yield from _field_messages(f.form, row)
            continue
        if isinstance(f, FieldList):
            label = getattr(f, "row_label", "")
            for n, entry in enumerate(f.entries, start=1):
                yield from _field_messages([entry], label.format(n=n) if label else row)
        for message in f.errors if isinstance(f.errors, list) else ():
            if isinstance(message, str):
                yield f, message, row
