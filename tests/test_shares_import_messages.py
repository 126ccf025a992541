"""A refusal for a band or the cap says what would let the entry through
(issue 16): which entry to record first, or that a founding batch is checked
on its end state and what it lacks, or which resolution is needed."""
from __future__ import annotations

from datetime import date

import pytest

from coop.cooperatives.constants import ShareClass
from coop.errors import ServiceError
from coop.shares.rules import ClassBand, band_errors, batch_hint, cap_hint, entry_order_hint

BANDS = [ClassBand(ShareClass.COLLECTIVE, 6500, 6000, 7000),
         ClassBand(ShareClass.VILLAGER, 3100, 2600, 3600),
         ClassBand(ShareClass.CADRE, 400, 0, 600)]
REGISTER = {"collective": 650, "villager": 310, "cadre": 40}
D = date(2024, 6, 1)


def _plus(state, **more):
    return {k: state.get(k, 0) + more.get(k, 0) for k in set(state) | set(more)}


def test_the_entry_to_record_first_is_named_and_does_let_it_through():
    after = _plus(REGISTER, villager=80)  # 36.11 %, over 36 %
    hint = entry_order_hint(REGISTER, after, BANDS)
    assert hint == ("若还有集体股要入股，先登记集体股（至少 4 股，至多 166 股），再登记本笔："
                    "两笔各类股份都在章程区间内")
    for collective in (4, 166):
        first = _plus(REGISTER, collective=collective)
        assert band_errors(REGISTER, first, BANDS) == []
        assert band_errors(first, _plus(first, villager=80), BANDS) == []
    # one share fewer than named is not enough
    first = _plus(REGISTER, collective=3)
    assert band_errors(first, _plus(first, villager=80), BANDS)


@pytest.mark.parametrize("entry", [{"villager": 500}, {"cadre": 60}])
def test_no_order_is_named_when_no_single_entry_first_would_do(entry):
    """Villagers +500 needs 750 collective shares first, which alone takes the
    collective class over 70 %: only a resolution (or a batch) lets it through."""
    assert entry_order_hint(REGISTER, _plus(REGISTER, **entry), BANDS) == ""


def test_an_empty_register_names_no_order():
    assert entry_order_hint({}, {"villager": 100}, BANDS) == ""


def test_the_cap_says_how_many_shares_in_all_would_do():
    assert cap_hint(230, 1080, 2000) == (
        "全部股份达到 1,150 股以上时本笔即不超过上限：若还有其他成员要入股，"
        "先登记其他成员的入股（至少 70 股）再登记本笔")


def test_a_founding_batch_says_what_it_lacks_whatever_the_order():
    hint = batch_hint({"collective": 650, "villager": 200, "cadre": 40}, BANDS)
    assert hint == ("整批按登记完成后的股权结构检查，与行的先后顺序无关：本批再加入村民股至少 43 股"
                    "（至多 188 股），各类股份即都在章程区间内")
    assert band_errors({}, {"collective": 650, "villager": 243, "cadre": 40}, BANDS) == []
    assert band_errors({}, {"collective": 650, "villager": 242, "cadre": 40}, BANDS)


def test_a_refused_entry_names_the_order_the_cap_and_the_resolution(share_world, fingerprint):
    before = fingerprint()
    with pytest.raises(ServiceError) as exc:
        share_world.contribute("V003", "villager", 80, on=D)
    assert "先登记集体股（至少 4 股，至多 166 股），再登记本笔" in exc.value.message
    assert "否则须经成员（代表）大会决议同意突破章程的规定" in exc.value.message
    assert fingerprint() == before
    # recorded in the order named, neither needs a resolution
    share_world.contribute("C000", "collective", 4, on=D)
    share_world.contribute("V003", "villager", 80, on=D)
    assert share_world.totals(D) == {"collective": 654, "villager": 390, "cadre": 40}

    with pytest.raises(ServiceError) as exc:
        share_world.contribute("V002", "villager", 100, on=D)
    assert "全部股份达到 1,300 股以上时本笔即不超过上限" in exc.value.message


def test_a_founding_batch_refusal_says_the_order_does_not_matter(empty_share_world):
    with pytest.raises(ServiceError) as exc:
        empty_share_world.found([("C000", "collective", 650, "in_kind"), ("G001", "cadre", 40),
                                 ("V001", "villager", 100), ("V002", "villager", 100)])
    assert "与行的先后顺序无关：本批再加入村民股至少" in exc.value.message
    assert "设立登记”页面" not in exc.value.message  # it is the founding batch already
