"""Every format variant of lossmaps-formats.md §1-4 is read, names case-insensitively."""

import json

import numpy as np
import pytest

import lossmaps as lm
from lossmaps.readers import (read_aperture_losses, read_coll_summary, read_collgaps, read_fort208,
                              read_tfs, read_xcoll_json)

COLL_V5 = """# icoll collname                 nimp     nabs          imp_av         imp_sig length
      1 tcp.c6l7.b1                 30       12   0.7838696E-05   0.2665401E-04  0.600
      2 tcsg.a4r7.b1                 5        3   0.0000000E+00   0.0000000E+00  1.000
"""
COLL_V4 = """ # 1=icoll 2=collname 3=nimp 4=nabs 5=imp_av 6=imp_sig 7=length
   30 TCP.C6L7.B1                                          12    11   0.2251681E-03   0.1538806E-03    0.6
   31 TCSG.A4R7.B1                                          2     1   0.2251681E-03   0.1538806E-03    1.0
"""
APER_54 = """#    turn    block    bezid bez   slos   partid           x[m]             xp           y[m]             yp   P_tot[GeV/c]         dE[eV]          dT[s]        A        Z        Q        PDGid
        3      380    10203 mb.a8r7.b1   105.05      901 -2.2043300E-02 -7.5315793E-04  5.1268748E-04 -1.3613876E-05  6.5613754E+03 -2.3862458E+11 -5.6812787E-13        1        1        1         2212
"""
APER_54_FLUKA = """#    turn    block    bezid bez   slos    partID  parentID     partWeight           x[m]             xp           y[m]             yp   P_tot[GeV/c]         dE[eV]          dT[s]        A        Z        Q        PDGid
       51      380    10203 mb.a8r7.b1   105.05      6217      6217  2.5000000E+00 -2.2024924E-02 -7.4088498E-04 -1.0624972E-03  2.6419642E-05  6.5634444E+03 -2.3655557E+11 -1.5884200E-12        1        1        1         2212
"""
ROW_50 = ("  3  380  10203  mb.a8r7.b1  105.05  901  -2.2E-02  -7.5E-04  5.1E-04  -1.3E-05  "
          "6.5613754E+03  -2.3E+11  -5.6E-13  1  1\n")
ROW_50_FLUKA = ("  3  380  10203  mb.a8r7.b1  105.05  901  0  0.5  -2.2E-02  -7.5E-04  5.1E-04  "
                "-1.3E-05  6.5613754E+03  -2.3E+11  -5.6E-13  1  1\n")


def test_coll_summary_header_variants_agree(writer):
    v5 = read_coll_summary(writer("v5/coll_summary.dat", COLL_V5))
    v4 = read_coll_summary(writer("v4/coll_summary.dat", COLL_V4))
    assert list(v5["nabs"]) == [12, 3] and list(v4["nabs"]) == [11, 1]
    assert list(v4["collname"]) == ["TCP.C6L7.B1", "TCSG.A4R7.B1"]
    np.testing.assert_allclose(v4["length"], [0.6, 1.0])


@pytest.mark.parametrize("text, layout, weight, momentum", [
    (APER_54, "sixtrack5.4", 1.0, 6561.3754),
    (APER_54_FLUKA, "sixtrack5.4-fluka", 2.5, 6563.4444),
    ("# turn block bezid bez slos partid x xp y yp etot dE dT A_atom Z_atom\n" + ROW_50,
     "sixtrack5.0", 1.0, 6561.3754),
    ("turn block bezid bez slos partid x xp y yp etot dE dT A_atom Z_atom\n" + ROW_50,
     "sixtrack5.0", 1.0, 6561.3754),  # header without '#', older releases
    (ROW_50, "sixtrack5.0", 1.0, 6561.3754),  # no header: by column count
    (ROW_50_FLUKA, "sixtrack5.0-fluka", 0.5, 6561.3754),  # 17 columns, integer column 7
    (APER_54.splitlines()[1] + "\n", "sixtrack5.4", 1.0, 6561.3754),  # 17 columns, float column 7
])
def test_aperture_layouts(writer, text, layout, weight, momentum):
    frame = read_aperture_losses(writer("aperture_losses.dat", text))
    assert frame.attrs["layout"] == layout
    assert list(frame["slos"]) == [105.05]
    assert list(frame["weight"]) == [weight]
    np.testing.assert_allclose(frame["momentum"], [momentum])
    assert list(frame["element"]) == ["mb.a8r7.b1"]


