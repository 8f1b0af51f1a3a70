"""Table: selection semantics, scalars, display, pandas export, concatenation."""

import io

import numpy as np
import pytest

import xdeps as xd


@pytest.fixture
def table():
    return xd.Table(
        {
            "name": np.array(["start", "mq.1", "mb.1", "ip1", "mb.2", "mq.1", "end"]),
            "s": np.array([0.0, 1.0, 2.5, 4.0, 5.5, 7.0, 8.0]),
            "betx": np.array([10.0, 12.0, 11.0, 0.5, 11.0, 12.0, 10.0]),
            "qx": 0.31,
            "note": "a string scalar",
        },
        col_names=["name", "s", "betx"],
    )


def test_columns_scalars_and_cells(table):
    assert table.qx == 0.31
    assert table["qx"] == 0.31
    np.testing.assert_array_equal(table["betx"], table.betx)
    assert table["betx", "ip1"] == 0.5
    assert table["betx", 3] == 0.5
    assert table["betx", -1] == 10.0
    assert table["s", "mq.1::1"] == 7.0
    assert table["s", "ip1>>1"] == 5.5
    assert table["s", "ip1<<2"] == 1.0
    np.testing.assert_array_equal(table["s", ["ip1", "end"]], [4.0, 8.0])
    assert table.keys() == ["name", "s", "betx", "qx", "note"]
    assert len(table) == 7


def test_missing_names_raise_with_close_matches(table):
    with pytest.raises(KeyError, match="close matches: 'betx'"):
        table["bety"]
    with pytest.raises(AttributeError, match="close matches: 'betx'"):
        table.betz  # noqa: B018
    with pytest.raises(KeyError, match="close matches: 'ip1'"):
        table["betx", "ip2"]
    with pytest.raises(KeyError, match="column"):
        table.cols["bety"]


@pytest.mark.parametrize(
    "selector, names",
    [
        ("ip1", ["ip1"]),
        ("mq.1", ["mq.1", "mq.1"]),
        ("mb.*", ["mb.1", "mb.2"]),
        ("m[qb]\\.1", ["mq.1", "mb.1", "mq.1"]),
        ("nothing.*", []),
        (2, ["mb.1"]),
        (-1, ["end"]),
        (slice(1, 3), ["mq.1", "mb.1"]),
        (slice(None, None, 3), ["start", "ip1", "end"]),
        (slice("mb.1", "mb.2"), ["mb.1", "ip1", "mb.2"]),
        (slice("ip1", None), ["ip1", "mb.2", "mq.1", "end"]),
        (slice(2.0, 5.5, "s"), ["mb.1", "ip1", "mb.2"]),
        (slice(None, 1.0, "s"), ["start", "mq.1"]),
        (slice("mb.1", "mb.2", "s"), ["mb.1", "ip1", "mb.2"]),
        (slice("ip1%%-1.5", "ip1%%1.5", "s"), ["mb.1", "ip1", "mb.2"]),
        (["end", "start"], ["end", "start"]),
        (np.array([0, 6]), ["start", "end"]),
        (["ip1", slice(0, 1)], ["ip1", "start"]),
    ],
)
def test_row_selection(table, selector, names):
    selected = table.rows[selector]
    assert list(selected.name) == names
    assert isinstance(selected, xd.Table)
    assert selected.qx == 0.31
    assert list(table.name[table.rows.indices[selector]]) == names


def test_row_mask(table):
    mask = table.betx > 11.5
    assert list(table.rows[mask].name) == ["mq.1", "mq.1"]
    np.testing.assert_array_equal(table.rows.mask["mb.*"], [0, 0, 1, 0, 1, 0, 0])
    with pytest.raises(ValueError, match="shape"):
        table.rows[np.array([True, False])]


def test_row_out_of_range(table):
    with pytest.raises(IndexError):
        table.rows[7]
    with pytest.raises(IndexError):
        table["s", "end>>1"]


