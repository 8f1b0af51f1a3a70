"""The suite's main job (``python -m xsuite``) on its built-in data, at a small size.

Checks what the study claims: the tunes are matched, the IR7 collimators are
installed at their settings, every lost particle of the pencil is on a
collimator with the highest loss on the primary it was generated on, the
refined losses lie inside the jaw they were stopped by, and the files
written load back (the loss-map CSV into the same table, the figures are
non-empty images/HTML).
"""

import json

import numpy as np
import pandas as pd
import pytest

from lossmaps.export import read_losses_csv
from lossmaps.table import LOSSES, TYPE
from lossmaps.enums import Losses
from xsuite.__main__ import main
from xsuite.study import StudyConfig, run_study

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def study(tmp_path_factory):
    outdir = tmp_path_factory.mktemp("xsuite_output")
    config = StudyConfig(num_particles=300, max_turns=40, threads=0)
    return outdir, run_study(outdir, config)


def test_tunes_matched_and_chromaticity_reported(study):
    _, summary = study
    config = StudyConfig()
    assert abs(summary["initial"]["qx"] - 62.31) < 1e-6
    assert abs(summary["matched"]["qx"] - config.qx) < 1e-6
    assert abs(summary["matched"]["qy"] - config.qy) < 1e-6
    # the trims move the tunes, not the chromaticity (changes below 0.1 units)
    assert abs(summary["matched"]["dqx"] - summary["initial"]["dqx"]) < 0.1


def test_pencil_is_lost_on_collimators_with_the_maximum_on_the_primary(study):
    _, summary = study
    losses = summary["losses"]
    assert summary["tracking"]["lost"] >= 0.99 * 300
    assert losses["on_aperture"] == 0
    assert losses["max_loss_location"] == "tcp.c6l7.b1"
    assert set(losses["per_collimator"]) <= {name for name in losses["per_collimator"]
                                             if name.endswith("7.b1")}


def test_refined_losses_lie_inside_the_jaw_that_stopped_them(study):
    outdir, summary = study
    lost = pd.read_csv(outdir / "lost_particles.csv")
    assert len(lost) == summary["tracking"]["lost"]
    installed = json.loads((outdir / "summary.json").read_text())["losses"]["per_collimator"]
    assert sum(installed.values()) == len(lost)
    exits = lost[lost["element"].str.endswith("_exit")]
    entries = lost[lost["element"].str.endswith("_entry")]
    assert len(exits) + len(entries) == len(lost)
    # the study's line is cycled at IP7: primary collimators near its end, s from its start
    tcp_c = lost[lost["element"].str.startswith("tcp.c6l7.b1")]
    assert len(tcp_c) > 0
    s_centre, half = 26455.905, 0.3  # tcp.c6l7.b1: centre s and half length [m] (0.6 m jaw)
    assert np.all(np.abs(tcp_c["s"] - s_centre) <= half + 1e-6)


def test_loss_map_files_load_back(study):
    outdir, summary = study
    table = read_losses_csv(outdir / "lossmap_B1H_tracked.csv")
    coll = table[table[TYPE] == Losses.COLL].set_index("name")
    assert len(coll) == 16  # every installed IR7 collimator, those without losses at 0
    counts = summary["losses"]["per_collimator"]
    hit = coll[coll[LOSSES] > 0]
    assert set(hit.index.str.lower()) == set(counts)
    # losses per metre; the TCPs have the same 0.6 m length, so their ratio is the count ratio
    by_name = {name.lower(): value for name, value in hit[LOSSES].items()}
    for name, count in counts.items():
        if name.startswith("tcp."):
            assert by_name[name] / by_name["tcp.c6l7.b1"] == pytest.approx(count / counts["tcp.c6l7.b1"],
                                                                          rel=1e-12)
    png = (outdir / "lossmap_B1H_tracked.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 50_000
    html = (outdir / "lossmap_B1H_tracked.html").read_text()
    assert "tcp.c6l7.b1" in html.lower()


def test_command_line_rejects_bad_sizes(capsys):
    with pytest.raises(SystemExit):
        main(["--particles", "0"])
    assert "num_particles must be a positive integer" in capsys.readouterr().err
