import json

import numpy as np
import pytest
import xobjects as xo
import xtrack as xt


def _drift_line():
    return xt.Line(elements=[xt.Drift(length=1.0), xt.Marker() if hasattr(xt, "Marker") else xt.Device(),
                             xt.Drift(length=2.0)], element_names=["d1", "m", "d2"])


def _particles(n=5):
    rng = np.random.default_rng(3)
    return xt.Particles(p0c=1e9, x=rng.normal(0, 1e-3, n), px=rng.normal(0, 1e-5, n),
                        y=rng.normal(0, 1e-3, n), py=rng.normal(0, 1e-5, n), delta=rng.uniform(-1e-3, 1e-3, n))


def test_line_tracking_equals_element_by_element_tracking():
    line = _drift_line()
    p_line = _particles()
    p_elem = p_line.copy()
    line.build_tracker()
    line.track(p_line, num_turns=3)
    for _ in range(3):
        for element in line.elements:
            element.track(p_elem)
    for name in ("x", "y", "zeta", "px", "py", "delta"):
        assert np.array_equal(getattr(p_line, name), getattr(p_elem, name))
    assert np.all(p_line.at_turn == 3)
    assert np.all(p_line.s == 0) and np.all(p_line.at_element == 0)


def test_turn_by_turn_monitor_records_start_of_each_turn():
    line = _drift_line()
    p = _particles(4)
    x0 = p.x.copy()
    line.track(p, num_turns=5, turn_by_turn_monitor=True)
    mon = line.record_last_track
    assert mon.x.shape == (4, 5)
    assert np.array_equal(mon.x[:, 0], x0)
    assert np.array_equal(mon.at_turn[0], np.arange(5))


def test_ele_start_ele_stop_and_num_elements():
    line = _drift_line()
    p = _particles(2)
    p.at_turn[:] = 0
    line.track(p, ele_start="d2")
    assert np.all(p.at_turn == 1)
    p2 = _particles(2)
    line.track(p2, ele_stop=2)  # d1 and m only
    assert np.all(p2.at_element == 2) and np.all(p2.s == 1.0)
    p3 = _particles(2)
    line.track(p3, num_elements=1)
    assert np.all(p3.s == 1.0)


def test_global_xy_limit_loses_particles_with_loss_location():
    line = xt.Line(elements=[xt.Drift(length=1.0), xt.Drift(length=1.0)], element_names=["a", "b"])
    p = xt.Particles(p0c=1e9, x=[0.0, 0.0], px=[0.0, 0.6])  # 0.6 m per metre: |x| > 1 m after 2 m
    line.track(p, num_turns=3)
    lost = p.particle_id == 1
    assert p.state[lost][0] == -1
    assert p.at_element[lost][0] == 1 and p.at_turn[lost][0] == 0 and p.s[lost][0] == 2.0
    assert p.state[~lost][0] == 1 and p.at_turn[~lost][0] == 3
    # lost particles go to the end of the arrays
    assert p.particle_id[-1] == 1


def test_vars_drive_element_attributes_between_tracks():
    line = _drift_line()
    line.vars["ld"] = 1.0
    line.element_refs["d1"].length = line.vars["ld"]
    p = xt.Particles(p0c=1e9, px=[1e-3])
    line.track(p)
    assert p.x[0] == pytest.approx(3e-3, rel=1e-14)
    line.vars["ld"] = 2.0
    p = xt.Particles(p0c=1e9, px=[1e-3])
    line.track(p)
    assert p.x[0] == pytest.approx(4e-3, rel=1e-14)


def test_line_dict_json_round_trip(tmp_path):
    line = _drift_line()
    line.vars["ld"] = 1.5
    line.element_refs["d2"].length = line.vars["ld"] * 2
    line.particle_ref = xt.Particles(p0c=7e12)
    path = tmp_path / "line.json.gz"
    line.to_json(path)
    back = xt.Line.from_json(path)
    assert back.element_names == line.element_names
    assert back["d2"].length == 3.0
    back.vars["ld"] = 1.0
    assert back["d2"].length == 2.0
    assert back.particle_ref.p0c[0] == 7e12
    assert json.loads(json.dumps(back.to_dict(), default=str))["elements"]["d1"]["length"] == 1.0


