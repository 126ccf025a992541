"""Forms of the share register. They carry text and show errors; the rules are
in coop.shares.rules and coop.shares.plans."""
from __future__ import annotations

from datetime import date, datetime

from flask_wtf.file import FileField
from wtforms import BooleanField, Form, FormField, HiddenField, StringField
from wtforms.validators import Optional

from coop.cooperatives.api import ShareClass
from coop.database import parse_id
from coop.errors import ServiceError, ValidationFailed
from coop.forms import AreaField, CoopForm, NumberedRows, SelectField, YuanField
from coop.limits import MAX_SHARES
from coop.money import AmountError, parse_fixed
from coop.shares.rules import HAND_KINDS, EntryKind

CLASS_CHOICES = ShareClass.choices()
KIND_CHOICES = [(k.value, k.label) for k in HAND_KINDS]


class _ParsedField(StringField):
    """Text typed by the user, parsed into ``data``; a parse error is the field's error."""

    unit = ""

    def parse(self, text: str):  # pragma: no cover - overridden
        raise NotImplementedError

    def process_formdata(self, valuelist):
        self.raw_text = (valuelist[0] if valuelist else "").strip()
        if not self.raw_text:
            self.data = None
            return
        try:
            self.data = self.parse(self.raw_text)
        except ValueError as exc:
            self.data = None
            raise ValueError(getattr(exc, "message", None) or str(exc)) from None

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else self.format(self.data)

    def format(self, value) -> str:
        return str(value)


class DateTextField(_ParsedField):
    """A date as 2024-06-01 (a date picker on phones and PCs)."""

    def parse(self, text: str) -> date:
        for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d"):
            try:
                return datetime.strptime(text, fmt).date()
            except ValueError:
                continue
        raise ValueError(f"{self.label.text}格式不正确，应为 年-月-日，例如 2024-06-01")

    def format(self, value: date) -> str:
        return value.isoformat()


class WholeNumberField(_ParsedField):
    """A whole number such as 1,200 (shares, days)."""

    maximum = MAX_SHARES

    def parse(self, text: str) -> int:
        try:
            value = parse_fixed(text, str(self.label.text), 0)
        except AmountError as exc:
            raise ValueError(str(exc)) from None
        if abs(value) > self.maximum:
            raise ValueError(f"{self.label.text}数值过大，请核对")
        return value

    def format(self, value: int) -> str:
        return str(value)


RESOLUTION_NEEDED = "突破章程规定时须选择成员（代表）大会同意的决议"
NO_RESOLUTION = "（不依据决议）"


class _CitingForm(CoopForm):
    """A form that may cite one of the cooperative's recorded resolutions."""

    # the service checks the choice against the recorded resolutions (a
    # Chinese message beside the field), so the field itself does not
    resolution_no = SelectField(
        "决议文号", choices=[("", NO_RESOLUTION)], validate_choice=False,
        description="仅在章程比例区间或持股上限被突破、经成员（代表）大会决议同意时选择")

    # no recorded resolution to choose from: the page links to the meetings
    no_resolutions = False

    def offer_resolutions(self, citable: list) -> None:
        """The resolutions to choose from (coop.shares.citing.citable_resolutions);
        a refused number that was posted stays shown beside its message."""
        choices = [("", NO_RESOLUTION)] + [(r.resolution_no, r.label) for r in citable]
        posted = (self.resolution_no.data or "").strip()
        if posted and posted not in {value for value, _ in choices}:
            choices.append((posted, posted))
        self.resolution_no.choices = choices
        self.no_resolutions = not citable


