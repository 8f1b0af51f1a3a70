"""Command line, CSV round trip, and the built-in demo."""

import numpy as np
import pandas as pd
import pytest
from matplotlib.image import imread

import lossmaps as lm
from lossmaps.cli import main
from lossmaps.demo import DATA_DIR, demo_lossmap, run_demo
from lossmaps.export import read_losses_csv, to_csv


def test_csv_round_trip_keeps_enums(k2_map, tmp_path):
    path = to_csv(k2_map.losses, tmp_path / "losses.csv")
    back = read_losses_csv(path)
    pd.testing.assert_frame_equal(back, k2_map.losses, check_dtype=False)
    assert back["losses_type"].iloc[0] in set(lm.Losses)
    ineff = read_losses_csv(to_csv(k2_map.losses.lossmap.inefficiency(), tmp_path / "i.csv"))
    assert ineff["losses"].max() == pytest.approx(1.0)


def test_cli_plot_k2(sim, tmp_path, capsys):
    out = tmp_path / "map.png"
    runs = [str(p) for p in sorted(sim.glob("Results/K2_B1H_s*"))]
    status = main(["plot", "--k2", *runs, "--posfile", str(sim / "MADX" / "all_optics_B1.tfs"),
                   "--cycle-aperture-from", "TCP.C6L7.B1", "-o", str(out)])
    assert status == 0 and f"wrote {out}" in capsys.readouterr().out
    assert imread(out).shape[1] > 1000


def test_cli_export_fluka_and_json(sim, tmp_path, expected):
    out = tmp_path / "fluka.csv"
    runs = [str(p) for p in sorted(sim.glob("Results/FLUKA_B1H_s*"))]
    assert main(["export", "--fluka", *runs, "--collgaps", str(sim / "Input" / "collgaps.dat"),
                 "--posfile", str(sim / "MADX" / "all_optics_B1.tfs"), "--norm", "none",
                 "--cycle-aperture-from", "TCP.C6L7.B1", "-o", str(out)]) == 0
    table = read_losses_csv(out)
    np.testing.assert_allclose(table.lossmap.total_loss, expected["fluka"]["total_energy_GeV"],
                               rtol=1e-9)
    out_json = tmp_path / "json.csv"
    assert main(["export", "--json", *map(str, sorted(sim.glob("xcoll/*.json"))),
                 "-o", str(out_json)]) == 0
    assert read_losses_csv(out_json)["losses"].max() == pytest.approx(1.0)


def test_cli_reports_bad_input(sim, tmp_path, capsys):
    status = main(["plot", "--k2", str(tmp_path), "--posfile", str(sim / "MADX" / "all_optics_B1.tfs"),
                   "-o", str(tmp_path / "x.png")])
    assert status == 1
    assert "cannot read loss-map input file" in capsys.readouterr().err
    assert main(["plot", "--fluka", str(tmp_path), "-o", "x.png"]) == 1
    assert "--posfile is required" in capsys.readouterr().err


def test_demo_data_reproduces_the_reference(k2_map, tmp_path):
    # the packaged trimmed twiss gives the same map as the full reference twiss
    demo = demo_lossmap()
    assert (DATA_DIR / "README.md").exists()
    np.testing.assert_allclose(demo.DS_inefficiency, k2_map.DS_inefficiency, rtol=1e-12)
    np.testing.assert_allclose(demo.losses["s"], k2_map.losses["s"], atol=1e-6)  # 1 um rounding
    png = run_demo(tmp_path / "out")
    assert png == tmp_path / "out" / "lossmap_demo_B1H.png" and imread(png).shape[0] > 500
