"""Check xtrack's beam elements against the golden single-pass maps.

Reads ``shared/reference/xtrack/elements/<Class>.json`` (schema in its
README), rebuilds each element as the case's ``rebuild`` field says, tracks
the input particles once with ``element.track`` and compares every field of
``particles_out`` (matched by ``particle_id``) with
|got - ref| <= atol + rtol |ref| (rtol 1e-9, atol 1e-13); integer fields
exactly.

Usage::

    python tools/check_element_reference.py                # every xtrack class
    python tools/check_element_reference.py Drift Bend     # some classes
    python tools/check_element_reference.py -v Quadrupole  # worst field per case

Exit status 0 when every case checked passes.
"""

import argparse
import json
import os
import sys
from pathlib import Path

import numpy as np

RTOL, ATOL = 1e-9, 1e-13
FLOAT_FIELDS = ("x", "px", "y", "py", "zeta", "delta", "ptau", "pzeta", "rpp", "rvv",
                "charge_ratio", "chi", "s", "p0c")
INT_FIELDS = ("state", "particle_id", "at_element", "at_turn")
INPUT_FIELDS = ("x", "px", "y", "py", "zeta", "delta", "charge_ratio", "chi", "s", "state",
                "at_element", "at_turn", "particle_id")


def reference_dir():
    """Folder of the element reference files (``$XSUITE_REFERENCE_DIR`` or ../shared)."""
    env = os.environ.get("XSUITE_REFERENCE_DIR")
    if env:
        return Path(env) / "xtrack" / "elements"
    here = Path(__file__).resolve().parent.parent
    return here.parent / "shared" / "reference" / "xtrack" / "elements"


def _build_kwargs(value):
    if isinstance(value, dict) and "__class__" in value:
        import xfields as xf
        import xtrack as xt

        cls = getattr(xt, value["__class__"], None) or getattr(xf, value["__class__"])
        return cls(**{k: _build_kwargs(v) for k, v in value.items() if k != "__class__"})
    return value


def build_element(case, module):
    """The element of `case`, built as its ``rebuild`` field says."""
    if case["module"] == "xfields":
        import xfields as lib
    else:
        import xtrack as lib
    cls = getattr(lib, case["element"]["__class__"])
    if case["rebuild"] == "from_dict":
        return cls.from_dict(case["element"])
    return cls(**{k: _build_kwargs(v) for k, v in case["element_kwargs"].items()})


def build_particles(case):
    import xtrack as xt

    pin = case["particles_in"]
    kwargs = {k: np.array(pin[k]) for k in INPUT_FIELDS}
    return xt.Particles(mass0=pin["mass0"], q0=pin["q0"], p0c=pin["p0c"][0], **kwargs)


def compare(particles, expected):
    """List of (field, worst error ratio, particle_id) over the fields; ratio <= 1 passes."""
    order = np.argsort(particles.particle_id)
    exp_order = np.argsort(np.array(expected["particle_id"]))
    rows = []
    for name in FLOAT_FIELDS + INT_FIELDS:
        got = np.asarray(getattr(particles, name))[order]
        ref = np.asarray(expected[name])[exp_order]
        if name in INT_FIELDS:
            bad = got != ref
            ratio = float(bad.any()) * 2.0
            worst = int(np.argmax(bad)) if bad.any() else 0
        else:
            err = np.abs(got - ref) / (ATOL + RTOL * np.abs(ref))
            err = np.where(np.isnan(err), np.inf, err)
            worst = int(np.argmax(err))
            ratio = float(err[worst])
        rows.append((name, ratio, int(np.asarray(expected["particle_id"])[exp_order][worst])))
    return rows


def check_case(case):
    """(passed, message) for one case."""
    try:
        element = build_element(case, case["module"])
        particles = build_particles(case)
        element.track(particles)
    except Exception as exc:  # the report names the case and the error
        return False, f"{type(exc).__name__}: {exc}"[:300]
    rows = compare(particles, case["particles_out"])
    worst = max(rows, key=lambda r: r[1])
    ok = worst[1] <= 1.0
    return ok, f"worst {worst[0]} ratio {worst[1]:.3g} (particle {worst[2]})"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("classes", nargs="*", help="class names (default: all xtrack classes)")
    parser.add_argument("-v", "--verbose", action="store_true", help="print every case")
    parser.add_argument("--include-xfields", action="store_true", help="also check the xfields classes")
    args = parser.parse_args(argv)
    folder = reference_dir()
    files = sorted(folder.glob("*.json"))
    if args.classes:
        files = [folder / f"{c}.json" for c in args.classes]
    n_pass = n_fail = 0
    for path in files:
        data = json.loads(path.read_text())
        if data["module"] == "xfields" and not (args.include_xfields or args.classes):
            continue
        for case in data["cases"]:
            ok, message = check_case(case)
            n_pass += ok
            n_fail += not ok
            if args.verbose or not ok:
                print(f"{'PASS' if ok else 'FAIL'} {data['class']}/{case['id']}: {message}")
    print(f"{n_pass} passed, {n_fail} failed")
    return 0 if n_fail == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
