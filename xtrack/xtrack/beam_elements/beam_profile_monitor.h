// BeamProfileMonitor: histograms of x and y per sample.
// Sample index and particle selection: _monitor_sample.h. Several particles
// add into the same sample, possibly from several threads at once, hence
// atomicAdd (xobjects/headers/atomicadd.h: CPU with OpenMP, CUDA).
#ifndef XTRACK_BEAM_PROFILE_MONITOR_H
#define XTRACK_BEAM_PROFILE_MONITOR_H

#include "xtrack/headers/track.h"
#include "xobjects/headers/atomicadd.h"
#include "xtrack/beam_elements/_monitor_sample.h"

GPUFUN void BeamProfileMonitor_track_local_particle(BeamProfileMonitorData el, LocalParticle* part0){
    int64_t const start_at_turn = BeamProfileMonitorData_get_start_at_turn(el);
    int64_t const stop_at_turn = BeamProfileMonitorData_get_stop_at_turn(el);
    int64_t const nx = BeamProfileMonitorData_get_nx(el);
    int64_t const ny = BeamProfileMonitorData_get_ny(el);
    int64_t const n_samples = BeamProfileMonitorData_get_n_samples(el);
    START_PER_PARTICLE_BLOCK(part0, part);
        int64_t const at_turn = LocalParticle_get_at_turn(part);
        if (at_turn >= start_at_turn && at_turn < stop_at_turn
                && xtrack_monitor_selects_particle(part, BeamProfileMonitorData_get_particle_id_start(el),
                                                   BeamProfileMonitorData_get_num_particles(el))){
            int64_t const ii = xtrack_monitor_sample_index(part, start_at_turn,
                BeamProfileMonitorData_get_frev(el), BeamProfileMonitorData_get_sampling_frequency(el));
            if (ii >= 0 && ii < n_samples){
                int64_t const bx = xtrack_monitor_bin_index(LocalParticle_get_x(part),
                    BeamProfileMonitorData_get_x_min(el), BeamProfileMonitorData_get_x_max(el), nx);
                int64_t const by = xtrack_monitor_bin_index(LocalParticle_get_y(part),
                    BeamProfileMonitorData_get_y_min(el), BeamProfileMonitorData_get_y_max(el), ny);
                if (bx >= 0) atomicAdd(BeamProfileMonitorData_getp1_x_intensity(el, ii * nx + bx), 1.);
                if (by >= 0) atomicAdd(BeamProfileMonitorData_getp1_y_intensity(el, ii * ny + by), 1.);
            }
        }
    END_PER_PARTICLE_BLOCK;
}

#endif  // XTRACK_BEAM_PROFILE_MONITOR_H
