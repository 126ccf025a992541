"""The forms of the dispute and distribution-rights pages. They carry the
text and show the errors; every rule is in the services (disputes, rights)."""
from __future__ import annotations

from wtforms import BooleanField, StringField, TextAreaField

from coop.forms import ChoiceField, CoopForm, CountField, DateInput, VersionedForm
from coop.membership.constants import DisputeStage, DisputeStatus


class DisputeForm(CoopForm):
    member_no = StringField("成员编号", description="争议涉及本社成员（含待确认人员）的，填其成员编号；不是成员的留空")
    claimant = StringField("当事人", description="不是本社成员的，填当事人姓名；填了成员编号可以不填")
    claim = TextAreaField("争议事项", description="当事人的主张，例如：要求确认其因婚姻迁入取得的成员身份")
    opened_on = DateInput("争议日期", description="当事人提出异议或申请的日期")
    concerns_women = BooleanField("涉及妇女因结婚、离婚、丧偶等的成员身份")


class DisputeStepForm(CoopForm):
    stage = ChoiceField("处理途径", choices=DisputeStage.choices())
    on = DateInput("日期")
    note = TextAreaField("经过", description="受理机构、文书编号、结果，例如：某某镇人民政府调解，未达成协议")


class CloseDisputeForm(VersionedForm):
    outcome = TextAreaField("处理结果", description="调解协议、仲裁裁决或判决的内容")
    closed_on = DateInput("结案日期")


class DisputeFilterForm(CoopForm):
    class Meta:
        csrf = False

    status = ChoiceField("状态", choices=[("", "全部")] + DisputeStatus.choices(), default="")


class RightForm(CoopForm):
    member_no = StringField("编号", description="在成员名册中的编号，不能与成员重复")
    name = StringField("姓名")
    id_number = StringField("身份证号")
    household_no = StringField("户号")
    village_group = StringField("村民小组")
    phone = StringField("联系电话")
    # the choices are the cooperative's passed resolutions (set by the view)
    item_id = ChoiceField("成员大会决议", choices=[("", "（决议不在会议记录中，手工登记）")], default="")
    resolution_no = StringField("决议文号", description="只在上面没有选择决议时填写")
    resolved_on = DateInput("决议日期")
    votes_for = CountField("同意人数")
    all_members = CountField("全体成员人数", description="成员大会有表决权的成员总数（不是出席人数）")
    granted_on = DateInput("享有权利的起始日期")