def test_bad_arguments_are_clear():
    line = _drift_line()
    with pytest.raises(KeyError, match="no element named .d3."):
        line.track(_particles(1), ele_start="d3")
    with pytest.raises(ValueError, match="num_turns"):
        line.track(_particles(1), num_turns=0)
    with pytest.raises(TypeError, match="unexpected|argument"):
        line.track(_particles(1), num_turn=3)
    with pytest.raises(TypeError, match="beam element"):
        xt.Line(elements=[1.0])


@pytest.mark.parametrize("threads", [0, 2])
def test_openmp_context_gives_identical_results(threads):
    ctx = xo.ContextCpu(omp_num_threads=threads)
    line = _drift_line()
    line.build_tracker(_context=ctx)
    p = _particles(50)
    ref = p.copy()
    line.track(p, num_turns=4)
    for _ in range(4):
        for element in line.elements:
            element.track(ref)
    assert np.array_equal(p.x, ref.x) and np.array_equal(p.zeta, ref.zeta)


def test_collective_element_splits_tracking_and_keeps_bookkeeping():
    elements = [xt.Drift(length=1.0) for _ in range(6)]
    elements[2].iscollective = True
    elements[5].iscollective = True
    line = xt.Line(elements=elements)
    line.reset_s_at_end_turn = False
    line.build_tracker()
    assert line.iscollective and len(line.tracker._parts) == 4
    p = xt.Particles(p0c=1e9, x=[1e-3, 2e-3], px=[1e-5, 0])
    ref = p.copy()
    line.track(p, num_turns=7, turn_by_turn_monitor=True)
    plain = xt.Line(elements=[xt.Drift(length=1.0) for _ in range(6)])
    plain.reset_s_at_end_turn = False
    plain.track(ref, num_turns=7, turn_by_turn_monitor=True)
    assert np.array_equal(p.x, ref.x) and np.all(p.at_turn == 7) and np.all(p.s == 42.0)
    assert np.array_equal(line.record_last_track.x, plain.record_last_track.x)


@pytest.mark.parametrize("ele_start,ele_stop,n_records,final_x", [
    (None, None, 5, 0.025), (None, 3, 5, 0.023), (2, None, 5, 0.023), (3, 2, 6, 0.024)])
@pytest.mark.parametrize("with_progress", [False, True, 2])
def test_monitor_size_and_content_with_partial_turns(ele_start, ele_stop, n_records, final_x, with_progress):
    line = xt.Line(elements=[xt.Drift(length=1.0)] * 5)
    p = xt.Particles(p0c=1e9, px=[1e-3])
    line.track(p, num_turns=5, ele_start=ele_start, ele_stop=ele_stop, turn_by_turn_monitor=True,
               with_progress=with_progress)
    record = line.record_last_track.x
    assert record.shape == (1, n_records)
    assert record[0, 0] == 0.0
    np.testing.assert_allclose(p.x, final_x, rtol=0, atol=1e-16)
    # between records the particle advances by one full turn (5 m at 1 mrad)
    np.testing.assert_allclose(np.diff(record[0, 1:]), 5e-3, rtol=0, atol=1e-16)


def _opencl_context():
    try:
        import pyopencl as cl
        platforms = cl.get_platforms()
    except Exception:  # no runtime or no platform: the context cannot exist here
        return None
    if not any(p.get_devices() for p in platforms):
        return None
    return xo.ContextPyopencl()


