"""Source of the line kernel: one C loop over particles, element passes and turns.

The elements of a tracked line live in one buffer together with a
`TrackerData` struct that lists, for each position of the line, the type id
of its element and the byte offset of its data relative to `TrackerData`
itself (offsets survive buffer growth and copies between contexts). The
kernel walks the positions with one thread (GPU) or one loop iteration
(CPU, OpenMP-parallel) per particle and dispatches on the type id with a
`switch`, so one compiled module serves every line made of the same set of
element classes.

Bookkeeping per particle (as the established tracker does it):
- the turn-by-turn monitor (flag_monitor 1) records the particle at the
  start of every turn, and also before its first pass with flag_monitor 2;
  with flag_monitor 3 (element-by-element mode) before every element;
- before element `i` is tracked, `at_element = i`; a particle lost there
  keeps `at_element`, `at_turn`, `s` and its coordinates at the loss;
- after the last element of the line: `at_turn += 1`, `at_element = 0`
  and, unless disabled, `s = 0`;
- with `XTRACK_FREEZE_LONGITUDINAL` defined, the energy variables (delta,
  pzeta, rpp, rvv) are restored after every element (4d tracking); zeta
  still follows the path length, as in the established 4d twiss;
- with `XTRACK_GLOBAL_XY_LIMIT` defined, a particle with |x| or |y| above
  it after an element of a thick class is lost there with state -1
  (`XTRACK_LOST_ON_GLOBAL_APERTURE`); thin elements do not move particles
  transversally and are not checked.
"""

import xobjects as xo
from xpart import Particles

__all__ = ["TrackerData", "line_kernel_description", "line_kernel_source", "LINE_KERNEL_NAME"]

LINE_KERNEL_NAME = "xtrack_track_line"


class TrackerData(xo.Struct):
    """Positions of a line: element type ids and data offsets (relative to this struct)."""

    _c_type = "TrackerData"
    ele_typeids = xo.Field(xo.Int64[:])
    ele_offsets = xo.Field(xo.Int64[:])
    ele_check_xy_limit = xo.Field(xo.Int64[:])
    line_length = xo.Field(xo.Float64)  # [m], for s when backtracking across the line end


def config_defines(config):
    """`#define` lines of the tracker configuration (a mapping of name -> value), one string."""
    return "\n".join(config_header_lines(config)) + "\n"


def config_header_lines(config):
    """`#define` lines of the configuration: True defines the name, False/None nothing."""
    lines = []
    for name, value in sorted(config.items()):
        if value is False or value is None:
            continue
        if value is True:
            lines.append(f"#define {name}")
        else:
            lines.append(f"#define {name} {value!r}" if not isinstance(value, str) else f"#define {name} {value}")
    return lines


def line_kernel_description(monitor_class):
    """The `xo.Kernel` of the line kernel."""
    return xo.Kernel(
        args=[
            xo.Arg(TrackerData, name="tracker"),
            xo.Arg(Particles._XoStruct, name="particles"),
            xo.Arg(xo.Int64, name="num_particles"),
            xo.Arg(xo.Int64, name="ele_start"),
            xo.Arg(xo.Int64, name="num_passes"),
            xo.Arg(xo.Int64, name="flag_end_turn_actions"),
            xo.Arg(xo.Int64, name="flag_reset_s_at_end_turn"),
            xo.Arg(xo.Int64, name="flag_monitor"),
            xo.Arg(monitor_class._XoStruct, name="tbt_monitor"),
            xo.Arg(xo.Int64, name="flags"),
        ],
        n_threads="num_particles",
    )


#: Run-time flags of the line kernel (bits of its `flags` argument), set through
#: `tracker.track_flags.<NAME> = True`.
TRACK_FLAGS = {
    "XS_FLAG_BACKTRACK": 1,
    "XS_FLAG_KILL_CAVITY_KICK": 2,
    "XS_FLAG_IGNORE_GLOBAL_APERTURE": 4,
    "XS_FLAG_IGNORE_LOCAL_APERTURE": 8,
    "XS_FLAG_SR_TAPER": 16,
    "XS_FLAG_IGNORE_MONITORS": 32,
}


