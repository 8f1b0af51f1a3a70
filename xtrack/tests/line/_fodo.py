"""The FODO ring of shared/reference/xtrack/lattices/fodo, built as its README describes."""

import numpy as np
import xtrack as xt


def build_fodo():
    env = xt.Environment()
    env.particle_ref = xt.Particles(mass0=xt.PROTON_MASS_EV, q0=1, p0c=10e9)
    env.vars({"n_cells": 40, "l_cell": 20.0, "l_mq": 1.0, "l_mb": 6.0, "l_ms": 0.3, "l_cav": 0.5,
              "pi": np.pi})
    env["ang_mb"] = "2 * pi / (2 * n_cells)"
    env.vars({"kqf": 0.0962513, "kqd": -0.0967315, "ksf": 0.109733, "ksd": -0.16602,
              "vrf": 1e6, "h_rf": 40})
    env["phi_rf"] = "pi"
    components = []
    for ii in range(40):
        env[f"acbh.{ii}"] = 0
        env[f"acbv.{ii}"] = 0
        s0 = 20.0 * ii
        components += [
            env.new(f"qf.{ii}", xt.Quadrupole, length="l_mq", k1="kqf", at=s0 + 0.5),
            env.new(f"sf.{ii}", xt.Sextupole, length="l_ms", k2="ksf", at=s0 + 1.35),
            env.new(f"bpm.{ii}", xt.Marker, at=s0 + 1.7),
            env.new(f"mcbh.{ii}", xt.Multipole, knl=[f"acbh.{ii}"], at=s0 + 1.8),
            env.new(f"mb.{ii}.1", xt.Bend, length="l_mb", angle="ang_mb", k0_from_h=True, at=s0 + 5),
            env.new(f"qd.{ii}", xt.Quadrupole, length="l_mq", k1="kqd", at=s0 + 10.5),
            env.new(f"sd.{ii}", xt.Sextupole, length="l_ms", k2="ksd", at=s0 + 11.35),
            env.new(f"mcbv.{ii}", xt.Multipole, ksl=[f"acbv.{ii}"], at=s0 + 11.8),
            env.new(f"mb.{ii}.2", xt.Bend, length="l_mb", angle="ang_mb", k0_from_h=True, at=s0 + 15),
        ]
        if ii == 0:
            components.append(env.new("cav", xt.Cavity, length="l_cav", voltage="vrf",
                                      harmonic="h_rf", phase="phi_rf", at=19.0))
    components.append(env.new("ring_end", xt.Marker, at=800.0))
    return env, env.new_line(components=components, name="fodo")
