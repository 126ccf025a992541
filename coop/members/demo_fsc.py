"""Members of hxnj, the second demo cooperative (a farmers' specialized
cooperative, README "Demo cooperative hxnj"): the village collective of
红星村 and 42 farmers.

The founders (the collective and 32 farmers) joined on the founding day,
2023-11-18; six farmers joined in spring 2024 and four in spring 2025.
Member numbers: JT001 the collective, HX001-HX042 the farmers in the order
they joined. One member a household (household number = village group and
house). Deterministic: a seeded generator.
"""
from __future__ import annotations

import random
from datetime import date, timedelta

from coop import clock
from coop.cooperatives.api import Cooperative
from coop.idcodes import resident_id_check_char
from coop.members.demo import FEMALE, MALE, PHONE_PREFIXES, SURNAMES
from coop.members.services import create_member

SEED = 20231118
FOUNDED = date(2023, 11, 18)
FOUNDERS, JOINED_2024, JOINED_2025 = 32, 6, 4
COLLECTIVE = {"member_no": "JT001", "name": "红星村股份经济合作社"}
GROUPS = ("一组", "二组", "三组", "四组")
REGIONS = ("150221",) * 9 + ("150202", "150207", "150222")  # Tumed Right Banner first
# the chairman, the accountant and the supervisor of the demo logins come first
NAMED = (("HX001", "赵振华", True), ("HX002", "刘桂芳", False), ("HX003", "郝建民", True))


def _id_number(rng: random.Random, used: set[str], born: date, male: bool) -> str:
    while True:
        seq = rng.randrange(0, 100) * 10 + rng.choice((1, 3, 5, 7, 9) if male else (0, 2, 4, 6, 8))
        first17 = f"{rng.choice(REGIONS)}{born:%Y%m%d}{seq:03d}"
        value = first17 + resident_id_check_char(first17)
        if value not in used:
            used.add(value)
            return value


def _joined(rng: random.Random, n: int) -> date:
    if n <= FOUNDERS:
        return FOUNDED
    if n <= FOUNDERS + JOINED_2024:
        return date(2024, 3, 1) + timedelta(days=rng.randrange(40))
    return date(2025, 3, 20) + timedelta(days=rng.randrange(30))


def plan_members() -> list[dict]:
    """The members as create_member arguments (no database), in joining order."""
    rng = random.Random(SEED)
    ids: set[str] = set()
    names: set[str] = set()
    phones: set[str] = set()
    members = [{**COLLECTIVE, "kind": "collective", "joined_on": FOUNDED}]
    for n in range(1, FOUNDERS + JOINED_2024 + JOINED_2025 + 1):
        member_no = f"HX{n:03d}"
        named = next((entry for entry in NAMED if entry[0] == member_no), None)
        male = named[2] if named else rng.random() < 0.75  # mostly heads of households
        name = named[1] if named else ""
        while not name or name in names:
            name = rng.choice(SURNAMES) + rng.choice(MALE if male else FEMALE)
        names.add(name)
        born = date(rng.randrange(1958, 1994), 1, 1) + timedelta(days=rng.randrange(365))
        phone = ""
        while not phone or phone in phones:
            phone = rng.choice(PHONE_PREFIXES) + f"{rng.randrange(10**8):08d}"
        phones.add(phone)
        group = rng.randrange(len(GROUPS))
        members.append({
            "member_no": member_no, "name": name, "kind": "villager",
            "household_no": f"{group + 1:02d}{n + 100:03d}", "village_group": GROUPS[group],
            "id_number": _id_number(rng, ids, born, male), "phone": phone,
            "is_party_member": named is not None or rng.random() < 0.15,
            "joined_on": _joined(rng, n),
        })
    return members


def load(coop: Cooperative) -> None:
    """Each member recorded on the day he or she joined."""
    for values in plan_members():
        with clock.replaying(values["joined_on"]):
            create_member(coop, **values)
