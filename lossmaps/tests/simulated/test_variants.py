"""Loaders on valid inputs other than the public fixture, checked against a small oracle.

Each variant is derived from the public fixture by a transformation the formats
doc allows (beam 2 in its own coordinate, a twiss starting elsewhere, older file
layouts, upper-case names, warm and wrapped losses). The oracle below recomputes
the numbers from the definitions of lossmaps-formats §8 with plain Python on
the values written, never through the library.
"""

import json
import math
from collections import Counter

import numpy as np
import pandas as pd
import pytest

import lossmaps as lm

IP7 = 19994.1624  # formats doc §6 (LHC 2024 B1 coordinate)
# Sums of the same few floats in another order: 1e-12 relative covers round-off
# and still fails on any definition change (an entry vs. exit face moves a bin).
RTOL = 1e-12


# -- plain readers of the fixture (oracle side) ------------------------------------------------
def _data_lines(path):
    return [line.split() for line in path.read_text().splitlines()
            if line.strip() and not line.lstrip().startswith("#")]


def _tfs_rows(path):
    """(header lines, column line, type line, rows as token lists) of a TFS file."""
    headers, rows, names, types = [], [], None, None
    for line in path.read_text().splitlines():
        if line.startswith("@"):
            headers.append(line)
        elif line.startswith("*"):
            names = line
        elif line.startswith("$"):
            types = line
        elif line.strip():
            rows.append(line.split())
    return headers, names, types, rows


def _tfs_s_l(path):
    """NAME (upper case) -> (S, L) from a TFS with NAME, KEYWORD, S, L first."""
    return {row[0].strip('"').upper(): (float(row[2]), float(row[3]))
            for row in _tfs_rows(path)[3]}


@pytest.fixture(scope="module")
def facts(lm_ref):
    with open(lm_ref / "machine" / "lhc_machine_facts.json") as handle:
        return json.load(handle)


@pytest.fixture(scope="module")
def k2_runs(sim):
    """Per run: (coll_summary rows, aperture rows) as token lists, in file order."""
    runs = []
    for folder in sorted(sim.glob("Results/K2_B1H_s*")):
        runs.append((_data_lines(folder / "coll_summary.dat"),
                     _data_lines(folder / "aperture_losses.dat")))
    return runs


def oracle(coll, slos, s_ref, c, *, backwards=False, mirror_shift=0.0, weights=None,
           roi, warm, delta=0.1):
    """Expected numbers of §8: per-metre collimator maximum, bins, DS inefficiency.

    ``coll``: name -> (count, length); ``slos``: aperture positions from the tracking
    start; positions are ``(slos + s_ref) mod C``, then reflected if ``backwards``.
    """
    weights = [1.0] * len(slos) if weights is None else weights
    bins = Counter()
    for value, weight in zip(slos, weights):
        s = math.fmod(value + s_ref, c) % c
        if backwards:
            s = (c - s) % c
        bins[math.floor(s / delta)] += weight
    coll_max = max(n / length for n, length in coll.values())
    centres = {k: (k + 0.5) * delta for k in bins}
    in_roi = [bins[k] / delta / coll_max for k, s in centres.items() if roi[0] <= s <= roi[1]]
    warm_bins = {k for k, s in centres.items() if any(lo <= s <= hi for lo, hi in warm)}
    return {
        "coll_max": coll_max,
        "bins": {k: bins[k] for k in sorted(bins)},
        "warm_bins": warm_bins,
        "ds": max(in_roi, default=0.0),
        "total": sum(n for n, _ in coll.values()) + sum(weights),
    }


def _coll_totals(k2_runs, rename=str):
    totals = {}
    for coll_rows, _ in k2_runs:
        for row in coll_rows:
            name = rename(row[1]).lower()
            n, length = totals.get(name, (0, float(row[6])))
            totals[name] = (n + int(row[3]), length)
    return totals


