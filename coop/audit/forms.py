from __future__ import annotations

from wtforms import DateField
from wtforms.validators import Optional, ValidationError

from coop.forms import CoopForm, SelectField


class AuditFilterForm(CoopForm):
    """A GET form: no CSRF (it changes nothing)."""

    class Meta:
        csrf = False

    user = SelectField("操作人", validators=[Optional()], coerce=str)
    record_type = SelectField("记录类型", validators=[Optional()])
    date_from = DateField("开始日期", validators=[Optional()])
    date_to = DateField("结束日期", validators=[Optional()])

    def validate_date_to(self, field):
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError("结束日期不能早于开始日期")
