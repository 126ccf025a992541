"""Forms of the machinery ledger. Amounts parse to integer fen, areas and fuel
to integer hundredths (of a mu, of a litre)."""
from __future__ import annotations


from wtforms import BooleanField, HiddenField, IntegerField, StringField, TextAreaField
from wtforms.validators import Optional
from wtforms.widgets import HiddenInput

from coop.database import parse_id
from coop.forms import (
    AreaField,
    CoopForm,
    CountField,
    DateInput,
    PercentField,
    SelectField,
    VersionedForm,
    YuanField,
)
from coop.machinery.constants import (
    ClientKind,
    ExpenseKind,
    IncomeKind,
    MachineCategory,
    MachineSource,
    MachineStatus,
    PaymentMethod,
    Service,
    client_kind_choices,
)
from coop.machinery.clients import OUTSIDE_KINDS
from coop.machinery.prices import PricePair


class LitreField(AreaField):
    unit = "升"


class PriceField(YuanField):
    unit = "元/亩"


def _int_or_none(value):
    """A select's id: None for the blank choice; ValueError (the field's
    message) for what is no id, such as a 20-digit number."""
    if value in (None, "", "None") or isinstance(value, int):
        return value if isinstance(value, int) else None
    found = parse_id(str(value))
    if found is None:
        raise ValueError(value)
    return found


def machine_choices(machines, blank: str = "（不指定）") -> list[tuple[str, str]]:
    return [("", blank)] + [(str(m.id), f"{m.name}{' ' + m.plate if m.plate else ''}")
                            for m in machines]


class OrderForm(CoopForm):
    service_on = DateInput("作业日期")
    client_text = StringField("客户")
    client_ref = HiddenField()
    service = SelectField("作业项目", choices=[("", "请选择")] + [
        (value, f"{i} {label}") for i, (value, label) in enumerate(Service.choices(), start=1)],
        validate_choice=False)
    plot = StringField("地块")
    area_cmu = AreaField("面积")
    unit_price_fen = PriceField("单价", required=False,
                                description="选好客户和项目后自动填入价格表价格")
    machine_id = SelectField("农机", choices=[], coerce=_int_or_none, validate_choice=False,
                             invalid_value_message="找不到所选农机")
    operator = StringField("机手")
    fuel_cl = LitreField("油耗", required=False)
    note = StringField("备注")


class OrderEditForm(OrderForm, VersionedForm):
    """An order's own page: the edit carries the order's version."""


class PaymentForm(CoopForm):
    paid_on = DateInput("收款日期")
    amount_fen = YuanField("收款金额")
    method = SelectField("收款方式", choices=PaymentMethod.choices(), validate_choice=False)
    note = StringField("备注")


class ClientPaymentForm(PaymentForm):
    client_ref = HiddenField()


class ReverseForm(CoopForm):
    on = DateInput("冲销日期")
    area_cmu = AreaField("冲销面积", required=False, description="不填则冲销全部未冲销面积")
    reason = StringField("冲销原因")


class MachineForm(CoopForm):
    name = StringField("名称")
    category = SelectField("类别", choices=MachineCategory.choices(), validate_choice=False)
    model = StringField("型号")
    plate = StringField("牌照号")
    acquired_on = DateInput("购置（入股）日期")
    original_value_fen = YuanField("原值")
    source = SelectField("来源", choices=MachineSource.choices(), validate_choice=False,
                         description="政府补助：国家直接拨付的农机，原值计入当年的国家财政补助，"
                                     "由专业合作社平均量化给成员。用补助款购置、补助款已记为其他收入的，"
                                     "请选“合作社购置”，否则同一笔补助会计算两次。")
    useful_life_months = CountField("使用年限（月）")
    salvage_rate_bp = PercentField("残值率")
    status = SelectField("状态", choices=MachineStatus.choices(), validate_choice=False)
    disposed_on = DateInput("处置日期")
    note = StringField("备注")

    FIELDS = ("name", "category", "model", "plate", "acquired_on", "original_value_fen",
              "source", "useful_life_months", "salvage_rate_bp", "status", "disposed_on", "note")

    def values(self) -> dict:
        return {name: getattr(self, name).data for name in self.FIELDS}


class MachineEditForm(MachineForm, VersionedForm):
    """A machine's own page: the edit carries the machine's version."""


class ClientForm(CoopForm):
    kind = SelectField("类型", choices=[(k.value, k.label) for k in OUTSIDE_KINDS],
                       validate_choice=False)
    name = StringField("名称")
    contact_person = StringField("联系人")
    phone = StringField("电话")
    address = StringField("地址")
    note = StringField("备注")
    is_active = BooleanField("在用（作业登记时可选）", default=True)

    FIELDS = ("kind", "name", "contact_person", "phone", "address", "note", "is_active")

    def __init__(self, *args, outside_village_word: str = ClientKind.VILLAGE.label, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = client_kind_choices(OUTSIDE_KINDS, outside_village_word)

    def values(self) -> dict:
        return {name: getattr(self, name).data for name in self.FIELDS}


class ClientEditForm(ClientForm, VersionedForm):
    """A client's own page: the edit carries the client's version."""


class ExpenseForm(CoopForm):
    spent_on = DateInput("日期")
    kind = SelectField("类别", choices=ExpenseKind.choices(), validate_choice=False)
    machine_id = SelectField("农机", choices=[], coerce=_int_or_none, validate_choice=False,
                             invalid_value_message="找不到所选农机")
    amount_fen = YuanField("金额")
    payee = StringField("收款方")
    method = SelectField("付款方式", choices=PaymentMethod.choices(), default=PaymentMethod.CASH.value,
                         validate_choice=False)
    note = StringField("摘要")


class IncomeForm(CoopForm):
    received_on = DateInput("日期")
    kind = SelectField("类别", choices=IncomeKind.choices(), validate_choice=False,
                       description="政府补助和捐赠不计入盈余。国家直接拨付的农机在农机台账登记"
                                   "（来源选“政府补助”），不要再记在这里。")
    amount_fen = YuanField("金额")
    payer = StringField("付款方")
    note = StringField("摘要")


class CloseYearForm(CoopForm):
    carry_forward_fen = YuanField("留存不分配、结转下年的盈余", required=False,
                                  description="本年盈余中不在本年度分配方案里分配、留待以后年度的部分；"
                                              "本年度方案只分配其余部分。不留存填 0 或不填")
    expected_surplus_fen = IntegerField(widget=HiddenInput(), validators=[Optional()])
    note = StringField("备注")


class ReopenYearForm(CoopForm):
    reason = TextAreaField("重新开账的原因", description="例如：漏记了 12 月的一笔收入。申请须经监事确认后才生效")


def _price_fields() -> dict[str, PriceField]:
    """``<service>-member`` and ``<service>-market`` for each service (the
    names the price table posts)."""
    return {f"{service.value}-{suffix}": PriceField(f"{service.label}{what}", required=False)
            for service in Service
            for suffix, what in (("member", "成员价"), ("market", "市场价"))}


class _PriceList(CoopForm):
    """A year's price table: two prices per service, yuan per mu."""

    def pairs(self) -> dict[str, PricePair]:
        return {s.value: PricePair(self[f"{s.value}-member"].data, self[f"{s.value}-market"].data)
                for s in Service}

    def errors_by_name(self) -> dict[str, str]:
        return {name: "；".join(field.errors) for name, field in self._fields.items()
                if field.errors}


PriceListForm = type("PriceListForm", (_PriceList,), _price_fields())
