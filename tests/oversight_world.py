"""An area tree for the oversight tests: a county with two townships, a
village each, and the given cooperatives placed in the villages."""
from __future__ import annotations

from coop.cooperatives.api import Area, AreaLevel, get_by_code
from coop.extensions import db


def place(app, placements: dict[str, str]) -> dict[str, int]:
    """Areas C (county) > TA, TB (townships) > VA, VB (villages); each
    cooperative code in ``placements`` goes to its village ("VA" or "VB").
    Returns area code -> id."""
    with app.app_context():
        county = Area(code="C", name="测试县", level=AreaLevel.COUNTY)
        db.session.add(county)
        db.session.flush()
        ids = {"C": county.id}
        for t, v in (("TA", "VA"), ("TB", "VB")):
            town = Area(code=t, name=f"{t}镇", level=AreaLevel.TOWNSHIP, parent_id=county.id)
            db.session.add(town)
            db.session.flush()
            village = Area(code=v, name=f"{v}村", level=AreaLevel.VILLAGE, parent_id=town.id)
            db.session.add(village)
            db.session.flush()
            ids[t], ids[v] = town.id, village.id
        for code, village in placements.items():
            get_by_code(code).area_id = ids[village]
        db.session.commit()
        return ids
