"""coop.labels: a stored value's Chinese label, and what an unknown one shows."""
from coop.labels import LabelledEnum


class Colour(LabelledEnum):
    RED = "red", "红"
    BLUE = "blue", "蓝"


def test_a_stored_value_or_a_member_reads_as_its_label():
    assert Colour.label_of("red") == "红" and Colour.label_of(Colour.BLUE) == "蓝"
    assert Colour.RED == "red" and Colour.RED.label == "红"
    assert Colour.choices() == [("red", "红"), ("blue", "蓝")]


def test_an_unknown_or_empty_value_shows_itself_or_the_default():
    assert Colour.label_of("green") == "green" and Colour.label_of("green", "—") == "—"
    assert Colour.label_of(None) == "" and Colour.label_of(None, "未填") == "未填"
    assert Colour.label_of("") == "" and Colour.label_of("RED") == "RED"
