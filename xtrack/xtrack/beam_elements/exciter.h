// Exciter: thin multipole scaled by a sampled waveform (arbitrary time
// dependence), kick of _multipole_kick.h with weight samples[i].
//
// Sample index of a particle (xtrack manual, class Exciter):
//   i = floor(f_s ((at_turn - start_turn) / f_rev - zeta / (beta0 c)))
// so the reference particle at start_turn sees sample 0. Kicked only for
// 0 <= i < nduration; the waveform repeats: samples[i mod nsamples].
#ifndef XTRACK_EXCITER_H
#define XTRACK_EXCITER_H

#include "xtrack/headers/track.h"
#include "_multipole_kick.h"

GPUFUN void Exciter_track_local_particle(ExciterData el, LocalParticle* part0){
    double const fs = ExciterData_get_sampling_frequency(el);
    double const frev = ExciterData_get_frev(el);
    int64_t const start_turn = ExciterData_get_start_turn(el);
    int64_t const nsamples = ExciterData_get_nsamples(el);
    int64_t const nduration = ExciterData_get_nduration(el);
    int64_t const order = ExciterData_get_order(el);
    START_PER_PARTICLE_BLOCK(part0, part);
        double const turns = (double)(LocalParticle_get_at_turn(part) - start_turn);
        double const tau = LocalParticle_get_zeta(part) / LocalParticle_get_beta0(part) / C_LIGHT;
        double const t_index = fs * (turns / frev - tau);
        if (nsamples > 0 && t_index >= 0. && t_index < (double)nduration){
            int64_t const i = (int64_t)floor(t_index);
            double const value = (double)ExciterData_get_samples(el, i % nsamples);
            multipole_kick(part, ExciterData_getp1_knl(el, 0), ExciterData_getp1_ksl(el, 0),
                           order, value);
        }
    END_PER_PARTICLE_BLOCK;
}

#endif  // XTRACK_EXCITER_H