#: `state` of a particle lost on the global aperture (local apertures give 0).
LOST_ON_GLOBAL_APERTURE = -1

#: `state` of a particle sent backwards through an element configuration that
#: has no inverse map (e.g. full fringe-field edges), as in the established tracker.
NOT_BACKTRACKABLE = -32


def flag_defines():
    """`#define` lines of the run-time flag bits and the loss codes."""
    return ("".join(f"#define {name} {bit}\n" for name, bit in TRACK_FLAGS.items())
            + f"#define XTRACK_LOST_ON_GLOBAL_APERTURE {LOST_ON_GLOBAL_APERTURE}\n"
            + f"#define XTRACK_NOT_BACKTRACKABLE {NOT_BACKTRACKABLE}\n")


def _dispatch(classes, backtrack=False):
    from ..beam_elements.apertures import LongitudinalLimitRect, _Aperture
    from ..beam_elements.beam_monitors import _SamplingMonitor
    from ..beam_elements.beam_stats_monitor import BeamStatsMonitor
    from ..beam_elements.monitors import _MonitorBase

    cases = []
    for typeid, cls in enumerate(classes):
        n = cls.__name__
        if not backtrack:
            call = f"{n}_track_local_particle(({n}Data) el, part);"
        elif getattr(cls, "has_backtrack", False) is True:
            call = f"{n}_backtrack_local_particle(({n}Data) el, part);"
        else:  # refused in Python before the call; kept safe here
            call = "LocalParticle_set_state(part, XTRACK_NOT_BACKTRACKABLE);"
        if issubclass(cls, (_Aperture, LongitudinalLimitRect)):
            # apertures are skipped with XS_FLAG_IGNORE_LOCAL_APERTURE (twiss default)
            call = f"if (!(flags & XS_FLAG_IGNORE_LOCAL_APERTURE)) {call}"
        elif issubclass(cls, (_MonitorBase, _SamplingMonitor, BeamStatsMonitor)):
            # user monitors are skipped with XS_FLAG_IGNORE_MONITORS (optics tracking:
            # twiss and closed-orbit particles must not enter the user's records)
            call = f"if (!(flags & XS_FLAG_IGNORE_MONITORS)) {call}"
        cases.append(f"                    case {typeid}: {call} break;")
    return "\n".join(cases)


#: Particles per chunk of the CPU line kernel: every element is called once per
#: chunk (its set-up, data reads and the walk through the line's element data are
#: shared by the chunk) and loops over the chunk's particles inside its
#: per-particle block. GPUs keep one particle per thread (chunk 1).
CPU_PARTICLE_CHUNK = 16


