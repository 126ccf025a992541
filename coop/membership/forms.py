"""The forms of the membership pages. They carry the text and show the
errors; every rule is in coop.membership.rules and the services."""
from __future__ import annotations

from flask_wtf.file import FileField
from wtforms import BooleanField, SelectMultipleField, StringField, TextAreaField
from wtforms.widgets import CheckboxInput, ListWidget

from coop.forms import ChoiceField, CoopForm, DateInput, VersionedForm
from coop.membership.constants import GAIN_REASONS, EventReason, EventStatus, WithdrawalTerms
from coop.membership.evidence import MAX_SCAN_BYTES, Scan
from coop.membership.households import RELATIONS
from coop.membership.rules import RefusedGround, RefusedTerms

_MB = MAX_SCAN_BYTES // (1024 * 1024)
GAIN_CHOICES = [(r.value, r.label) for r in EventReason if r in GAIN_REASONS]
LOSS_CHOICES = [(r.value, r.label) for r in EventReason if r not in GAIN_REASONS]
# the grounds 第十八条 refuses, offered so that the refusal is shown where the mistake is made
REFUSED_CHOICES = [(g.value, f"{g.label}（不丧失成员身份）") for g in RefusedGround]


class _Evidence:
    doc_type = StringField("证明材料", description="例如：出生医学证明、结婚证、户口迁移证明、死亡证明、书面申请")
    doc_no = StringField("文号或编号")
    doc_date = DateInput("材料日期")
    scan = FileField("扫描件（可不传）", description=f"PDF、JPEG 或 PNG，不超过 {_MB} MB；只有本社工作人员可以查看")

    def scan_upload(self) -> Scan | None:
        upload = self.scan.data
        if upload is None or not getattr(upload, "filename", ""):
            return None
        return Scan(upload.filename, upload.read(MAX_SCAN_BYTES + 1))


class GainForm(_Evidence, CoopForm):
    reason = ChoiceField("取得方式", choices=GAIN_CHOICES)
    occurs_on = DateInput("事由发生日期", description="出生日期、结婚登记日期、收养登记日期或迁入日期")
    name = StringField("姓名")
    id_number = StringField("身份证号")
    relative_no = StringField("本社亲属的成员编号",
                              description="出生填父亲或母亲，结婚填配偶，收养填收养人；政策性移民和其他方式可不填")
    member_no = StringField("成员编号", description="留空则按顺序自动编号")
    household_no = StringField("户号", description="留空：随亲属入户；没有亲属的另立新户")
    village_group = StringField("村民小组", description="留空则与亲属相同")
    relation_to_head = ChoiceField("与户主关系", choices=[("", "（随入户情况）")] + [(r, r) for r in RELATIONS],
                                   default="")
    phone = StringField("联系电话")
    detail = TextAreaField("说明", description="其他方式取得的，写明依据")
    marital = BooleanField("此变动因结婚或离婚引起")


class LossForm(_Evidence, CoopForm):
    reason = ChoiceField("丧失原因", choices=[("", "（请选择）")] + LOSS_CHOICES + REFUSED_CHOICES,
                         default="")
    occurs_on = DateInput("事由发生日期", description="死亡日期、取得其他集体成员身份或录用为公务员的日期、申请日期")
    membership_elsewhere = StringField("已在哪个集体经济组织取得成员身份",
                                       description="婚姻迁出或取得其他集体成员身份时必填")
    contract_civil_servant = BooleanField("是聘任制公务员")
    withdrawal_terms = ChoiceField("退出安排", default="", choices=[("", "（自愿退出时选择）")]
                                   + WithdrawalTerms.choices()
                                   + [(t.value, f"{t.label}（法律不允许）") for t in RefusedTerms])
    rights_kept_until = DateInput("保留权益至", description="约定在一定期限内保留已享有的财产权益时填写")
    detail = TextAreaField("说明", description="章程规定的情形写明章程条款；其他需要说明的情况")
    marital = BooleanField("此变动因结婚或离婚引起")


class EvidenceForm(_Evidence, VersionedForm):
    pass


class ReviewForm(VersionedForm):
    review_note = TextAreaField("复核意见", description="写明核实了什么，是否损害其成员权益")


class CancelForm(VersionedForm):
    pass


class EventFilterForm(CoopForm):
    class Meta:
        csrf = False

    status = ChoiceField("状态", default="", choices=[("", "全部"), ("open", "待确认（含已列入名单）")]
                         + EventStatus.choices())
    direction = ChoiceField("类别", default="", choices=[("", "全部"), ("gain", "取得"), ("loss", "丧失")])
    review = ChoiceField("妇女权益复核", default="",
                         choices=[("", "全部"), ("flagged", "涉及第八条"), ("awaiting", "待复核")])


class SplitForm(CoopForm):
    member_ids = SelectMultipleField("分出去的成员", coerce=int, choices=[],
                                     widget=ListWidget(prefix_label=False), option_widget=CheckboxInput())
    head_id = ChoiceField("新户户主", choices=[])
    new_no = StringField("新户号", description="留空则按顺序编号")


class MergeForm(CoopForm):
    into_no = StringField("并入的户号", description="本户全体成员迁入该户，本户户主改为“其他”")


class MoveForm(CoopForm):
    member_id = ChoiceField("成员", choices=[])
    household_no = StringField("迁入的户号", description="例如本村成员之间结婚，一方迁入另一方的户")
    relation_to_head = ChoiceField("与户主关系", choices=[(r, r) for r in RELATIONS])