def _check(lossmap, expected):
    binned = lossmap.aperture_binned
    got = dict(zip(binned["idx"].tolist(), binned["n"].tolist()))
    assert got == expected["bins"]
    warm = set(binned.loc[binned["losses_type"] == lm.Losses.WARM, "idx"].tolist())
    assert warm == expected["warm_bins"]
    np.testing.assert_allclose(lossmap.max_loss, expected["coll_max"], rtol=RTOL)
    np.testing.assert_allclose(lossmap.losses.lossmap.total_loss, expected["total"], rtol=RTOL)
    np.testing.assert_allclose(lossmap.DS_inefficiency, expected["ds"], rtol=RTOL)


# -- writers of variant files ---------------------------------------------------------------
def _write_tfs(path, headers, names, types, rows, *, s_of=None, rename=str, length=True):
    lines = [h for h in headers if length or h.split()[1] != "LENGTH"]
    lines += [names, types]
    for row in rows:
        row = list(row)
        row[0] = '"' + rename(row[0].strip('"')) + '"'
        if s_of is not None:
            row[2] = repr(s_of(float(row[2])))
        lines.append(" " + "  ".join(row))
    path.write_text("\n".join(lines) + "\n")
    return path


def _to_b2(name):
    return name.replace(".B1", ".B2").replace(".b1", ".b2")


def test_beam2_in_its_own_coordinate_is_reflected_onto_the_b2_ds(tmp_path, sim, k2_runs, facts):
    """A B2 run mirrored about IP7: its own-coordinate lattice is the B1 one shifted.

    Mirroring about IP7 maps B1 coordinate x to 2 IP7 - x; in B2's own coordinate
    (from IP1 along B2) that is x + C - 2 IP7. Same slos (tracking from the TCP's
    upstream face), so ``backwards=True`` must put the losses on 2 IP7 - x and the
    B1 DS onto the B2 DS (L7), which the B2H default ROI selects.
    """
    c = facts["circumference_m"]
    shift = c - 2 * IP7
    headers, names, types, rows = _tfs_rows(sim / "MADX" / "all_optics_B1.tfs")
    posfile = _write_tfs(tmp_path / "b2.tfs", headers, names, types, rows,
                         s_of=lambda s: (s + shift) % c, rename=_to_b2)
    collfiles, aperfiles = [], []
    for i, (coll_rows, aper_rows) in enumerate(k2_runs):
        folder = tmp_path / f"K2_B2H_s{i}"
        folder.mkdir()
        collfiles.append(folder / "coll_summary.dat")
        collfiles[-1].write_text("".join(" ".join([r[0], _to_b2(r[1])] + r[2:]) + "\n"
                                         for r in coll_rows))
        aperfiles.append(folder / "aperture_losses.dat")
        aperfiles[-1].write_text("".join(" ".join(r) + "\n" for r in aper_rows))
    lossmap = lm.SimulatedLossMap(lmtype=lm.LMType.B2H, machine=lm.Machine.LHC)
    lossmap.load_data_K2(posfile=posfile, aperfiles=aperfiles, collfiles=collfiles,
                         cycle_aperture_from="TCP.C6L7.B2", backwards=True)
    tcp_s, tcp_l = _tfs_s_l(posfile)["TCP.C6L7.B2"]
    slos = [float(r[4]) for _, aper in k2_runs for r in aper]
    expected = oracle(_coll_totals(k2_runs, _to_b2), slos, tcp_s - tcp_l, c, backwards=True,
                      roi=facts["roi_ds_b2_in_b1_coordinates_m"], warm=facts["warm_regions_b1"])
    assert lossmap.roi == tuple(facts["roi_ds_b2_in_b1_coordinates_m"])
    assert expected["ds"] > 0  # the mirrored DS losses do land in the B2 ROI
    _check(lossmap, expected)
    # collimator centres mirror about IP7
    b1 = _tfs_s_l(sim / "MADX" / "all_optics_B1.tfs")["TCP.C6L7.B1"]
    tcp = lossmap.losses.set_index("name").loc["tcp.c6l7.b2", "s"]
    np.testing.assert_allclose(tcp, 2 * IP7 - (b1[0] - b1[1] / 2), rtol=RTOL)