class _MovementForm(_CitingForm):
    effective_on = DateTextField("生效日期", description="股权变动生效的日期")
    note = StringField("备注")

    # service field -> form field
    FIELD_MAP: dict[str, str] = {}
    # a refusal naming another field shows beside it too (not on the reversal
    # and founding pages, whose fields are not the plan's)
    REFUSAL_ON_FIELD = True

    refusal: ServiceError | None = None
    loose: list[str] = []

    def add_service_errors(self, exc: ServiceError, default: str | None = None,
                           aliases: dict[str, str] | None = None) -> None:
        """How coop.web.save puts a refusal on this form: a ValidationFailed's
        messages on their fields (``loose``: those for no field), a band or
        cap refusal as "a resolution is needed" on 决议文号. The refusal is
        kept for the page's message (``refusal_message``)."""
        self.refusal = exc
        if isinstance(exc, ValidationFailed):
            self.loose = self.set_errors(exc.errors)
        elif exc.field == "resolution_no":
            self.resolution_no.errors = [RESOLUTION_NEEDED]
        elif self.REFUSAL_ON_FIELD and exc.field and hasattr(self, exc.field):
            getattr(self, exc.field).errors = [exc.message]

    def refusal_message(self, fallback: str) -> str:
        """The page's message after a refused save."""
        if isinstance(self.refusal, ValidationFailed):
            return ("；".join(self.loose) or fallback) + "；没有保存任何内容。"
        return self.refusal.message + " 没有保存任何内容。"

    def set_errors(self, errors: dict[str, str]) -> list[str]:
        """Put service errors next to their fields; returns those without a field."""
        loose = []
        for name, message in errors.items():
            field = getattr(self, self.FIELD_MAP.get(name, name), None)
            if field is None:
                loose.append(message)
            else:
                field.errors = [*field.errors, message] if message not in field.errors else field.errors
        return loose


class ContributionForm(_MovementForm):
    member_no = StringField("成员编号", description="入股成员的成员编号")
    share_class = SelectField("股份类别", choices=CLASS_CHOICES, default="villager", validate_choice=False)
    contribution_kind = SelectField("出资方式", choices=KIND_CHOICES, default="cash",
                                    validate_choice=False)
    amount_fen = YuanField("金额或折价", required=False,
                           description="货币出资填金额；实物出资填评估折价")
    land_mu = AreaField("土地亩数", required=False)
    price_per_mu_fen = YuanField("每亩折价", required=False)
    labour_days = WholeNumberField("劳动天数")
    price_per_day_fen = YuanField("每天折价", required=False)
    asset_name = StringField("实物名称", description="例如 约翰迪尔 1204 拖拉机")
    machine_id = SelectField("关联农机具", choices=[("", "（不关联）")], validate_choice=False,
                             description="实物为本社农机具时选择，折价按评估值填写")

    FIELD_MAP = {"member_id": "member_no"}

    def machine_value(self) -> int | None:
        return parse_id(str(self.machine_id.data or ""))


class TransferForm(_MovementForm):
    from_member_no = StringField("转出成员编号")
    to_member_no = StringField("受让成员编号", description="只能转让给本合作社的成员")
    share_class = SelectField("股份类别", choices=CLASS_CHOICES, default="villager", validate_choice=False)
    shares = WholeNumberField("转让股数")

    FIELD_MAP = {"from_member_id": "from_member_no", "to_member_id": "to_member_no"}


class RedemptionForm(_MovementForm):
    member_no = StringField("成员编号")
    share_class = SelectField("股份类别", choices=CLASS_CHOICES, default="villager", validate_choice=False)
    shares = WholeNumberField("退股股数", description="合作社按每股面值退还股金；这些股份所附的入股土地一并退还")

    FIELD_MAP = {"member_id": "member_no"}


class InheritanceForm(_MovementForm):
    deceased_no = StringField("已故成员编号", description="须已在成员页登记为已故")
    heir_no = StringField("继承人成员编号", description="继承人已是本社成员时填写；否则留空并填写下方新成员信息")
    villager_shares = WholeNumberField("继承村民股股数", description="留空为全部；多名继承人时分别办理")
    cadre_shares = WholeNumberField("继承干部股股数", description="留空为全部；继承人不是干部时转为村民股")
    heir_member_no = StringField("新成员编号")
    heir_name = StringField("继承人姓名")
    heir_kind = SelectField("继承人类别", choices=[("villager", "村民"), ("cadre", "干部")],
                            validate_choice=False)
    heir_id_number = StringField("继承人身份证号")
    heir_household_no = StringField("继承人户号", description="留空则与已故成员同户")
    heir_phone = StringField("继承人联系电话")

    FIELD_MAP = {"deceased_id": "deceased_no", "heir_id": "heir_no"}

    def new_heir(self) -> dict | None:
        if (self.heir_no.data or "").strip():
            return None
        if not any((getattr(self, f).data or "").strip() for f in
                   ("heir_member_no", "heir_name", "heir_id_number")):
            return None
        return {
            "member_no": self.heir_member_no.data, "name": self.heir_name.data,
            "kind": self.heir_kind.data, "id_number": self.heir_id_number.data,
            "household_no": self.heir_household_no.data, "phone": self.heir_phone.data,
        }


