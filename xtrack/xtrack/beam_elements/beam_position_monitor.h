// BeamPositionMonitor: sums of x and y and the particle count per sample.
// Sample index and particle selection: _monitor_sample.h. Several particles
// add into the same sample, possibly from several threads at once, hence
// atomicAdd (xobjects/headers/atomicadd.h: CPU with OpenMP, CUDA).
#ifndef XTRACK_BEAM_POSITION_MONITOR_H
#define XTRACK_BEAM_POSITION_MONITOR_H

#include "xtrack/headers/track.h"
#include "xobjects/headers/atomicadd.h"
#include "xtrack/beam_elements/_monitor_sample.h"

GPUFUN void BeamPositionMonitor_track_local_particle(BeamPositionMonitorData el, LocalParticle* part0){
    int64_t const start_at_turn = BeamPositionMonitorData_get_start_at_turn(el);
    int64_t const stop_at_turn = BeamPositionMonitorData_get_stop_at_turn(el);
    int64_t const n_samples = BeamPositionMonitorData_len_count(el);
    START_PER_PARTICLE_BLOCK(part0, part);
        int64_t const at_turn = LocalParticle_get_at_turn(part);
        if (at_turn >= start_at_turn && at_turn < stop_at_turn
                && xtrack_monitor_selects_particle(part, BeamPositionMonitorData_get_particle_id_start(el),
                                                   BeamPositionMonitorData_get_num_particles(el))){
            int64_t const ii = xtrack_monitor_sample_index(part, start_at_turn,
                BeamPositionMonitorData_get_frev(el), BeamPositionMonitorData_get_sampling_frequency(el));
            if (ii >= 0 && ii < n_samples){
                atomicAdd(BeamPositionMonitorData_getp1_count(el, ii), 1.);
                atomicAdd(BeamPositionMonitorData_getp1_x_sum(el, ii), LocalParticle_get_x(part));
                atomicAdd(BeamPositionMonitorData_getp1_y_sum(el, ii), LocalParticle_get_y(part));
            }
        }
    END_PER_PARTICLE_BLOCK;
}

#endif  // XTRACK_BEAM_POSITION_MONITOR_H
