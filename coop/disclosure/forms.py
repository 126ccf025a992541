from __future__ import annotations

from wtforms import StringField

from coop import clock
from coop.forms import CoopForm, DateInput


class PublishForm(CoopForm):
    published_on = DateInput("公开日期", default=clock.today,
                             description="张贴到村务公开栏、成员可在手机上查看的日期；"
                                         "本期已在公开栏张贴过的，填写当时张贴的日期")


class CorrectionForm(PublishForm):
    reason = StringField("更正原因", description="写明更正什么、为什么更正，成员会看到（最多 200 字）")
