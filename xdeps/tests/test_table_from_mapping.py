import numpy as np
import pytest
import xdeps


class _Mapping:
    """A read-only mapping of columns, as other codes' tables are (e.g. cpymad's)."""

    def __init__(self, cols):
        self._cols = cols

    def keys(self):
        return self._cols.keys()

    def __getitem__(self, key):
        return self._cols[key]


def test_table_from_a_mapping_and_column_copies():
    x = np.array([1.0, 2.0, 3.0])
    cols = {"name": np.array(["a", "b", "c"]), "x": x}
    shared = xdeps.Table(_Mapping(cols))
    copied = xdeps.Table(_Mapping(cols), _copy_cols=True)
    x[0] = 10.0
    assert shared["x", "a"] == 10.0
    assert copied["x", "a"] == 1.0


def test_table_rejects_data_that_is_not_a_mapping():
    with pytest.raises(TypeError, match="must be a dict"):
        xdeps.Table([1, 2, 3])
