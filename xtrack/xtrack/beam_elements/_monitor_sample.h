// Sample index of a particle at a sampling monitor (BeamPositionMonitor,
// BeamSizeMonitor, BeamProfileMonitor).
//
// Model: the monitor samples the beam at the frequency `sampling_frequency`
// f_s [Hz], starting when the reference particle passes in `start_at_turn`.
// A particle with longitudinal coordinate zeta = s - beta0 c t passes the
// monitor at the time (relative to that first passage of the reference)
//     t = (at_turn - start_at_turn) / f_rev - zeta / (beta0 c),
// (the same timing as the Exciter of the xtrack manual). Sample i collects
// the passages with t in [(i - 1/2)/f_s, (i + 1/2)/f_s): i = round(f_s t), so
// that the reference particle of each turn sits at the centre of a sample.
// Returns -1 for passages before the first sample.
#ifndef XTRACK_MONITOR_SAMPLE_H
#define XTRACK_MONITOR_SAMPLE_H

#include "xtrack/headers/track.h"

GPUFUN int64_t xtrack_monitor_sample_index(LocalParticle* part, int64_t start_at_turn,
                                           double frev, double sampling_frequency){
    double const t = (double)(LocalParticle_get_at_turn(part) - start_at_turn) / frev
                     - LocalParticle_get_zeta(part) / (LocalParticle_get_beta0(part) * C_LIGHT);
    double const i = floor(sampling_frequency * t + 0.5);
    if (i < 0.) return -1;
    return (int64_t)i;
}

// 1 if the particle id is in [particle_id_start, particle_id_start + num_particles)
// (num_particles < 0: every particle).
GPUFUN int64_t xtrack_monitor_selects_particle(LocalParticle* part, int64_t particle_id_start,
                                               int64_t num_particles){
    int64_t const pid = LocalParticle_get_particle_id(part);
    if (num_particles < 0) return 1;
    return pid >= particle_id_start && pid < particle_id_start + num_particles;
}

// Histogram bin of `value` for `nbins` equal bins over [lo, hi]
// (numpy.histogram convention: half-open bins, the last one closed); -1 outside.
GPUFUN int64_t xtrack_monitor_bin_index(double value, double lo, double hi, int64_t nbins){
    if (!(value >= lo && value <= hi)) return -1;
    int64_t ii = (int64_t)floor((value - lo) * ((double)nbins / (hi - lo)));
    if (ii >= nbins) ii = nbins - 1;
    if (ii < 0) ii = 0;
    return ii;
}

#endif  // XTRACK_MONITOR_SAMPLE_H
