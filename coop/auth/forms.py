from __future__ import annotations

from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from coop.auth.models import Role, role_label
from coop.forms import ChoiceField, CoopForm


class LoginForm(CoopForm):
    # a cooperative's code, or an overseer's area code
    coop = StringField("合作社或辖区代码",
                       validators=[DataRequired(message="请填写合作社或辖区代码"), Length(max=32)],
                       description="乡镇、县的监管人员填写辖区代码")
    username = StringField("用户名或成员编号",
                           validators=[DataRequired(message="请填写用户名"), Length(max=64)])
    password = PasswordField("密码", validators=[DataRequired(message="请填写密码"),
                                               Length(max=128)])


class ChangePasswordForm(CoopForm):
    current = PasswordField("当前密码", validators=[DataRequired(message="请填写当前密码")])
    new = PasswordField("新密码", validators=[DataRequired(message="请填写新密码")],
                        description="至少 10 位，几个词连成一句也可以；不要用常见密码，"
                                    "也不要用用户名、姓名或姓名拼音加数字")
    repeat = PasswordField("再次输入新密码", validators=[DataRequired(message="请再次输入新密码")])


class UserForm(CoopForm):
    username = StringField("用户名", validators=[DataRequired(message="请填写用户名")],
                           description="字母、数字、下划线或短横线")
    display_name = StringField("姓名", validators=[DataRequired(message="请填写姓名")])
    role = ChoiceField("角色", choices=[(r.value, r.label) for r in Role
                                      if r not in (Role.MEMBER, Role.OVERSEER)])

    def name_roles_for(self, cooperative) -> "UserForm":
        """The roles in the words of ``cooperative`` (its secretary's title)."""
        self.role.choices = [(value, role_label(value, cooperative)) for value, _ in self.role.choices]
        return self
