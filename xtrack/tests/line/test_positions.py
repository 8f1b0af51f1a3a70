"""s of element entries: cumulative sums of the lengths, as MAD-X sequences give them."""

import xtrack as xt


def _line():
    return xt.Line(elements=[xt.Drift(length=1.0), xt.Quadrupole(length=0.2), xt.Drift(length=1.0)],
                   element_names=["d1", "qf", "d2"])


def test_entries_are_previous_exits_exactly():
    line = _line()
    # 1.0 + 0.2 == 1.2 in binary floating point, but 2.2 - 1.0 != 1.2
    assert line.get_s_elements() == [0.0, 1.0, 1.2]
    assert line.get_s_elements(mode="downstream") == [1.0, 1.2, 2.2]
    assert list(line.get_table()["s"]) == [0.0, 1.0, 1.2, 2.2]
    assert line.get_length() == 2.2
