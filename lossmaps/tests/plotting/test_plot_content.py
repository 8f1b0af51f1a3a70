"""plot_lossmap draws what a loss-map figure must show (checked on the artists)."""

import numpy as np
import pandas as pd
import pytest
from matplotlib.image import imread

import lossmaps as lm
from lossmaps.machines import LHC_LAYOUT_FILE
from lossmaps.table import make_losses_table


def _collections(ax):
    return {c.get_gid(): c for c in ax.collections if (c.get_gid() or "").startswith("losses:")}


def _caption(fig):
    return fig._suptitle.get_text()


@pytest.fixture(scope="module")
def k2_figure(k2_map):
    return lm.plot_lossmap(k2_map)


def test_panels_ranges_and_log_scale(k2_figure, k2_map):
    fig, axes = k2_figure
    full, layout, zoom = axes
    assert full.get_yscale() == "log" and zoom.get_yscale() == "log"
    np.testing.assert_allclose(full.get_xlim(), (0.0, 26658.8832))
    np.testing.assert_allclose(zoom.get_xlim(), (19394.0, 20594.0))  # IR7 betatron zoom
    np.testing.assert_allclose(layout.get_xlim(), zoom.get_xlim())
    low, high = full.get_ylim()
    assert low <= 0.1 * k2_map.losses.lossmap.inefficiency()["losses"][lambda v: v > 0].min()
    assert high >= 1.0  # the TCP (inefficiency 1) is inside the frame
    assert "[1/m]" in full.get_ylabel() and zoom.get_xlabel() == "s [m]"


def test_one_segment_per_loss_row_and_type(k2_figure, k2_map):
    _, (full, _, zoom) = k2_figure
    table = k2_map.losses[k2_map.losses["losses"] > 0]
    full_sets = _collections(full)
    assert set(full_sets) == {"losses:coll", "losses:cold"}
    assert len(full_sets["losses:coll"].get_segments()) == (table["losses_type"] == lm.Losses.COLL).sum()
    assert len(full_sets["losses:cold"].get_segments()) == (table["losses_type"] == lm.Losses.COLD).sum()
    in_zoom = table[(table["s"] >= 19394) & (table["s"] <= 20594)]
    zoom_coll = _collections(zoom)["losses:coll"]
    assert len(zoom_coll.get_segments()) == (in_zoom["losses_type"] == lm.Losses.COLL).sum()
    np.testing.assert_allclose(zoom_coll.get_colors()[0][:3], (0, 0, 0))  # collimators black
    cold = _collections(zoom)["losses:cold"]
    assert cold.get_colors()[0][2] > 0.8 and cold.get_colors()[0][0] < 0.3  # cold blue
    top = max(seg[1][1] for seg in zoom_coll.get_segments())
    assert top == pytest.approx(1.0)  # normalised to the maximum collimator


def test_layout_strip_and_ip_labels(k2_figure):
    _, (full, layout, _) = k2_figure
    labels = {c.get_label() for c in layout.collections}
    assert {"dipole", "quadrupole", "collimator"} <= labels
    ticks = [t.get_text() for ax in full.child_axes for t in ax.get_xticklabels()]
    assert ticks == [f"IP{i}" for i in range(1, 9)]


def test_caption_states_machine_norm_and_ds_inefficiency(k2_figure):
    fig, _ = k2_figure
    text = _caption(fig)
    assert "LHC B1H loss map (simulated, SixTrack K2, 6 runs)" in text
    assert "6.8 TeV" in text and "normalised to the highest collimator loss" in text
    assert r"2.03$\times10^{-3}$" in text and "20320.6 m" in text


