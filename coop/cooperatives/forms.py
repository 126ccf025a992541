from __future__ import annotations

from wtforms import SelectField, StringField

from coop.cooperatives.constants import DistributionMode, ShareClass
from coop.cooperatives.rules import CHARTER_FIELDS, charter_errors
from coop.forms import PercentField, VersionedForm, YuanField


class CharterForm(VersionedForm):
    name = StringField("合作社名称")
    credit_code = StringField("统一社会信用代码")
    village = StringField("所在村")
    town = StringField("所在镇（乡）")
    par_value_fen = YuanField("每股面值")
    distribution_mode = SelectField(
        "分配方式", choices=DistributionMode.choices()
    )
    collective_target_bp = PercentField("集体股目标比例")
    collective_min_bp = PercentField("集体股区间下限")
    collective_max_bp = PercentField("集体股区间上限")
    villager_target_bp = PercentField("村民股目标比例")
    villager_min_bp = PercentField("村民股区间下限")
    villager_max_bp = PercentField("村民股区间上限")
    cadre_target_bp = PercentField("干部股目标比例")
    cadre_min_bp = PercentField("干部股区间下限")
    cadre_max_bp = PercentField("干部股区间上限")
    member_cap_bp = PercentField("单一成员持股上限")
    reserve_rate_bp = PercentField("公积金提取比例")
    welfare_rate_bp = PercentField("公益金提取比例")
    risk_rate_bp = PercentField("风险金提取比例")
    patronage_rate_bp = PercentField("按交易量返还比例")
    guaranteed_fen_per_mu = YuanField("每亩保底收益", description="每亩每年，元；不用保底时填 0")

    CLASS_ROWS = [(sc, sc.label) for sc in ShareClass]

    locked_par_value_fen: int | None = None

    def values(self) -> dict:
        return {name: getattr(self, name).data for name in CHARTER_FIELDS}

    def lock_par_value(self, current_fen: int, reason: str) -> None:
        """Show the par value disabled with ``reason``. A disabled input is not
        posted: its value is then the current one; a posted change is refused."""
        field = self.par_value_fen
        field.render_kw = {**(field.render_kw or {}), "disabled": True}
        field.description = reason
        self.locked_par_value_fen = current_fen
        if not field.raw_data:
            field.data = current_fen
            field.process_errors = []

    def validate(self, extra_validators=None) -> bool:
        super().validate(extra_validators)
        field = self.par_value_fen
        if (self.locked_par_value_fen is not None and not field.errors
                and field.data != self.locked_par_value_fen):
            field.errors = [field.description]
        for name, message in charter_errors(self.values()).items():
            field = getattr(self, name)
            if not field.errors:  # a parse error already says what is wrong
                field.errors = [*field.errors, message]
        return not any(f.errors for f in self)

    def class_fields(self, share_class: ShareClass):
        return (getattr(self, f"{share_class.value}_{part}_bp") for part in ("target", "min", "max"))
