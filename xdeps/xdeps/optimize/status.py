"""Tables describing the knobs, the targets and the iteration log of an optimizer."""

import numpy as np

from ..table import Table


def _flags(values):
    return "".join("y" if v else "n" for v in values)


def vary_table(opt, iter_ref=0):
    """Table of the knobs: state, limits, current value, value at ``iter_ref``, step, weight."""
    ref_knobs = opt._log[iter_ref]["knobs"] if opt._log else [np.nan] * len(opt.vary)
    lim = opt._merit.get_x_limits(scaled=False)
    return Table(
        {
            "name": np.array([str(v.name) for v in opt.vary], dtype=object),
            "id": np.arange(len(opt.vary)),
            "state": np.array(["ON" if v.active else "OFF" for v in opt.vary], dtype=object),
            "tag": np.array([v.tag for v in opt.vary], dtype=object),
            "lower_limit": lim[:, 0],
            "current_val": np.array([v.get_value() for v in opt.vary], dtype=float),
            "upper_limit": lim[:, 1],
            f"val_at_iter_{iter_ref}": np.array(ref_knobs, dtype=float),
            "step": np.array([v.effective_step for v in opt.vary], dtype=float),
            "weight": np.array([v.effective_weight for v in opt.vary], dtype=float),
        },
        col_names=["id", "state", "tag", "name", "lower_limit", "current_val", "upper_limit",
                   f"val_at_iter_{iter_ref}", "step", "weight"],
    )


def target_table(opt, quantities):
    """Table of the targets: state, tolerance met, residue, current and target value."""
    targets = opt.targets
    met = [t.is_met(q) for t, q in zip(targets, quantities)]
    residue = [q - (t.value.bound if hasattr(t.value, "bound") else t.value) for t, q in zip(targets, quantities)]
    return Table(
        {
            "name": np.array([t._description() for t in targets], dtype=object),
            "id": np.arange(len(targets)),
            "state": np.array(["ON" if t.active else "OFF" for t in targets], dtype=object),
            "tag": np.array([t.tag for t in targets], dtype=object),
            "tol_met": np.array(met, dtype=bool),
            "residue": np.array(residue, dtype=float),
            "current_val": np.array(quantities, dtype=float),
            "target_val": np.array([repr(t.value) if hasattr(t.value, "bound") else t.value
                                    for t in targets], dtype=object),
            "tol": np.array([t.tol for t in targets], dtype=float),
            "description": np.array([repr(t) for t in targets], dtype=object),
        },
        col_names=["id", "state", "tag", "tol_met", "residue", "current_val", "target_val", "tol",
                   "description"],
    )


def log_table(opt):
    """Table with one row per logged point: penalty, flags, knob and target values."""
    log = opt._log
    data = {
        "iteration": np.arange(len(log)),
        "penalty": np.array([e["penalty"] for e in log], dtype=float),
        "alpha": np.array([e["alpha"] for e in log], dtype=float),
        "tag": np.array([e["tag"] for e in log], dtype=object),
        "tol_met": np.array([_flags(e["tol_met"]) for e in log], dtype=object),
        "target_active": np.array([_flags(e["target_active"]) for e in log], dtype=object),
        "hit_limits": np.array([_flags(e["hit_limits"]) for e in log], dtype=object),
        "vary_active": np.array([_flags(e["vary_active"]) for e in log], dtype=object),
    }
    for i in range(len(opt.vary)):
        data[f"vary_{i}"] = np.array([e["knobs"][i] for e in log], dtype=float)
    for i in range(len(opt.targets)):
        data[f"target_{i}"] = np.array([e["quantities"][i] for e in log], dtype=float)
    return Table(data, index="iteration")
