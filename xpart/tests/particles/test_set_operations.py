"""Reorganisation, sort, filter, merge, add_particles, copies and round trips."""

import numpy as np
import pandas as pd
import pytest

import xpart as xp


def _sample(n=6, **kwargs):
    rng = np.random.default_rng(1)
    return xp.Particles(p0c=26e9, x=rng.normal(size=n) * 1e-3, px=rng.normal(size=n) * 1e-5,
                        zeta=rng.normal(size=n) * 0.1, delta=rng.uniform(-1e-3, 1e-3, n),
                        particle_id=np.arange(n)[::-1], **kwargs)


def _assert_particles_equal(a, b):
    da, db = a.to_dict(), b.to_dict()
    assert da.keys() == db.keys()
    for key in da:
        np.testing.assert_array_equal(da[key], db[key], err_msg=key)


def test_lost_particles_are_moved_to_the_end_keeping_order():
    p = _sample(state=[1, 0, 1, -2, 1, 0], _capacity=8)
    np.testing.assert_array_equal(p.state, [1, 1, 1, 0, -2, 0, -999999999, -999999999])
    np.testing.assert_array_equal(p.particle_id[:6], [5, 3, 1, 4, 2, 0])
    assert (p._num_active_particles, p._num_lost_particles) == (3, 3)
    q = _sample(state=[1, 0, 1, -2, 1, 0], _no_reorganize=True)
    np.testing.assert_array_equal(q.state, [1, 0, 1, -2, 1, 0])


def test_reorganize_moves_all_fields_together():
    p = _sample()
    x_of_id = dict(zip(p.particle_id, p.x, strict=True))
    p.state[[0, 2]] = 0  # lost in place, as a kernel does
    assert p.reorganize() == (4, 2)
    np.testing.assert_array_equal(p.state, [1, 1, 1, 1, 0, 0])
    for pid, x in zip(p.particle_id, p.x, strict=True):
        assert x_of_id[pid] == x


def test_hide_and_unhide_lost_particles():
    p = _sample(state=[1, 0, 1, 1, 0, 1])
    p.hide_lost_particles()
    assert len(p.x) == 4 and np.all(p.state == 1)
    p.unhide_lost_particles()
    assert len(p.x) == 6
    p.hide_first_n_particles(2)
    np.testing.assert_array_equal(p.particle_id, p.to_dict()["particle_id"][2:])
    p.unhide_first_n_particles()
    assert len(p.x) == 6


def test_sort_by_particle_id_and_by_coordinate():
    p = _sample(state=[1, 0, 1, 1, 1, 1])
    idx = p.sort()
    np.testing.assert_array_equal(p.particle_id, [0, 1, 2, 3, 5, 4])  # lost id 4 last
    assert idx.shape == (6,)
    p.sort(by="x", interleave_lost_particles=True)
    assert np.all(np.diff(p.x) >= 0)
    with pytest.raises(KeyError, match="cannot sort by 'xx'"):
        p.sort(by="xx")


def test_filter_merge_and_add_particles():
    p = _sample()
    sel = p.filter(p.x > 0)
    np.testing.assert_array_equal(np.sort(sel.x), np.sort(p.x[p.x > 0]))
    merged = xp.Particles.merge([sel, p.filter(p.x <= 0)])
    assert merged._capacity == 6
    np.testing.assert_array_equal(np.sort(merged.x), np.sort(p.x))
    with pytest.raises(ValueError, match="different mass0"):
        xp.Particles.merge([p, xp.Particles("electron")])

    target = xp.Particles(p0c=26e9, x=[1.0], particle_id=[100], _capacity=5)
    extra = _sample(n=4, state=[1, 0, 1, 1])
    target.add_particles(extra)
    assert target._num_active_particles == 4
    target.add_particles(xp.Particles(p0c=26e9, state=[0], particle_id=[200]), keep_lost=True)
    assert target._num_lost_particles == 1
    with pytest.raises(ValueError, match="not enough space"):
        target.add_particles(extra)


def test_active_particle_id_range():
    p = xp.Particles(particle_id=[4, 7, 9, 12], state=[0, 1, 1, 0])
    assert p.get_active_particle_id_range() == (7, 10)


def test_dict_round_trip_and_options():
    p = _sample(_capacity=9)
    p._init_random_number_generator(seeds=np.arange(9))
    full = p.to_dict()
    assert "_rng_s1" in full and len(full["x"]) == 9
    _assert_particles_equal(xp.Particles.from_dict(full), p)
    compact = p.to_dict(compact=True)
    assert "_rng_s1" not in compact and "pzeta" not in compact and len(compact["x"]) == 6
    back = xp.Particles.from_dict(compact)
    np.testing.assert_allclose(back.pzeta, p.pzeta[:6], rtol=0, atol=0)
    no_rng = xp.Particles.from_dict(full, load_rng_state=False)
    assert np.all(no_rng._rng_s1 == 0)


def test_json_round_trip(tmp_path):
    p = _sample(state=[1, 1, 0, 1, 1, 1])
    p.t_sim = 8.9e-5
    p.to_json(tmp_path / "p.json", indent=1)
    _assert_particles_equal(xp.Particles.from_json(tmp_path / "p.json"), p)


def test_pandas_round_trip():
    p = _sample()
    df = p.to_pandas()
    assert isinstance(df, pd.DataFrame) and len(df) == 6 and df["mass0"].iloc[0] == p.mass0
    _assert_particles_equal(xp.Particles.from_pandas(df), p)
    bad = df.copy()
    bad.loc[0, "mass0"] = 1.0
    with pytest.raises(ValueError, match="column 'mass0'"):
        xp.Particles.from_pandas(bad)


def test_copy_to_every_context_and_back(context):
    p = _sample(state=[1, 0, 1, 1, 1, 1], _capacity=8)
    on_ctx = p.copy(_context=context)
    assert on_ctx._context is context
    assert on_ctx._capacity == 8
    np.testing.assert_array_equal(on_ctx.to_dict()["x"], p.to_dict()["x"])
    on_ctx.update_delta(np.full(8, 1e-4))
    p.update_delta(np.full(8, 1e-4))
    back = on_ctx.copy(_context=xp.Particles()._context)
    _assert_particles_equal(back, p)
    built = xp.Particles(_context=context, x=[1.0, 2.0], state=[0, 1])
    np.testing.assert_array_equal(built.to_dict()["x"], [2.0, 1.0])


def test_show_prints_coordinates(capsys):
    _sample(n=2).show()
    out = capsys.readouterr().out
    assert "particle_id" in out and "2 active" in out