def test_options_no_zoom_no_caption_norm_and_output(k2_map, tmp_path):
    out = tmp_path / "map.png"
    fig, axes = lm.plot_lossmap(k2_map, norm="total", zoom=False, caption=False, grid=False,
                                fig_size=(8, 5), plot_range=(19000, 21000), font="DejaVu Serif",
                                layout=LHC_LAYOUT_FILE, outfile=out)
    assert len(axes) == 2 and fig._suptitle is None
    assert axes[0].yaxis.label.get_fontname() == "DejaVu Serif"
    assert {c.get_label() for c in axes[1].collections} >= {"dipole", "collimator"}
    np.testing.assert_allclose(axes[1].get_xlim(), (19000, 21000))  # strip follows the full ring
    np.testing.assert_allclose(axes[0].get_xlim(), (19000, 21000))
    tcp = max(seg[1][1] for seg in _collections(axes[0])["losses:coll"].get_segments())
    assert tcp == pytest.approx(4933.333333 / 3773, rel=1e-6)
    image = imread(out)
    assert image.shape[0] > 500 and image.shape[1] > 800 and image[..., :3].std() > 0.01


def test_zoom_range_wrapping_around_ip1(k2_map):
    _, axes = lm.plot_lossmap(k2_map, zoom_range=(26216, 443), caption=False)
    lo, hi = axes[2].get_xlim()
    assert lo == 26216 and hi == pytest.approx(443 + 26658.8832)


def test_measured_table_plots_the_requested_acquisition():
    times = pd.date_range("2024-05-21 12:00:00", periods=3, freq="1s", tz="UTC")
    rows = [(s, n, t, time, v) for (s, n, t) in ((19790.0, "BLMTI.TCP", lm.Losses.COLL),
                                                 (20335.3, "BLMQI.09R7", lm.Losses.COLD),
                                                 (20400.0, "BLMQI.11R7", lm.Losses.COLD),
                                                 (24195.3, "BLMQI.19R8", lm.Losses.COLD),
                                                 (24300.0, "BLMQI.21R8", lm.Losses.COLD),
                                                 (24400.0, "BLMQI.23R8", lm.Losses.COLD),
                                                 (24500.0, "BLMQI.25R8", lm.Losses.COLD))
            for time, v in zip(times, (1.0, 2.0, 3.0))]
    scale = {"BLMTI.TCP": 1.0, "BLMQI.09R7": 1e-4, "BLMQI.11R7": 1e-5, "BLMQI.19R8": 1e-2, "BLMQI.21R8": 1e-5,
             "BLMQI.23R8": 1e-5, "BLMQI.25R8": 1e-5}  # 19R8: isolated spike
    table = make_losses_table([r[0] for r in rows], [r[1] for r in rows], [np.nan] * len(rows),
                              [r[2] for r in rows], [r[4] * scale[r[1]] for r in rows],
                              time=[r[3] for r in rows])
    lossmap = lm.LossMap(lm.LMType.B1H, machine=lm.Machine.LHC)
    lossmap._set_losses(table)
    fig, axes = lm.plot_lossmap(lossmap, timestamp=times[1], background_std=0, caption=True)
    coll = _collections(axes[0])["losses:coll"]
    assert len(coll.get_segments()) == 1  # one acquisition only
    assert axes[0].get_ylabel() == "Normalised BLM signal"
    assert "acquisition 2024-05-21 14:00:01+02:00" in _caption(fig)  # local CERN time
    marks = [c for c in axes[0].collections if c.get_label() == "Suspected fake spike"]
    assert len(marks) == 1 and len(marks[0].get_offsets()) == 1  # the isolated arc monitor


def test_plot_refuses_unloaded_map():
    with pytest.raises(ValueError, match="no data"):
        lm.plot_lossmap(lm.SimulatedLossMap(lmtype="B1H"))


