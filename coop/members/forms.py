from __future__ import annotations

from flask_wtf.file import FileField
from wtforms import BooleanField, HiddenField, StringField

from coop.forms import CoopForm, SelectField, VersionedForm
from coop.cooperatives.api import Wording
from coop.members.constants import MemberKind, MemberStatus, status_choices
from coop.members.bank import BANK_FIELDS
from coop.members.rules import MEMBER_FIELDS
from coop.members.services import STATUS_CHOICES


class MemberForm(CoopForm):
    """Create or edit a member, with the bank details dividends are paid to
    (the account number in full only on this form). The rules are in
    coop.members.rules/bank/services; the form only carries the text and shows
    the errors."""

    member_no = StringField("成员编号", description="本社内唯一，例如 CY0001")
    name = StringField("姓名")
    kind = SelectField("成员类别", choices=MemberKind.choices(),
                       default="villager")
    household_no = StringField(
        "户号", description="同一户的成员填同一个户号（表决仍是一人一票，户号用于户籍登记和同户委托）")
    relation_to_head = StringField(
        "与户主关系", description="例如 户主、配偶、长子，不超过 10 个字；成员名册（备案）有这一栏")
    village_group = StringField("村民小组")
    id_number = StringField("身份证号", description="18 位，最后一位可以是 X")
    phone = StringField("联系电话", description="手机号码，11 位")
    is_party_member = BooleanField("党员")
    joined_on = StringField("入社日期", description="例如 2023-03-15")
    bank_name = StringField("开户行", description="例如 农村信用社XX支行；用于银行代发分红")
    bank_account = StringField("银行账号", description="12–30 位数字，可以带空格")
    bank_holder = StringField("户名", description="不填则为成员本人姓名")

    def values(self) -> dict:
        values = {name: getattr(self, name).data for name in (*MEMBER_FIELDS, *BANK_FIELDS)}
        if self.relation_to_head.raw_data:
            # only when posted: a form without the box (a page opened before
            # it was added) leaves the relation as it is
            values["relation_to_head"] = self.relation_to_head.data
        return values

    @classmethod
    def for_member(cls, member) -> "MemberForm":
        form = cls(obj=member, formdata=None)
        form.joined_on.data = member.joined_on.isoformat() if member.joined_on else ""
        form.id_number.data = member.id_number or ""
        return form


class MemberEditForm(MemberForm, VersionedForm):
    """A member's edit page: the save carries the member's version."""


class StatusForm(VersionedForm):
    status = SelectField("新状态", choices=list(STATUS_CHOICES.items()))
    on_date = StringField("日期", description="退社、去世或重新入社的实际日期（须填写，不默认今天）")
    reason = StringField("说明", description="选填，例如：本人书面申请退社")


class ReverseStatusForm(VersionedForm):
    """Reverse a status change entered in error; the version is the change's."""

    reason = StringField("撤销原因", description="必填，例如：误将本人登记为已故，实际健在")


class ImportForm(CoopForm):
    file = FileField("成员名册文件（.xlsx）")


class ConfirmImportForm(CoopForm):
    token = HiddenField()


class RosterFilterForm(CoopForm):
    """The search form: a GET form, no CSRF (it changes nothing)."""

    class Meta:
        csrf = False

    q = StringField("搜索", description="成员编号、姓名、拼音首字母（如 zs）、电话或身份证号后几位")
    kind = SelectField("类别", choices=[("", "全部")] + MemberKind.choices())
    village_group = SelectField("村民小组", choices=[("", "全部")], validate_choice=False)
    party = SelectField("党员", choices=[("", "全部"), ("1", "党员"), ("0", "非党员")])
    status = SelectField("状态", choices=[("", "全部")] + MemberStatus.choices())
    sort = HiddenField(default="member_no")

    def use_words(self, words: Wording) -> None:
        """Offer only the statuses the cooperative's law knows (pending and
        the like come of the assembly's confirmation, RCEO art 12)."""
        self.status.choices = [("", "全部")] + status_choices(words.confirms_membership)
    direction = HiddenField(default="asc")


class HouseholdFilterForm(CoopForm):
    """The households' search: a GET form, no CSRF."""

    class Meta:
        csrf = False

    q = StringField("户号")
