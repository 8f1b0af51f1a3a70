// CrabCavity: transverse-deflecting RF cavity (horizontal crab kick and its
// longitudinal partner, _rf_kicks.h), thin or thick.
//
// Thin (length = 0): one kick. Thick: drift-kick-drift splitting of the
// length (_drift_kick_splitting.h) with the voltage shared among the kicks;
// drifts expanded ('adaptive', 'drift-kick-drift-expanded') or exact
// ('drift-kick-drift-exact').
#ifndef XTRACK_CRAB_CAVITY_H
#define XTRACK_CRAB_CAVITY_H

#include "xtrack/headers/track.h"
#include "_drift.h"
#include "_drift_kick_splitting.h"
#include "_rf_kicks.h"
#include "_xy_shift_tilt.h"

GPUFUN void CrabCavity_track_local_particle(CrabCavityData el, LocalParticle* part0){
    double const length = CrabCavityData_get_length(el);
    double const voltage = CrabCavityData_get_crab_voltage(el);
    double const phi0 = DEG2RAD * (CrabCavityData_get_lag(el))
                        + CrabCavityData_get_phase(el);
    int64_t const absolute_time = CrabCavityData_get_absolute_time(el);
    int64_t const exact = CrabCavityData_get__model(el) == 2;
    int64_t const integrator = CrabCavityData_get__integrator(el);
    int64_t const n = dkd_num_kicks(integrator, CrabCavityData_get_num_kicks(el));
    double const shift_x = CrabCavityData_get_shift_x(el);
    double const shift_y = CrabCavityData_get_shift_y(el);
    double const rot = CrabCavityData_get_rot_s_rad(el);
    double const cos_t = cos(rot), sin_t = sin(rot);
    START_PER_PARTICLE_BLOCK(part0, part);
        double frequency = CrabCavityData_get_frequency(el);
        xy_shift_tilt_entry(part, shift_x, shift_y, cos_t, sin_t);
        if (length == 0.){
            rf_crab_kick(part, voltage, frequency, phi0, absolute_time, 1.);
        }
        else {
            for (int64_t i = 0; i < n; i++){
                double const dl = dkd_drift_weight(integrator, n, i) * length;
                if (exact) Drift_single_particle_exact(part, dl);
                else Drift_single_particle(part, dl);
                rf_crab_kick(part, voltage, frequency, phi0, absolute_time,
                               dkd_kick_weight(integrator, n, i));
            }
            double const dl = dkd_drift_weight(integrator, n, n) * length;
            if (exact) Drift_single_particle_exact(part, dl);
            else Drift_single_particle(part, dl);
        }
        xy_shift_tilt_exit(part, shift_x, shift_y, cos_t, sin_t);
    END_PER_PARTICLE_BLOCK;
}

#endif  // XTRACK_CRAB_CAVITY_H
