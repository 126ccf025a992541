"""Forms of the plan workflow. Counts are whole numbers, dates typed or picked."""
from __future__ import annotations

from wtforms import RadioField, TextAreaField

from coop.dividends.constants import PayoutMethod, WeightBasis
from coop.dividends.rules import DEFAULT_NOTICE_DAYS
from coop.forms import (ChoiceField, CoopForm, CountField, DateInput, PercentField, SelectField,
                        VersionedForm)


class YearField(SelectField):
    """A year picked from the list; any other text gets a message in Chinese."""

    def process_formdata(self, valuelist):
        text = (valuelist[0] if valuelist else "").strip()
        self.data = None
        if not text:
            return
        if not (text.isascii() and text.isdigit() and len(text) == 4):
            raise ValueError("年度应为四位数字，例如 2025")
        self.data = int(text)

    def pre_validate(self, form):
        pass  # the service says what is wrong with a year


class ComputeForm(CoopForm):
    year = YearField("年度", coerce=int)
    weight_basis = RadioField("按股分配的依据", choices=WeightBasis.choices(),
                              default="record_date", validate_choice=False)
    record_date = DateInput("股权登记日", description="默认该年 12 月 31 日；按持股天数时只用于统计持股和土地")

    def __init__(self, *args, years: list[int] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.year.choices = [(y, f"{y} 年度") for y in years]


class RecordDateForm(VersionedForm):
    record_date = DateInput("股权登记日")
    conversion_bp = PercentField(
        "可分配盈余转为出资的比例", required=False,
        description="农民专业合作社：经成员大会决议，每位成员应分盈余的这一比例按每股面值折为整股转为出资，"
                    "不足一股的部分发现金；0 为全部发现金（《农民专业合作社法》第四十四条）")


class ReviewForm(VersionedForm):
    note = TextAreaField("审核意见", description="监事对方案和年度财务数字的审核意见")


class ReturnForm(VersionedForm):
    reason = TextAreaField("退回理由", description="退回后方案回到草案，修改后须重新审核")


class DiscloseForm(VersionedForm):
    disclosed_on = DateInput("向成员公开的日期",
                             description="方案、年度财务数字和经营报告从这一天起供成员查阅；"
                                         "须在会议召开 10 日前（专业合作社 15 日前）")


class PublishForm(VersionedForm):
    notice_start = DateInput("公示开始日期")
    notice_days = CountField("公示天数", default=DEFAULT_NOTICE_DAYS)


class PayForm(CoopForm):
    paid_on = DateInput("发放日期")
    method = ChoiceField("发放方式", choices=[("", "请选择")] + [
        c for c in PayoutMethod.choices() if c[0] != PayoutMethod.BANK_BATCH.value])


class ReverseForm(CoopForm):
    reason = TextAreaField("撤销原因", description="例如：登记错了人，该成员尚未领取；撤销后该成员重新列为未发放")


class BatchReverseForm(ReverseForm):
    reason = TextAreaField("撤销原因", description="例如：发放日期或方式登记错了，这批成员尚未领取；撤销后这一批的每个人都重新列为未发放")


class BankPayForm(CoopForm):
    paid_on = DateInput("银行代发日期", description="银行实际代发的日期")
