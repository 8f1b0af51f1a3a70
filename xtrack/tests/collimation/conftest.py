"""Fixtures of the collimation tests: a small FODO ring with a collimator and a marker."""

import math

import pytest

import xtrack as xt

P0C = 450e9  # [eV]


def fodo_ring(split_collimator=False, kick=0.0):
    """A 90-degree FODO ring of 8 cells, 10 m each; cell 2 has collimator 'tcp' (Device, 1 m)
    and cell 5 a marker 'mk5'. ``split_collimator`` puts a marker at the centre of 'tcp' (two
    0.5 m halves), for an independent twiss at the centre; ``kick`` [rad] (horizontal and
    vertical dipole kicks in cell 0) makes a closed orbit."""
    env = xt.Environment(particle_ref=xt.Particles(p0c=P0C))
    names = []
    k1 = 1 / (0.5 * 10 / (4 * math.sin(math.pi / 4)))  # thin-lens 90-degree focusing, 0.5 m quads
    for cell in range(8):
        env.new(f"qf{cell}", xt.Quadrupole, length=0.5, k1=k1)
        env.new(f"qd{cell}", xt.Quadrupole, length=0.5, k1=-k1)
        names += [f"qf{cell}", f"d{cell}a", f"qd{cell}", f"d{cell}b"]
        env.new(f"d{cell}a", xt.Drift, length=4.5)
        if cell == 2:
            env.new("d2b", xt.Drift, length=1.0)
            if split_collimator:
                env.new("tcp_half1", xt.Device, length=0.5)
                env.new("tcp_half2", xt.Device, length=0.5)
                env.new("tcp_centre", xt.Marker)
                coll = ["tcp_half1", "tcp_centre", "tcp_half2"]
            else:
                env.new("tcp", xt.Device, length=1.0)
                coll = ["tcp"]
            env.new("d2c", xt.Drift, length=2.5)
            names[-1:] = ["d2b"] + coll + ["d2c"]
        elif cell == 5:
            env.new("d5b", xt.Drift, length=2.25)
            env.new("mk5", xt.Marker)
            names[-1:] = ["d5b", "mk5", "d5b"]
        else:
            env.new(f"d{cell}b", xt.Drift, length=4.5)
    if kick:
        env.new("kicker", xt.Multipole, knl=[kick], ksl=[kick])
        names.insert(1, "kicker")
    return env.new_line(components=names)


@pytest.fixture
def ring():
    """The ring builder, ``ring(split_collimator=False, kick=0.0)``."""
    return fodo_ring
