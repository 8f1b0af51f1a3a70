"""Thick MAD-X lattices: native reader vs cpymad route vs MAD-X's own twiss, one row each.

For each lattice of the established suite's test data (issue 13 acceptance):
- "elements": the native reader (``xt.load``) and the cpymad route
  (``Line.from_madx_sequence``) give the same non-drift elements, in order,
  of the same classes (MAD-X's ``$start``/``$end`` markers aside);
- our 4d twiss of the native line against MAD-X's ``twiss, chrom`` (cpymad):
  tunes (limit 1e-6), chromaticities (1e-2; MAD-X's dq is per pt, ours per
  delta: dq_madx * beta0 is compared) and the largest relative beta
  difference over all elements (1e-4; MAD-X rows are element exits, ours
  entries, so MAD-X's row of an element meets our row of the next one).

Usage: ``python tools/compare_madx_twiss.py [--only NAME ...]`` (prints a table;
exit status 0 also when a lattice misses a limit: it is a report).
"""

import argparse
import time
import warnings
from pathlib import Path

import numpy as np

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "upstream" / "tree" / "xtrack" / "test_data"
PROTON_450 = "beam, particle=proton, pc=450;"
# name: (files, sequence, MAD-X beam command or None when a file has one, native options)
LATTICES = {
    "LHC": (["lhc_2024/lhc.seq", "lhc_2024/injection_optics.madx"], "lhcb1",
            "beam, sequence=lhcb1, particle=proton, pc=450;", {"_rbend_correct_k0": True}),
    "HL-LHC": (["hllhc15_thick/lhc.seq", "hllhc15_thick/hllhc_sequence.madx",
                "hllhc15_thick/opt_round_150_1500.madx"], "lhcb1",
               "beam, sequence=lhcb1, particle=proton, pc=7000;", {"_rbend_correct_k0": True}),
    "SPS": (["sps_thick/sps.seq", "sps_thick/lhc_q20.str"], "sps", "beam, particle=proton, pc=26;", {}),
    "PS": (["ps_sftpro/ps.seq", "ps_sftpro/ps_hs_sftpro.str"], "ps", "beam, particle=proton, pc=14;", {}),
    "PSB": (["psb_injection/psb_injection.seq"], "psb", None, {}),
    "LEIR": (["leir/leir.seq", "leir/leir_inj_nominal.beam", "leir/leir_inj_nominal.str"], "leir", None, {}),
    "ELENA": (["elena/elena.seq", "elena/highenergy.str", "elena/highenergy.beam"], "elena", None, {}),
    "FCC-ee": (["fcc_ee/fccee_z.seq"], "fccee_p_ring", "beam, particle=positron, pc=45.6;", {}),
}
LIMITS = {"tune": 1e-6, "chrom": 1e-2, "beta": 1e-4}


def _madx(files, seq, beam):
    from cpymad.madx import Madx

    mad = Madx(stdout=False)
    for f in files:
        mad.call(str(DATA / f))
    if beam:
        mad.input(beam)
    mad.use(seq)
    return mad


def _particle_ref(mad, seq):
    import xtrack as xt

    b = mad.sequence[seq].beam
    return xt.Particles(mass0=float(b.mass) * 1e9, q0=float(b.charge), p0c=float(b.pc) * 1e9)


def _names(line):
    tt = line.get_table()
    keep = [not (str(t).startswith(("Drift", "Limit")) or n.startswith("||") or "$" in n
                 or n == "_end_point" or n.endswith("_aper"))
            for n, t in zip(tt.name, tt.element_type)]
    return [(n, t) for n, t, k in zip(tt.name, tt.element_type, keep) if k]


def compare(name):
    import xtrack as xt

    files, seq, beam, options = LATTICES[name]
    if not all((DATA / f).exists() for f in files):
        return {"lattice": name, "error": "test data missing"}
    t0 = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        env = xt.load([str(DATA / f) for f in files], **options)
    line = env[seq]
    mad = _madx(files, seq, beam)
    line.particle_ref = _particle_ref(mad, seq)
    ref = xt.Line.from_madx_sequence(mad.sequence[seq], deferred_expressions=True)
    same = _names(line) == _names(ref)
    mtw = mad.twiss(chrom=True)
    summ = mad.table.summ
    tw = line.twiss(method="4d")
    beta0 = float(line.particle_ref.beta0[0])
    row = {"lattice": name, "elements": "same" if same else "DIFFER", "n": len(line.element_names),
           "dqx": abs(tw.qx - summ.q1[0]), "dqy": abs(tw.qy - summ.q2[0]),
           "dchx": abs(tw.dqx - summ.dq1[0] * beta0), "dchy": abs(tw.dqy - summ.dq2[0] * beta0)}
    index = {n: ii for ii, n in enumerate(tw.name)}
    worst = 0.0
    for n, bx, by in zip(mtw.name, mtw.betx, mtw.bety):
        n = n.split(":")[0]
        ii = index.get(n)
        if ii is None or ii + 1 >= len(tw.name):
            continue
        worst = max(worst, abs(tw.betx[ii + 1] / bx - 1), abs(tw.bety[ii + 1] / by - 1))
    row["dbeta"] = worst
    row["ok"] = (same and max(row["dqx"], row["dqy"]) < LIMITS["tune"]
                 and max(row["dchx"], row["dchy"]) < LIMITS["chrom"] and worst < LIMITS["beta"])
    row["time"] = time.perf_counter() - t0
    mad.exit()
    return row


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", default=None)
    args = parser.parse_args()
    print(f"{'lattice':8s} {'elements':8s} {'n':>6s} {'|dQx|':>9s} {'|dQy|':>9s} {'|dQ1x|':>9s} "
          f"{'|dQ1y|':>9s} {'max dbeta/beta':>14s}  ok     s")
    for name in args.only or LATTICES:
        try:
            r = compare(name)
        except Exception as exc:  # a report: one lattice's failure is a row, not the end
            r = {"lattice": name, "error": f"{type(exc).__name__}: {str(exc)[:90]}"}
        if "error" in r:
            print(f"{r['lattice']:8s} error: {r['error']}", flush=True)
            continue
        print(f"{r['lattice']:8s} {r['elements']:8s} {r['n']:6d} {r['dqx']:9.1e} {r['dqy']:9.1e} "
              f"{r['dchx']:9.1e} {r['dchy']:9.1e} {r['dbeta']:14.1e}  {str(r['ok']):5s} "
              f"{r['time']:5.0f}", flush=True)


if __name__ == "__main__":
    main()