def test_opencl_line_tracking_is_bit_identical_to_cpu():
    ctx = _opencl_context()
    if ctx is None:
        pytest.skip("no OpenCL device")
    elements = lambda: [xt.Drift(length=1.0), xt.Multipole(knl=[0, 1e-3, 0.2]), xt.Drift(length=2.0)]
    rng = np.random.default_rng(5)
    p0 = xt.Particles(p0c=1e9, x=rng.normal(0, 1e-3, 20), px=rng.normal(0, 1e-4, 20),
                      y=rng.normal(0, 1e-3, 20), delta=rng.normal(0, 1e-3, 20))
    gpu_line = xt.Line(elements=elements())
    gpu_line.build_tracker(_context=ctx)
    p_gpu = p0.copy(_context=ctx)
    gpu_line.track(p_gpu, num_turns=20, turn_by_turn_monitor=True)
    cpu_line = xt.Line(elements=elements())
    p_cpu = p0.copy()
    cpu_line.track(p_cpu, num_turns=20, turn_by_turn_monitor=True)
    back = p_gpu.copy(_context=xo.ContextCpu())
    for name in ("x", "px", "y", "py", "zeta", "delta"):
        assert np.array_equal(getattr(back, name), getattr(p_cpu, name)), name
    assert np.array_equal(gpu_line.record_last_track.x, cpu_line.record_last_track.x)


def test_cycle_keeps_elements_and_tracker():
    line = xt.Line(elements=[xt.Drift(length=1.0), xt.Marker(), xt.Drift(length=2.0), xt.Marker()])
    line.build_tracker()
    line.cycle(name_first_element="e2")
    assert line.element_names == ["e2", "e3", "e0", "e1"]
    assert line.tracker is not None
    p = xt.Particles(p0c=1e9, px=[1e-3])
    line.track(p, num_elements=1)
    assert p.s[0] == 2.0  # the first element is now the 2 m drift
    with pytest.raises(KeyError, match="no element named"):
        line.cycle(name_first_element="nope")


def test_element_by_element_monitor_records_before_each_element():
    line = xt.Line(elements=[xt.Drift(length=1.0), xt.Multipole(knl=[0, 0.1]), xt.Drift(length=1.0)])
    p = xt.Particles(p0c=1e9, x=[1e-3, -2e-3], px=[0, 1e-4])
    probe = p.copy()
    line.track(p, turn_by_turn_monitor="ONE_TURN_EBE")
    mon = line.record_last_track
    for ii, element in enumerate(line.elements):
        assert np.array_equal(mon.x[:, ii], probe.x) and np.array_equal(mon.px[:, ii], probe.px)
        element.track(probe)
    # every per-particle field is recorded, the random-generator states too
    p_rng = xt.Particles(p0c=1e9, x=[0.0, 0.0])
    p_rng._init_random_number_generator(seeds=[11, 12])
    line.track(p_rng, turn_by_turn_monitor="ONE_TURN_EBE")
    for name in ("_rng_s1", "_rng_s2", "_rng_s3", "_rng_s4", "state", "particle_id"):
        assert np.array_equal(getattr(line.record_last_track, name)[:, 0], getattr(p_rng, name))
    # the last slot holds the particles after the last element
    assert mon.x.shape[1] == len(line.elements) + 1
    assert np.array_equal(mon.x[:, -1], p.x) and np.array_equal(mon.x[:, -1], probe.x)


def test_freeze_longitudinal_keeps_energy_and_lets_zeta_follow_the_path():
    line = xt.Line(elements=[xt.Drift(length=10.0), xt.Cavity(voltage=1e6, frequency=400e6, lag=90),
                             xt.Drift(length=10.0)])
    p = xt.Particles(p0c=1e9, px=[1e-3], delta=[1e-4], zeta=[0.1])
    delta0, zeta0 = p.delta.copy(), p.zeta.copy()
    line.track(p, num_turns=3, freeze_longitudinal=True)
    assert np.array_equal(p.delta, delta0)
    assert p.zeta[0] != zeta0[0]  # path length of the tilted, off-momentum trajectory
    free = xt.Particles(p0c=1e9, px=[1e-3], delta=[1e-4], zeta=[0.1])
    line.track(free, num_turns=3)
    assert free.delta[0] != delta0[0]  # the cavity acts when nothing is frozen