def test_twiss_starting_at_ip3_cycled_back_to_ip1(tmp_path, sim, k2_inputs, expected):
    """A twiss whose s = 0 is IP3, with ``cycle_positions_from='IP1'``, gives the fixture."""
    headers, names, types, rows = _tfs_rows(sim / "MADX" / "all_optics_B1.tfs")
    c = 26658.8832
    ip3 = _tfs_s_l(sim / "MADX" / "all_optics_B1.tfs")["IP3"][0]
    start = next(i for i, r in enumerate(rows) if r[0] == '"IP3"')
    # LENGTH header dropped: the machine's circumference must take over
    posfile = _write_tfs(tmp_path / "from_ip3.tfs", headers, names, types,
                         rows[start:] + rows[:start], s_of=lambda s: (s - ip3) % c,
                         rename=str.lower, length=False)
    lossmap = lm.SimulatedLossMap(lmtype=lm.LMType.B1H, machine=lm.Machine.LHC)
    lossmap.load_data_K2(**{**k2_inputs, "posfile": posfile}, cycle_positions_from="IP1")
    k2 = expected["k2"]
    # positions go through (s - S_IP3) mod C and back: a few 1e-12 m of round-off
    np.testing.assert_allclose(lossmap.DS_inefficiency, k2["ds_ineff_coll_max"]["value"], rtol=RTOL)
    row = lossmap.losses.lossmap.max_inefficiency_row(lossmap.roi)
    np.testing.assert_allclose(row["s"], k2["ds_ineff_coll_max"]["s_centre"], atol=1e-6)
    assert len(lossmap.aperture_binned) == k2["aperture_bins_nonempty"]
    np.testing.assert_allclose(lossmap.circumference, c)


def _old_coll_summary(rows):
    """SixTrack 4.x layout: ' # 1=icoll ...' header, upper-case wide names, f6.1/f6.2 lengths."""
    out = [" # 1=icoll 2=collname 3=nimp 4=nabs 5=imp_av 6=imp_sig 7=length"]
    for r in rows:
        out.append(f"{int(r[0]):5d} {r[1].upper():<50s}{int(r[2]):6d}{int(r[3]):6d}"
                   f"   {float(r[4]):.7E}   {float(r[5]):.7E}  {float(r[6]):6.2f}")
    return "\n".join(out) + "\n"


def _old_aperture(rows, header):
    """SixTrack <= 5.0 default layout (15 columns), header without '#' (pre PR #995)."""
    out = ["turn block bezid bez slos partid x xp y yp etot dE dT A_atom Z_atom"] if header else []
    for r in rows:
        out.append("  ".join(r[:15]))
    return "\n".join(out) + "\n"


@pytest.mark.parametrize("header", [True, False])
def test_k2_in_sixtrack4_layouts_reproduces_the_fixture(tmp_path, sim, k2_runs, expected, header):
    collfiles, aperfiles = [], []
    for i, (coll_rows, aper_rows) in enumerate(k2_runs):
        collfiles.append(tmp_path / f"c{i}.dat")
        collfiles[-1].write_text(_old_coll_summary(coll_rows))
        aperfiles.append(tmp_path / f"a{i}.dat")
        aperfiles[-1].write_text(_old_aperture(aper_rows, header))
    lossmap = lm.SimulatedLossMap(lmtype=lm.LMType.B1H, machine=lm.Machine.LHC)
    lossmap.load_data_K2(posfile=sim / "MADX" / "all_optics_B1.tfs", aperfiles=aperfiles,
                         collfiles=collfiles, cycle_aperture_from="tcp.c6l7.b1")
    k2 = expected["k2"]
    np.testing.assert_allclose(lossmap.DS_inefficiency, k2["ds_ineff_coll_max"]["value"], rtol=RTOL)
    np.testing.assert_allclose(lossmap.losses.lossmap.total_loss, k2["total_losses"], rtol=RTOL)
    summary = lossmap.coll_summary.set_index(lossmap.coll_summary["collname"].str.lower())
    assert {k: v for k, v in summary["nabs"].items() if v} == k2["collimators_nonzero"]


