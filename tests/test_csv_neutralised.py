"""coop.spreadsheets' CSV writer: a text that a spreadsheet would take for a
formula is written with a leading apostrophe; anything else as it is."""
import csv
import io

from hypothesis import given
from hypothesis import strategies as st

from coop.spreadsheets import csv_text, csv_writer, is_formula_like


def _written(*rows) -> list[list[str]]:
    out = io.StringIO()
    writer = csv_writer(out)
    writer.writerow(rows[0])
    writer.writerows(rows[1:])
    return list(csv.reader(io.StringIO(out.getvalue())))


def test_formula_like_cells_are_quoted_and_the_rest_of_the_row_kept():
    rows = _written(("M001", "=HYPERLINK(\"x\")", 5, "@SUM(A1)"), ["M002", "王五", 6, "-12"],
                    ("M003", "\t+1", None, "+86 130"), ("M004", "李四", 7, "ok"))
    assert rows == [["M001", "'=HYPERLINK(\"x\")", "5", "'@SUM(A1)"],
                    ["M002", "王五", "6", "-12"],
                    ["M003", "'\t+1", "", "'+86 130"],
                    ["M004", "李四", "7", "ok"]]


@given(st.lists(st.one_of(st.integers(), st.none(),
                          st.text(alphabet=st.sampled_from("=+-@\t0123456789,.%王a "))),
                min_size=1))
def test_every_cell_reads_back_as_itself_and_none_as_a_formula(row):
    (read,) = _written(row)
    assert len(read) == len(row)
    for cell, written in zip(row, read):
        assert not is_formula_like(written)
        assert csv_text(written) == ("" if cell is None else str(cell))