class FoundingRowForm(Form):
    """One subscription of the founding batch, as typed: parsed by the same
    code as a row of the import spreadsheet (coop.shares.importing.parse_row)."""

    member_no = StringField("成员编号")
    share_class = SelectField("股份类别", choices=[("", "")] + CLASS_CHOICES, validate_choice=False)
    contribution_kind = SelectField("出资方式", choices=KIND_CHOICES, default="cash",
                                    validate_choice=False)
    amount_fen = StringField("金额或折价", description="元")
    land_mu = StringField("土地亩数")
    price_per_mu_fen = StringField("每亩折价", description="元")
    labour_days = StringField("劳动天数")
    price_per_day_fen = StringField("每天折价", description="元")
    asset_name = StringField("实物名称")

    CELLS = ("member_no", "share_class", "contribution_kind", "amount_fen", "land_mu",
             "price_per_mu_fen", "labour_days", "price_per_day_fen", "asset_name")
    # what makes a row more than an empty line (class and kind have defaults)
    TYPED = ("member_no", "amount_fen", "land_mu", "price_per_mu_fen", "labour_days",
             "price_per_day_fen", "asset_name")
    FIELD_MAP = {"member_id": "member_no", "machine_id": "asset_name"}

    def cells(self) -> dict[str, str]:
        return {name: (getattr(self, name).data or "").strip() for name in self.CELLS}

    def is_blank(self) -> bool:
        return not any((getattr(self, name).data or "").strip() for name in self.TYPED)


FOUNDING_ROWS = 10  # rows of an empty founding page; "more rows" adds as many
FOUNDING_MAX_ROWS = 500


class FoundingForm(_MovementForm):
    effective_on = DateTextField("设立日期", description="首批入股的生效日期（一般为合作社成立之日）")
    rows = NumberedRows(FormField(FoundingRowForm), min_entries=FOUNDING_ROWS,
                     max_entries=FOUNDING_MAX_ROWS)

    def add_service_errors(self, exc: ServiceError, default: str | None = None,
                           aliases: dict[str, str] | None = None) -> None:
        """Only kept: the founding page puts a refusal on its rows itself."""
        self.refusal = exc


class ShareImportForm(_CitingForm):
    """The upload of the shares import (checked, nothing written)."""

    file = FileField("入股登记文件（.xlsx）")
    allow_duplicates = BooleanField("允许与已有登记完全相同的行",
                                    description="确有同一成员同日同额的两笔入股时才勾选")


class ConfirmShareImportForm(CoopForm):
    """The confirmation: the checked file (its token) with the same choices."""

    token = HiddenField()
    resolution_no = HiddenField()
    allow_duplicates = HiddenField()


class ReversalForm(_MovementForm):
    effective_on = DateTextField("冲销日期", description="原登记所在年度已结账时，冲销登记在未结账年度")

    REFUSAL_ON_FIELD = False


class RegisterFilterForm(CoopForm):
    """A GET form: no CSRF (it changes nothing)."""

    class Meta:
        csrf = False

    member_no = StringField("成员编号")
    share_class = SelectField("股份类别", choices=[("", "全部")] + CLASS_CHOICES,
                              validators=[Optional()])
    entry_kind = SelectField("变动类型", choices=[("", "全部")] + EntryKind.choices(), validators=[Optional()])
    date_from = DateTextField("开始日期")
    date_to = DateTextField("结束日期")

    def validate_date_to(self, field):
        from wtforms.validators import ValidationError

        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError("结束日期不能早于开始日期")


class AsOfForm(CoopForm):
    class Meta:
        csrf = False

    on = DateTextField("截至日期")