@pytest.mark.parametrize("delta", [0.1, 0.5])
def test_warm_wrapped_and_shared_bins(tmp_path, sim, k2_runs, facts, delta):
    """Losses in a warm region, two in one bin, and one past s = C (wraps to IR1)."""
    c = facts["circumference_m"]
    tcp_s, tcp_l = _tfs_s_l(sim / "MADX" / "all_optics_B1.tfs")["TCP.C6L7.B1"]
    s_ref = tcp_s - tcp_l
    template = k2_runs[0][1][0]
    # absolute targets: warm IR7 (19800.03), two in one bin (20400.01, 20400.07),
    # a wrap to 12.34 m (warm, IR1) and one cold arc loss (5000.55)
    targets = [19800.03, 20400.01, 20400.07, c + 12.34, 5000.55]
    slos = [round((t - s_ref) % c if t < c else t - s_ref, 5) for t in targets]
    lines = ["# turn block bezid bez slos partid x[m] xp y[m] yp P_tot[GeV/c] dE[eV] dT[s] A Z Q PDGid"]
    lines += ["  ".join(template[:4] + [f"{v:.5f}"] + template[5:]) for v in slos]
    aper = tmp_path / "aperture_losses.dat"
    aper.write_text("\n".join(lines) + "\n")
    coll = sim / "Results" / "K2_B1H_s1" / "coll_summary.dat"
    lossmap = lm.SimulatedLossMap(lmtype=lm.LMType.B1H, machine=lm.Machine.LHC)
    lossmap.load_data_K2(posfile=sim / "MADX" / "all_optics_B1.tfs", aperfiles=[aper],
                         collfiles=[coll], cycle_aperture_from="TCP.C6L7.B1", interpolation=delta)
    expected = oracle(_coll_totals(k2_runs[:1]), slos, s_ref, c, roi=facts["roi_ds_b1h_m"],
                      warm=facts["warm_regions_b1"], delta=delta)
    assert len(expected["warm_bins"]) == 2 and max(expected["bins"].values()) == 2
    _check(lossmap, expected)


def test_fluka_sixtrack50_layout_with_weights_and_tab_collgaps(tmp_path, sim, facts):
    """SixTrack <= 5.0 FLUKA build (17 columns, no header), weights != 1, tab collgaps.

    Energy of an aperture loss = etot x fluka_weight (§2.2: ``etot`` is the momentum).
    """
    c = facts["circumference_m"]
    gaps_rows = _data_lines(sim / "Input" / "collgaps.dat")
    gaps = tmp_path / "collgaps.dat"
    gaps.write_text("# ID\tname\tangle[rad]\tbetax[m]\tbetay[m]\thalfgap[m]\tMaterial\tLength[m]"
                    "\tsigx[m]\tsigy[m]\ttilt1[rad]\ttilt2[rad]\tnsig\n"
                    + "".join("\t".join([r[0], r[1].upper()] + r[2:]) + "\n" for r in gaps_rows))
    length_of = {int(r[0]): float(r[7]) for r in gaps_rows}
    fort, aper, energy, nucleons, slos, weights, aper_e = [], [], {}, {}, [], [], []
    for i, folder in enumerate(sorted(sim.glob("Results/FLUKA_B1H_s*"))):
        fort.append(folder / "fort.208")
        for cid, nuc, e in _data_lines(fort[-1]):
            energy[int(cid)] = energy.get(int(cid), 0.0) + float(e)
            nucleons[int(cid)] = nucleons.get(int(cid), 0) + int(nuc)
        lines = []
        for r in _data_lines(folder / "aperture_losses.dat"):
            weight = 0.25 * (1 + len(slos))
            slos.append(float(r[4]))
            weights.append(weight)
            aper_e.append(float(r[12]) * weight)
            # 5.0 FLUKA: turn block bezid bez slos uid gen weight x xp y yp etot dE dT A Z
            lines.append("  ".join(r[:5] + [r[5], "1", f"{weight:.7E}"] + r[8:15] + r[15:17]))
        aper.append(tmp_path / f"aper{i}.dat")
        aper[-1].write_text("\n".join(lines) + "\n")
    tcp_s, tcp_l = _tfs_s_l(sim / "MADX" / "all_optics_B1.tfs")["TCP.C6L7.B1"]
    for quantity in ("energy", "counts"):
        lossmap = lm.SimulatedLossMap(lmtype=lm.LMType.B1H, machine=lm.Machine.LHC)
        lossmap.load_data_FLUKA(collgaps=gaps, posfile=sim / "MADX" / "all_optics_B1.tfs",
                                aperfiles=aper, fort208files=fort, cycle_aperture_from="TCP.C6L7.B1",
                                quantity=quantity)
        per_coll = energy if quantity == "energy" else nucleons
        coll = {cid: (per_coll.get(cid, 0), length_of[cid]) for cid in length_of}
        expected = oracle(coll, slos, tcp_s - tcp_l, c, weights=aper_e if quantity == "energy"
                          else weights, roi=facts["roi_ds_b1h_m"], warm=facts["warm_regions_b1"])
        assert expected["ds"] > 0
        binned = lossmap.aperture_binned
        column = "e" if quantity == "energy" else "n"
        got = dict(zip(binned["idx"].tolist(), binned[column].tolist()))
        assert got.keys() == expected["bins"].keys()
        np.testing.assert_allclose([got[k] for k in got], [expected["bins"][k] for k in got],
                                   rtol=RTOL)
        np.testing.assert_allclose(lossmap.max_loss, expected["coll_max"], rtol=RTOL)
        np.testing.assert_allclose(lossmap.losses.lossmap.total_loss, expected["total"], rtol=RTOL)
        np.testing.assert_allclose(lossmap.DS_inefficiency, expected["ds"], rtol=RTOL)