def test_configure_radiation_sets_flags_and_rejects_unknown_model():
    line = xt.Line(elements=[xt.Multipole(knl=[1e-3]) for _ in range(3)])
    line.configure_radiation(model="mean")
    assert all(e.radiation_flag == 1 for e in line.elements)
    assert line.config.XTRACK_MULTIPOLE_NO_SYNRAD is False
    line.configure_radiation(model=None)
    assert all(e.radiation_flag == 0 for e in line.elements)
    with pytest.raises(ValueError, match="model must be one of"):
        line.configure_radiation(model="classical")


def test_config_becomes_defines_and_selects_kernel():
    line = xt.Line(elements=[xt.Drift(length=1.0)])
    line.build_tracker()
    line.config.clear()
    line.config.FLAG_A = True
    line.config.FLAG_B = 3
    line.config.FLAG_C = False
    assert set(line.tracker._config_to_headers()) == {"#define FLAG_A", "#define FLAG_B 3"}
    assert line.tracker._hashable_config() == (("FLAG_A", True), ("FLAG_B", 3))
    k1, _ = line.tracker.get_track_kernel_and_data_for_present_config()
    line.config.FLAG_B = 4
    k2, _ = line.tracker.get_track_kernel_and_data_for_present_config()
    line.config.FLAG_B = 3
    k3, _ = line.tracker.get_track_kernel_and_data_for_present_config()
    assert k1 is k3 and k1 is not k2


def test_track_flag_ignores_global_aperture():
    line = xt.Line(elements=[xt.Drift(length=1.0)])
    line.build_tracker()
    p = xt.Particles(p0c=1e9, px=[2.0])
    line.track(p.copy())
    line.tracker.track_flags.XS_FLAG_IGNORE_GLOBAL_APERTURE = True
    kept = p.copy()
    line.track(kept)
    assert kept.state[0] == 1 and kept.x[0] == pytest.approx(2.0)
    with pytest.raises(AttributeError, match="unknown track flag"):
        line.tracker.track_flags.XS_FLAG_IGNORE_GLOBAL_APERTUR = True


def test_random_generators_sample_their_distributions():
    n = 200_000
    uniform = xt.RandomUniform().generate(n_samples=n, n_seeds=2)
    assert uniform.shape == (2, n // 2) and uniform.min() > 0 and uniform.max() < 1
    assert abs(uniform.mean() - 0.5) < 5e-3 and abs(uniform.var() - 1 / 12) < 2e-3
    normal = xt.RandomNormal().generate(n_samples=n, n_seeds=2)
    assert abs(normal.mean()) < 1e-2 and abs(normal.std() - 1) < 1e-2
    expo = xt.RandomExponential().generate(n_samples=n, n_seeds=2)
    assert expo.min() > 0 and abs(expo.mean() - 1) < 1e-2
    p = xt.Particles(p0c=1e9, x=[0.0, 0.0])
    p._init_random_number_generator(seeds=[3, 4])
    q = p.copy()
    assert np.array_equal(xt.RandomUniform().generate(n_samples=10, particles=p),
                          xt.RandomUniform().generate(n_samples=10, particles=q))


def test_build_tracker_again_replaces_the_tracker():
    line = _drift_line()
    first = line.build_tracker()
    second = line.build_tracker(_context=xo.ContextCpu(omp_num_threads=2))
    assert second is line.tracker and second is not first
    p = xt.Particles(p0c=1e9, px=[1e-3])
    line.track(p)
    assert p.x[0] == pytest.approx(3e-3, rel=1e-14)


def test_shallow_copy_shares_elements_not_names():
    line = _drift_line()
    twin = line.copy(shallow=True)
    assert twin.element_dict["d1"] is line.element_dict["d1"]
    twin.element_names.pop()
    assert len(line.element_names) == 3
    deep = line.copy()
    assert deep.element_dict["d1"] is not line.element_dict["d1"]
    assert deep["d1"].length == line["d1"].length
