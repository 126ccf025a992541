"""Demo members of wljs: the village collective, 200 villagers in 120
households (31 party-member households), 6 cadres.

Everything comes from a seeded random generator, so member numbers, names and
ID numbers are the same on every run. Member numbers: JT001 the collective,
GB001-GB006 the cadres, CY0001-CY0200 the villagers (in household order).
"""
from __future__ import annotations

import random
from datetime import date, timedelta

from coop import clock
from coop.cooperatives.api import Cooperative
from coop.idcodes import resident_id_check_char
from coop.members.services import create_member

SEED = 20230315
HOUSEHOLDS = 120
VILLAGERS = 200
CADRES = 6
PARTY_HOUSEHOLDS = 31
GROUPS = ("一组", "二组", "三组", "四组", "五组", "六组")
COLLECTIVE = {"member_no": "JT001", "name": "乌兰计三村集体经济组织"}
FIRST_BUY_IN = date(2023, 3, 15)  # the party-member households bought in first

# surnames common in the Han villages around Baotou, most frequent first
SURNAMES = (
    "王王王李李李张张张刘刘刘杨杨赵赵陈郭郭高高马马韩贾孙田白任武乔薛梁霍闫边"
    "郝胡冯石曹段侯杜牛崔吕康苏魏"
)
MALE = ("建国 建军 志强 国平 海军 永明 福林 玉山 占奎 宝柱 二虎 三旦 根小 来福 满仓 二小 "
        "俊峰 晓东 文斌 鹏飞 海龙 振华 利军 宏伟 国庆 春生 树林 长青 德胜 有才 金锁 拴柱 "
        "亮 强 斌 勇 军 刚 磊 伟").split()
FEMALE = ("秀英 桂兰 玉兰 秀兰 凤英 翠花 改梅 润莲 海英 丽华 春梅 月娥 金凤 彩霞 美玲 "
          "晓燕 丽娟 艳芳 素琴 俊英 红梅 雪梅 慧 静 燕 芳 霞 敏 娟 丽").split()
MONGOLIAN_MALE = "巴特尔 额尔敦 宝音图 苏和 朝鲁 阿拉坦仓 巴雅尔 孟和 那顺 毕力格".split()
MONGOLIAN_FEMALE = "乌云其木格 萨仁高娃 斯琴 其其格 娜仁 托娅 格日勒 塔娜 乌兰 琪琪格".split()
# Kundulun district first; some members were born in the rest of Baotou
REGIONS = ("150203",) * 17 + ("150202", "150204", "150205", "150207", "150221", "150222")
PHONE_PREFIXES = ("130 131 132 133 134 135 136 137 138 139 150 151 152 155 156 157 158 159 "
                  "176 177 180 181 182 183 185 186 187 188 189 198").split()
CADRE_NAMES = ("王建国", "李秀英")  # the secretary and the accountant of the demo logins


class _People:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.ids: set[str] = set()
        self.phones: set[str] = set()
        self.names: set[str] = set()

    def id_number(self, born: date, male: bool) -> str:
        while True:
            seq = self.rng.randrange(0, 100) * 10 + self.rng.choice(
                (1, 3, 5, 7, 9) if male else (0, 2, 4, 6, 8))
            first17 = f"{self.rng.choice(REGIONS)}{born:%Y%m%d}{seq:03d}"
            value = first17 + resident_id_check_char(first17)
            if value not in self.ids:
                self.ids.add(value)
                return value

    def phone(self) -> str:
        if self.rng.random() < 0.12:
            return ""  # some older members have no mobile
        while True:
            value = self.rng.choice(PHONE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"
            if value not in self.phones:
                self.phones.add(value)
                return value

    def name(self, surname: str | None, male: bool, mongolian: bool) -> str:
        for _ in range(50):
            if mongolian:
                value = self.rng.choice(MONGOLIAN_MALE if male else MONGOLIAN_FEMALE)
                if self.rng.random() < 0.5:
                    value = self.rng.choice("包白韩吴") + value[:2]
            else:
                value = (surname or self.rng.choice(SURNAMES)) + self.rng.choice(
                    MALE if male else FEMALE)
            if value not in self.names:
                self.names.add(value)
                return value
        return value

    def born(self, first_year: int, last_year: int) -> date:
        start = date(first_year, 1, 1)
        return start + timedelta(days=self.rng.randrange((date(last_year, 12, 31) - start).days))


def _household_sizes(rng: random.Random) -> list[int]:
    sizes = [1] * HOUSEHOLDS
    extra = VILLAGERS + CADRES - HOUSEHOLDS
    while extra:
        i = rng.randrange(HOUSEHOLDS)
        if sizes[i] < 3:
            sizes[i] += 1
            extra -= 1
    return sizes


def plan_members() -> list[dict]:
    """The demo members as create_member arguments (no database)."""
    rng = random.Random(SEED)
    people = _People(rng)
    sizes = _household_sizes(rng)
    cadre_households = sorted(rng.sample(range(HOUSEHOLDS), CADRES))
    others = [h for h in range(HOUSEHOLDS) if h not in cadre_households]
    party_households = set(cadre_households) | set(
        rng.sample(others, PARTY_HOUSEHOLDS - CADRES))
    members = [{**COLLECTIVE, "kind": "collective", "joined_on": FIRST_BUY_IN}]
    villager_no = cadre_no = 0
    for h in range(HOUSEHOLDS):
        group_index = h * len(GROUPS) // HOUSEHOLDS
        household_no = f"{group_index + 1:02d}{h + 1:03d}"
        is_cadre_household = h in cadre_households
        party = h in party_households
        joined = FIRST_BUY_IN if party else date(2023, 4, 1) + timedelta(days=rng.randrange(90))
        mongolian = rng.random() < 0.08
        head_male = rng.random() < 0.8
        surname = rng.choice(SURNAMES)
        named_cadre = CADRE_NAMES[cadre_no] if is_cadre_household and cadre_no < len(
            CADRE_NAMES) else None
        if named_cadre:
            head_male, surname, mongolian = named_cadre == "王建国", named_cadre[0], False
        head_year = rng.randrange(1952, 1986)
        for position in range(sizes[h]):
            if position == 0:
                male, born = head_male, people.born(head_year, head_year)
                family = surname
            elif position == 1:
                male = not head_male
                born = people.born(head_year - 4, min(head_year + 5, 2004))
                family = None  # a spouse keeps her or his own surname
            else:
                male = rng.random() < 0.6
                born = people.born(min(head_year + 22, 2004), min(head_year + 30, 2004))
                family = surname if head_male else None
            cadre = is_cadre_household and position == 0
            if cadre and named_cadre:
                name = named_cadre
                people.names.add(name)
            else:
                name = people.name(family, male, mongolian)
            if cadre:
                cadre_no += 1
                member_no, kind = f"GB{cadre_no:03d}", "cadre"
            else:
                villager_no += 1
                member_no, kind = f"CY{villager_no:04d}", "villager"
            members.append({
                "member_no": member_no,
                "name": name,
                "kind": kind,
                "household_no": household_no,
                "village_group": GROUPS[group_index],
                "id_number": people.id_number(born, male),
                "phone": people.phone(),
                # the head of a party household is a party member, now and then a second one
                "is_party_member": party and (cadre or position == 0 or rng.random() < 0.25),
                "joined_on": joined,
            })
    return members


def load(coop: Cooperative) -> None:
    """Each member recorded on the day he or she joined."""
    for values in plan_members():
        with clock.replaying(values["joined_on"]):
            create_member(coop, **values)
