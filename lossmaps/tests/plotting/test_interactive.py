"""plot_lossmap_interactive: bokeh document with a normalisation switch and hover."""

import sys

import numpy as np
import pytest

import lossmaps as lm

pytest.importorskip("bokeh")


def test_interactive_sources_norms_and_html(k2_map, tmp_path):
    from bokeh.models import ColumnDataSource, HoverTool, Select

    out = tmp_path / "map.html"
    layout = lm.plot_lossmap_interactive(k2_map, outfile=out)
    select = layout.select_one({"type": Select})
    assert select.options == ["coll_max", "total", "max", "none"]
    sources = {s.name: s for s in layout.select({"type": ColumnDataSource}) if s.name}
    assert set(sources) == {"losses:coll", "losses:cold"}
    coll = sources["losses:coll"].data
    assert max(coll["coll_max"]) == pytest.approx(1.0)
    np.testing.assert_allclose(max(coll["total"]), 4933.333333 / 3773, rtol=1e-6)
    assert "tcp.c6l7.b1" in list(coll["name"])
    hover = layout.select_one({"type": HoverTool})
    assert ("element", "@name") in hover.tooltips
    html = out.read_text()
    assert "Normalisation" in html and "tcp.c6l7.b1" in html


def test_missing_bokeh_names_the_install_command(k2_map, monkeypatch):
    monkeypatch.setitem(sys.modules, "bokeh", None)
    with pytest.raises(ImportError, match=r"pip install 'lossmaps\[plot\]'"):
        lm.plot_lossmap_interactive(k2_map)