def test_measured_fixture_caption_reports_the_expected_ds_inefficiency(lm_ref, expected):
    # end to end with the measured loader (issue 6): the background is subtracted on the
    # whole window before the peak acquisition is selected
    measured = lm_ref / "measured"
    lossmap = lm.MeasuredLossMap(timestamp="2024-05-21 14:03:20", lmtype="B1H", machine="LHC")
    lossmap.load_data_files(measured / "blm_data_RS09.parquet",
                            names=measured / "LHC.BLMI_LOSS_RS09.names.csv",
                            positions=measured / "blm_metadata.csv")
    exp = expected["measured"]
    for std, key in ((0, "default"), (2, "default_std2_ddof0")):
        fig, axes = lm.plot_lossmap(lossmap, background_std=std, fig_size=(8, 5))
        value = exp[key]["ds_ineff_coll_max"]
        mantissa, exponent = f"{value:.2e}".split("e")
        assert rf"{mantissa}$\times10^{{{int(exponent)}}}$" in _caption(fig)
        # t_max_loss of the fixture (12:03:38.746277676 UTC), in local CERN time
        assert "2024-05-21 14:03:38.746277676+02:00" in _caption(fig)
    spikes = [c for c in axes[0].collections if c.get_label() == "Suspected fake spike"]
    assert spikes and len(axes[1].collections) >= 3  # LHC layout strip from the package


def test_draws_into_a_given_figure_or_subfigure(k2_map, tmp_path):
    from matplotlib.figure import Figure

    outer = Figure(figsize=(8, 3), layout="constrained")  # small: quick to save
    left, right = outer.subfigures(1, 2)
    right.add_subplot().plot([0, 1])
    fig, axes = lm.plot_lossmap(k2_map, fig=left, outfile=tmp_path / "sub.png")
    assert fig is left and all(ax.figure is left for ax in axes)
    assert len(axes) == 3 and len(outer.axes) == 4  # three panels + the other cell's axes
    assert "LHC B1H loss map" in left._supxlabel.get_text()  # caption below the panels
    assert imread(tmp_path / "sub.png").shape[1] > imread(tmp_path / "sub.png").shape[0]
    with pytest.raises(ValueError, match="must be empty"):
        lm.plot_lossmap(k2_map, fig=right)
    with pytest.raises(TypeError, match="three panels"):
        lm.plot_lossmap(k2_map, fig=axes[0])


def test_import_changes_no_global_state():
    """Importing every lossmaps module leaves matplotlib, pyplot and pandas untouched."""
    import subprocess
    import sys

    code = (
        "import matplotlib as mpl, pandas as pd, sys\n"
        "def rc():  # without 'backend', whose lookup imports pyplot\n"
        "    return {k: mpl.rcParams[k] for k in mpl.rcParams if k != 'backend'}\n"
        "before = rc(); keys = ['display.max_rows', 'display.width', "
        "'display.float_format', 'display.precision']\n"
        "opts = {k: pd.get_option(k) for k in keys}\n"
        "import lossmaps, lossmaps.plotting, lossmaps.measured, lossmaps.store, lossmaps.cli\n"
        "assert 'matplotlib.pyplot' not in sys.modules, 'pyplot imported'\n"
        "assert rc() == before, 'rcParams changed'\n"
        "assert {k: pd.get_option(k) for k in keys} == opts, 'pandas options changed'\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


def test_off_momentum_map_zooms_on_momentum_cleaning(k2_inputs):
    """DPpos/DPneg maps: the collimation insertion is IR3 (formats doc §6 zoom ranges)."""
    lossmap = lm.SimulatedLossMap(lmtype=lm.LMType.DPneg, machine=lm.Machine.LHC)
    lossmap.load_data_K2(**k2_inputs)
    _, axes = lm.plot_lossmap(lossmap, caption=False)
    np.testing.assert_allclose(axes[2].get_xlim(), (6065.0, 7265.0))
    assert lossmap.DS_inefficiency is None  # both beams: no single DS region


def test_caption_lies_inside_the_canvas_below_the_panels(k2_map):
    """A plain ``fig.savefig`` (no tight bounding box) must keep the caption."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig, axes = lm.plot_lossmap(k2_map, fig_size=(12, 7))
    FigureCanvasAgg(fig).draw()
    renderer = fig.canvas.get_renderer()
    caption = fig._suptitle.get_window_extent(renderer)
    assert caption.y0 >= 0 and caption.x0 >= 0 and caption.x1 <= fig.bbox.x1
    assert caption.y1 <= axes[-1].get_tightbbox(renderer).y0  # below the zoom's s label
