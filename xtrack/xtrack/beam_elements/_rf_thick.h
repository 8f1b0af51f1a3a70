// Thin or thick RF element body shared by Cavity and CrabCavity: one kick
// (length 0), or drifts and kicks split by the integrator of
// _drift_kick_splitting.h, inside the element's shift/tilt frame.
#ifndef XTRACK__RF_THICK_H
#define XTRACK__RF_THICK_H

#include "xtrack/headers/track.h"
#include "_drift.h"
#include "_drift_kick_splitting.h"
#include "_rf_kicks.h"
#include "_xy_shift_tilt.h"

#define XTRACK_RF_KICK_CAVITY 0  // longitudinal (energy) kick
#define XTRACK_RF_KICK_CRAB 1    // transverse crab kick

typedef struct {
    int64_t kick;           // XTRACK_RF_KICK_CAVITY or XTRACK_RF_KICK_CRAB
    double voltage;         // [V]
    double phi0;            // [rad] phase of the reference particle
    int64_t absolute_time;
    double length;          // [m]
    int64_t exact;          // exact drifts between the kicks
    int64_t integrator;
    int64_t num_kicks;      // after dkd_num_kicks
    double shift_x, shift_y, cos_t, sin_t;
    double sign;            // 1, or -1 for the inverse (backtracking): the same
                            // palindromic splitting over -length, opposite kicks
} RfBody;

GPUFUN void rf_body_kick(LocalParticle* part, RfBody const* b, double frequency, double weight){
    if (b->kick == XTRACK_RF_KICK_CRAB) rf_crab_kick(part, b->voltage, frequency, b->phi0, b->absolute_time, weight);
    else rf_cavity_kick(part, b->voltage, frequency, b->phi0, b->absolute_time, weight);
}

GPUFUN void rf_body_drift(LocalParticle* part, RfBody const* b, int64_t i){
    double const dl = dkd_drift_weight(b->integrator, b->num_kicks, i) * (b->sign * b->length);
    if (b->exact) Drift_single_particle_exact(part, dl);
    else Drift_single_particle(part, dl);
}

GPUFUN void rf_body_track(LocalParticle* part, RfBody const* b, double frequency){
    xy_shift_tilt_entry(part, b->shift_x, b->shift_y, b->cos_t, b->sin_t);
    if (b->length == 0.){
        rf_body_kick(part, b, frequency, b->sign);
    }
    else {
        for (int64_t i = 0; i < b->num_kicks; i++){
            rf_body_drift(part, b, i);
            rf_body_kick(part, b, frequency, b->sign * dkd_kick_weight(b->integrator, b->num_kicks, i));
        }
        rf_body_drift(part, b, b->num_kicks);
    }
    xy_shift_tilt_exit(part, b->shift_x, b->shift_y, b->cos_t, b->sin_t);
}

#endif  // XTRACK__RF_THICK_H