def test_column_selection(table):
    assert table.cols["betx"].keys(exclude_scalars=True) == ["name", "betx"]
    assert table.cols["betx s"].keys(exclude_scalars=True) == ["name", "betx", "s"]
    assert table.cols[["s", "betx"]].keys(exclude_scalars=True) == ["name", "s", "betx"]
    assert table.cols["b.*"].keys(exclude_scalars=True) == ["name", "betx"]
    assert table.cols.names == ["name", "s", "betx"]
    assert table.cols[np.array([False, False, True])].keys(exclude_scalars=True) == ["name", "betx"]
    with pytest.raises(ValueError, match="column mask"):
        table.cols[np.array([True])]


def test_rows_and_cols_compose(table):
    sub = table.rows["mb.*"].cols["s"]
    assert sub.keys(exclude_scalars=True) == ["name", "s"]
    np.testing.assert_array_equal(sub.s, [2.5, 5.5])


def test_column_expression(table):
    np.testing.assert_allclose(table["sqrt(betx)*2"], np.sqrt(table.betx) * 2)


def test_assign_column_and_scalar(table):
    table["bety"] = table.betx * 2
    table.qy = 0.32
    assert "bety" in table.cols.names
    assert table.qy == 0.32
    with pytest.raises(ValueError, match="length"):
        xd.Table({"name": ["a", "b"], "x": [1.0, 2.0]}, col_names=["x"], index="name").__class__(
            {"name": ["a", "b"], "x": [1.0]}, col_names=["x"]
        )


def test_show_selects_and_limits(table):
    text = table.show(output=str, cols=["betx"], rows="mb.*")
    lines = text.splitlines()
    assert lines[0].split() == ["name", "betx"]
    assert [line.split()[0] for line in lines[1:]] == ["mb.1", "mb.2"]
    narrow = table.show(output=str, maxwidth=12)
    assert all(len(line) <= 12 for line in narrow.splitlines())
    short = table.show(output=str, maxrows=4)
    assert "..." in short and len(short.splitlines()) == 1 + 5
    truncated = xd.Table({"name": ["a" * 50]}).show(output=str, max_col_width=10)
    assert truncated.splitlines()[1] == "a" * 7 + "..."
    buf = io.StringIO()
    table.show(output=buf, cols="s")
    assert buf.getvalue().startswith("name")
    assert "Table: 7 rows, 3 cols" in repr(table)


def test_to_pandas(table):
    df = table.to_pandas()
    assert list(df.columns) == ["name", "s", "betx"]
    assert df.attrs["qx"] == 0.31
    df2 = table.to_pandas(index="name", columns=["betx"])
    assert df2.loc["ip1", "betx"] == 0.5


def test_concatenate(table):
    both = xd.Table.concatenate([table, table.rows["ip1"]])
    assert len(both) == 8
    assert both.name[-1] == "ip1"
    assert both.qx == 0.31
    with pytest.raises(ValueError, match="columns differ"):
        xd.Table.concatenate([table, table.cols["s"]])


def test_subclass_is_preserved(table):
    class MyTable(xd.Table):
        pass

    sub = MyTable(dict(table._data), col_names=table._col_names).rows["mb.*"]
    assert type(sub) is MyTable


def test_bad_data():
    with pytest.raises(TypeError, match="dict"):
        xd.Table([1, 2])
    with pytest.raises(KeyError, match="index column"):
        xd.Table({"s": [1.0]})


def test_a_row_named_with_the_count_separator_is_found_by_its_own_name():
    # twiss tables of lines with repeated elements name their rows 'ip::0', 'ip::1'
    t = xd.Table({"name": np.array(["ip::0", "d", "ip::1"]), "x": np.array([1.0, 2.0, 3.0])})
    assert t["x", "ip::1"] == 3.0
    assert list(t.rows["ip::0"].x) == [1.0]
    t2 = xd.Table({"name": np.array(["ip", "d", "ip"]), "x": np.array([1.0, 2.0, 3.0])})
    assert t2["x", "ip::1"] == 3.0  # the k-th occurrence of a repeated name