def _json_variant(path, drop_energy):
    data = json.loads(path.read_text())
    if drop_energy:  # xcoll < 0.6: no energies, no types
        for block in ("collimator", "aperture"):
            for key in ("e", "type", "e_bins", "e_prim"):
                data[block].pop(key, None)
        data.pop("xcoll", None)
    return data


@pytest.mark.parametrize("drop_energy, unbinned", [(True, False), (False, True), (True, True)])
def test_json_old_and_unbinned_variants(tmp_path, sim, expected, drop_energy, unbinned):
    """Old JSONs (no energies) and non-interpolated aperture blocks give the K2 numbers.

    The unbinned variant lists each loss element with its length; here the fixture's
    bins become 0.1 m elements, so the per-metre values are unchanged.
    """
    files = []
    for i, path in enumerate(sorted(sim.glob("xcoll/lossmap_K2_B1H_s*.json"))):
        data = _json_variant(path, drop_energy)
        if unbinned:
            aper = data["aperture"]
            data["interpolation"] = False
            data["aperture"] = {"name": [f"el{k}" for k in aper["idx_bins"]],
                                "n": aper["n_bins"], "length": [0.1] * len(aper["n_bins"]),
                                "s": aper["s_bins"]}
            if not drop_energy:
                data["aperture"]["e"] = aper["e_bins"]
        files.append(tmp_path / f"lm{i}.json")
        files[-1].write_text(json.dumps(data))
    lossmap = lm.SimulatedLossMap(lmtype=lm.LMType.B1H, machine=lm.Machine.LHC)
    lossmap.load_data_json(json_files=files)
    ref = expected["xcoll_json"]
    np.testing.assert_allclose(lossmap.losses.lossmap.total_loss,
                               ref["collimator_n_total"] + ref["aperture_n_total"], rtol=RTOL)
    assert len(lossmap.aperture_binned) == ref["aperture_bins_nonempty"]
    # bin centres come from the JSON (xcoll's float s): 1e-9 relative
    np.testing.assert_allclose(lossmap.DS_inefficiency, ref["ds_ineff_coll_max"]["value"], rtol=1e-9)
    if drop_energy:
        with pytest.raises(lm.LossMapsError, match="energies"):
            lm.SimulatedLossMap(lmtype="B1H").load_data_json(json_files=files, quantity="energy")