def test_header_only_aperture_file_is_empty(writer):
    frame = read_aperture_losses(writer("a.dat", APER_54.splitlines()[0] + "\n"))
    assert frame.empty


def test_collgaps_tab_separated_variant(writer):
    text = ("# ID name angle[rad] betax[m] betay[m] halfgap[m] Material Length[m] sigx[m] sigy[m] "
            "tilt1[rad] tilt2[rad] nsig\n"
            "7\ttcp.c6l7.b1\t0.0\t150.0\t80.0\t0.001\tMoGR\t0.6\t2e-4\t1e-4\t0\t0\t5.0\n")
    gaps = read_collgaps(writer("collgaps.dat", text))
    assert list(gaps["id"]) == [7] and list(gaps["material"]) == ["MoGR"]
    assert gaps["length"].iloc[0] == 0.6


def test_fort208_sums(writer):
    frame = read_fort208(writer("fort.208", "    25     60   0.4080000038839169E+06\n"
                                            "    25      1   0.68E+04\n"), known_ids={25})
    assert frame["nucleons"].sum() == 61
    np.testing.assert_allclose(frame["energy"].sum(), 414800.0000388392)


def test_tfs_long_names_and_headers(mini_tfs):
    frame = read_tfs(mini_tfs)
    assert frame.attrs["headers"]["LENGTH"] == 1000.0
    assert "BPMSW.1R1.B1_DOROS" in list(frame["NAME"])
    assert frame["S"].dtype == float


def test_k2_loader_matches_names_case_insensitively(writer, mini_tfs):
    # upper-case (SixTrack 4) coll_summary against the TFS: same result as lower-case
    results = []
    for text in (COLL_V5, COLL_V4):
        run = writer(f"{len(results)}/coll_summary.dat", text)
        lossmap = lm.SimulatedLossMap(lmtype="B1H")
        lossmap.load_data_K2(posfile=mini_tfs, aperfiles=[], collfiles=[run])
        results.append(lossmap.losses.set_index("name")["s"])
    np.testing.assert_allclose(results[0].to_numpy(), results[1].to_numpy())
    np.testing.assert_allclose(results[0].to_numpy(), [100.3, 300.5])  # centres S - L/2


def test_xcoll_json_old_and_unbinned_variants(writer):
    old = {"collimator": {"name": ["tcp.c6l7.b1"], "n": [3], "length": [0.6], "s": [100.3]},
           "aperture": {"name": ["mq.8r7.b1"], "n": [2], "length": [3.1], "s": [231.55]},
           "machine_length": 1000.0, "interpolation": False}
    result = read_xcoll_json(writer("old.json", json.dumps(old)))
    assert result["interpolation"] is None
    assert np.isnan(result["collimators"]["e"]).all()
    lossmap = lm.SimulatedLossMap(lmtype="B1H")
    lossmap.load_data_json([writer("old2.json", json.dumps(old))])
    table = lossmap.losses.set_index("name")
    np.testing.assert_allclose(table.loc["tcp.c6l7.b1", "losses"], 3 / 0.6)
    np.testing.assert_allclose(table.loc["mq.8r7.b1", "losses"], 2 / 3.1)
    assert table.loc["mq.8r7.b1", "losses_type"] is lm.Losses.UNKNOWN  # no machine set


def test_zero_length_collimator_is_spread_over_one_bin(writer, mini_tfs):
    # old files list crystals with length 0.00: no division by zero, counts conserved
    text = COLL_V5.replace("  0.600\n", "  0.000\n", 1)
    lossmap = lm.SimulatedLossMap(lmtype="B1H")
    with pytest.warns(lm.LossMapsWarning, match="tcp.c6l7.b1"):
        lossmap.load_data_K2(posfile=mini_tfs, aperfiles=[], collfiles=[writer("c.dat", text)])
    # the documented default is recorded, not applied silently
    assert len(lossmap.defaults_applied) == 1 and "0.1 m" in lossmap.defaults_applied[0]
    row = lossmap.losses.set_index("name").loc["tcp.c6l7.b1"]
    assert row["length"] == 0.1 and row["losses"] == pytest.approx(12 / 0.1)
    assert lossmap.losses.lossmap.total_loss == pytest.approx(15.0)