def line_kernel_source(classes, monitor_class, chunk=1):
    """C source of the line kernel for the element `classes` (type id = index).

    `chunk`: particles handled together by one loop iteration / thread (>= 1).
    """
    if not isinstance(chunk, int) or isinstance(chunk, bool) or chunk < 1:
        raise ValueError(f"chunk must be a positive integer, got {chunk!r}.")
    monitor = monitor_class.__name__
    return f"""
#define XTRACK_PARTICLE_CHUNK {chunk}
/*gpukern*/ void {LINE_KERNEL_NAME}(TrackerData tracker, ParticlesData particles,
        int64_t num_particles, int64_t ele_start, int64_t num_passes,
        int64_t flag_end_turn_actions, int64_t flag_reset_s_at_end_turn,
        int64_t flag_monitor, {monitor}Data tbt_monitor, int64_t flags){{
    int64_t const num_elements = TrackerData_len_ele_offsets(tracker);
    /*gpuglmem*/ int8_t* const base = (/*gpuglmem*/ int8_t*) tracker;
    int64_t const num_chunks = (num_particles + XTRACK_PARTICLE_CHUNK - 1) / XTRACK_PARTICLE_CHUNK;
    for (int64_t ic = 0; ic < num_chunks; ic++){{ //vectorize_over ic num_chunks
        int64_t const i0 = ic * XTRACK_PARTICLE_CHUNK;
        int64_t const i1 = i0 + XTRACK_PARTICLE_CHUNK < num_particles ? i0 + XTRACK_PARTICLE_CHUNK : num_particles;
        // the chunk (what the elements get) and a one-particle view of it (bookkeeping)
        LocalParticle lchunk;
        Particles_to_LocalParticle(particles, &lchunk, i0, i1);
        LocalParticle lpart = lchunk;
        LocalParticle* part = &lpart;
        if (flags & XS_FLAG_BACKTRACK){{
        for (int64_t ii = i0; ii < i1; ii++){{
        lpart.ipart = ii;
        lpart.endpart = ii + 1;
        int64_t iel = ele_start;
        #ifdef XTRACK_FREEZE_LONGITUDINAL
        double const frozen_delta = LocalParticle_get_delta(part);
        double const frozen_pzeta = LocalParticle_get_pzeta(part);
        double const frozen_rpp = LocalParticle_get_rpp(part);
        double const frozen_rvv = LocalParticle_get_rvv(part);
        #endif
            // backwards from element ele_start: inverse maps, at_element = the
            // element just undone (the particle is at its entrance)
            if (flag_monitor == 3){{
                LocalParticle_set_at_element(part, iel + 1);
                {monitor}_track_local_particle(tbt_monitor, part);
            }}
            for (int64_t ipass = 0; ipass < num_passes; ipass++){{
                if (LocalParticle_get_state(part) <= 0) break;
                if (iel == num_elements - 1 && flag_end_turn_actions){{
                    // entering the line from its end: the turn counter and s
                    // undo the forward end-of-turn actions
                    LocalParticle_add_to_at_turn(part, -1);
                    if (flag_reset_s_at_end_turn) LocalParticle_set_s(part, TrackerData_get_line_length(tracker));
                }}
                LocalParticle_set_at_element(part, iel);
                /*gpuglmem*/ int8_t* const el = base + TrackerData_get_ele_offsets(tracker, iel);
                switch (TrackerData_get_ele_typeids(tracker, iel)){{
{_dispatch(classes, backtrack=True)}
                }}
                #ifdef XTRACK_FREEZE_LONGITUDINAL
                LocalParticle_set_delta(part, frozen_delta);
                LocalParticle_set_pzeta(part, frozen_pzeta);
                LocalParticle_set_rpp(part, frozen_rpp);
                LocalParticle_set_rvv(part, frozen_rvv);
                #endif
                if (LocalParticle_get_state(part) <= 0) break;
                if (flag_monitor == 3) {monitor}_track_local_particle(tbt_monitor, part);
                iel = iel > 0 ? iel - 1 : num_elements - 1;
            }}
        }}
        }}  // backward
        else {{
        // forward: the chunk walks the line together; a particle lost at an
        // element stops there (it keeps at_element, at_turn, s) and is skipped
        // by the per-particle blocks of the following elements
        int8_t alive[XTRACK_PARTICLE_CHUNK];
        #ifdef XTRACK_FREEZE_LONGITUDINAL
        double frozen_delta[XTRACK_PARTICLE_CHUNK], frozen_pzeta[XTRACK_PARTICLE_CHUNK];
        double frozen_rpp[XTRACK_PARTICLE_CHUNK], frozen_rvv[XTRACK_PARTICLE_CHUNK];
        #endif
        int64_t iel = ele_start;
        int64_t n_alive = 0;
        for (int64_t ii = i0; ii < i1; ii++){{
            lpart.ipart = ii;
            alive[ii - i0] = LocalParticle_get_state(part) > 0;
            n_alive += alive[ii - i0];
            if (alive[ii - i0] && num_passes > 0) LocalParticle_set_at_element(part, iel);
            #ifdef XTRACK_FREEZE_LONGITUDINAL
            frozen_delta[ii - i0] = LocalParticle_get_delta(part);
            frozen_pzeta[ii - i0] = LocalParticle_get_pzeta(part);
            frozen_rpp[ii - i0] = LocalParticle_get_rpp(part);
            frozen_rvv[ii - i0] = LocalParticle_get_rvv(part);
            #endif
        }}
        for (int64_t ipass = 0; ipass < num_passes && n_alive > 0; ipass++){{
            if (flag_monitor == 3 || (flag_monitor && (iel == 0 || (ipass == 0 && flag_monitor == 2)))){{
                for (int64_t ii = i0; ii < i1; ii++){{
                    if (!alive[ii - i0]) continue;
                    lpart.ipart = ii;
                    lpart.endpart = ii + 1;
                    {monitor}_track_local_particle(tbt_monitor, part);
                }}
            }}
            /*gpuglmem*/ int8_t* const el = base + TrackerData_get_ele_offsets(tracker, iel);
            switch (TrackerData_get_ele_typeids(tracker, iel)){{
{_dispatch(classes).replace(" el, part);", " el, &lchunk);")}
            }}
            int64_t const next = iel + 1 < num_elements ? iel + 1 : 0;
            int64_t const end_turn = next == 0 && flag_end_turn_actions;
            #ifdef XTRACK_GLOBAL_XY_LIMIT
            int64_t const check_xy = TrackerData_get_ele_check_xy_limit(tracker, iel)
                                     && !(flags & XS_FLAG_IGNORE_GLOBAL_APERTURE);
            #endif
            n_alive = 0;
            for (int64_t ii = i0; ii < i1; ii++){{
                if (!alive[ii - i0]) continue;
                lpart.ipart = ii;
                #ifdef XTRACK_FREEZE_LONGITUDINAL
                LocalParticle_set_delta(part, frozen_delta[ii - i0]);
                LocalParticle_set_pzeta(part, frozen_pzeta[ii - i0]);
                LocalParticle_set_rpp(part, frozen_rpp[ii - i0]);
                LocalParticle_set_rvv(part, frozen_rvv[ii - i0]);
                #endif
                #ifdef XTRACK_GLOBAL_XY_LIMIT
                if (check_xy && LocalParticle_get_state(part) > 0 &&
                        (fabs(LocalParticle_get_x(part)) > XTRACK_GLOBAL_XY_LIMIT ||
                         fabs(LocalParticle_get_y(part)) > XTRACK_GLOBAL_XY_LIMIT)){{
                    LocalParticle_set_state(part, XTRACK_LOST_ON_GLOBAL_APERTURE);
                }}
                #endif
                if (LocalParticle_get_state(part) <= 0){{ alive[ii - i0] = 0; continue; }}
                n_alive++;
                if (end_turn){{
                    LocalParticle_add_to_at_turn(part, 1);
                    if (flag_reset_s_at_end_turn) LocalParticle_set_s(part, 0.);
                }}
                LocalParticle_set_at_element(part, next);
            }}
            iel = next;
        }}
        if (flag_monitor == 3){{
            for (int64_t ii = i0; ii < i1; ii++){{
                lpart.ipart = ii;
                lpart.endpart = ii + 1;
                if (LocalParticle_get_state(part) <= 0) continue;
                // element-by-element mode: also record where the tracking ended
                // (after the last element of a turn: slot num_elements)
                int64_t const at_element = LocalParticle_get_at_element(part);
                LocalParticle_set_at_element(part, at_element == 0 && num_passes > 0 ? num_elements : at_element);
                {monitor}_track_local_particle(tbt_monitor, part);
                LocalParticle_set_at_element(part, at_element);
            }}
        }}
        }}  // forward
    }}//end_vectorize
}}
"""