def test_json_backwards_reflects_unreversed_files_only(tmp_path, sim, k2_map):
    """B2 JSONs: ``reversed: false`` files are reflected, ``reversed: true`` ones kept."""
    sources = sorted(sim.glob("xcoll/lossmap_K2_B1H_s*.json"))
    plain = lm.SimulatedLossMap(lmtype=lm.LMType.OTHER, machine=lm.Machine.LHC)
    plain.load_data_json(json_files=sources)
    files = []
    for i, path in enumerate(sources):
        data = json.loads(path.read_text())
        if i % 2:  # written by xcoll for a reversed line: already in B1 coordinate, C - s
            c = data["machine_length"]
            data["reversed"] = True
            data["collimator"]["s"] = [c - s for s in data["collimator"]["s"]]
            aper = data["aperture"]
            aper["idx_bins"] = [math.floor((c - s) / 0.1) for s in aper["s_bins"]]
            aper["s_bins"] = [(k + 0.5) * 0.1 for k in aper["idx_bins"]]
        files.append(tmp_path / f"b2_{i}.json")
        files[-1].write_text(json.dumps(data))
    b2 = lm.SimulatedLossMap(lmtype=lm.LMType.OTHER, machine=lm.Machine.LHC)
    b2.load_data_json(json_files=files, backwards=True)
    c = json.loads(sources[0].read_text())["machine_length"]
    # every position is the reflection of the B1 map's (bins within one bin width)
    coll = b2.losses[b2.losses["losses_type"] == lm.Losses.COLL].set_index("name")["s"]
    ref = plain.losses[plain.losses["losses_type"] == lm.Losses.COLL].set_index("name")["s"]
    np.testing.assert_allclose(coll.loc[ref.index], c - ref, rtol=RTOL)
    np.testing.assert_allclose(np.sort(b2.aperture_binned["s"]),
                               np.sort(c - plain.aperture_binned["s"]), atol=0.1)
    np.testing.assert_allclose(b2.losses.lossmap.total_loss, plain.losses.lossmap.total_loss)


def test_machine_set_after_loading_classifies_cold_and_warm(sim, k2_inputs, k2_map):
    """The manual: setting the machine is 'not required at this stage' (before loading)."""
    lossmap = lm.SimulatedLossMap(lmtype=lm.LMType.B1H)
    lossmap.load_data_K2(**k2_inputs)
    assert set(lossmap.aperture_binned["losses_type"]) == {lm.Losses.UNKNOWN}
    assert lossmap.DS_inefficiency is None  # no machine: no DS region
    lossmap.roi = k2_map.roi  # without machine facts every aperture bin counts
    np.testing.assert_allclose(lossmap.DS_inefficiency, k2_map.DS_inefficiency, rtol=RTOL)
    for machine in (lm.Machine.LHC, lm.Machine.HLLHC):  # HL-LHC: LHC facts (formats doc §6)
        lossmap.machine = machine
        pd.testing.assert_frame_equal(lossmap.losses, k2_map.losses)
        pd.testing.assert_frame_equal(lossmap.aperture_binned, k2_map.aperture_binned)


def test_append_refuses_a_different_reference_momentum(tmp_path, sim, k2_inputs, k2_map):
    """STYLE §9: maps of different momenta (TFS PC, JSON momentum) are not summed."""
    sources = sorted(sim.glob("xcoll/lossmap_K2_B1H_s*.json"))
    both = lm.SimulatedLossMap(lmtype=lm.LMType.B1H, machine=lm.Machine.LHC)
    both.load_data_K2(**k2_inputs)
    both.load_data_json(json_files=sources, append=True)  # 6.8 TeV both: fine
    np.testing.assert_allclose(both.losses.lossmap.total_loss, 2 * k2_map.losses.lossmap.total_loss)
    data = json.loads(sources[0].read_text())
    data["momentum"] = 450e9
    injection = tmp_path / "injection.json"
    injection.write_text(json.dumps(data))
    table = both.losses
    with pytest.raises(lm.LossMapsError, match="reference momentum differs"):
        both.load_data_json(json_files=[injection], append=True)
    with pytest.raises(lm.LossMapsError, match="momentum differs"):
        lm.SimulatedLossMap(lmtype="B1H").load_data_json(json_files=[sources[1], injection])
    assert both.losses is table
