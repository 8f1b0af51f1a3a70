// Cavity: accelerating RF cavity, thin or thick (kicks in _rf_kicks.h).
//
// Thin (length = 0): one energy kick. Thick: drift-kick-drift splitting of
// the length (_drift_kick_splitting.h) with the voltage shared among the
// kicks; drifts expanded ('adaptive', 'drift-kick-drift-expanded') or exact
// ('drift-kick-drift-exact'). With harmonic != 0 and a revolution time
// t_sim > 0 known to the particles (set by the line), the frequency is
// harmonic / t_sim; otherwise `frequency` is used.
#ifndef XTRACK_CAVITY_H
#define XTRACK_CAVITY_H

#include "xtrack/headers/track.h"
#include "_drift.h"
#include "_drift_kick_splitting.h"
#include "_rf_kicks.h"
#include "_xy_shift_tilt.h"

GPUFUN void Cavity_track_local_particle(CavityData el, LocalParticle* part0){
    double const length = CavityData_get_length(el);
    double const voltage = CavityData_get_voltage(el);
    double const harmonic = CavityData_get_harmonic(el);
    double const phi0 = DEG2RAD * (CavityData_get_lag(el) + CavityData_get_lag_taper(el))
                        + CavityData_get_phase(el);
    int64_t const absolute_time = CavityData_get_absolute_time(el);
    int64_t const exact = CavityData_get__model(el) == 2;
    int64_t const integrator = CavityData_get__integrator(el);
    int64_t const n = dkd_num_kicks(integrator, CavityData_get_num_kicks(el));
    double const shift_x = CavityData_get_shift_x(el);
    double const shift_y = CavityData_get_shift_y(el);
    double const rot = CavityData_get_rot_s_rad(el);
    double const cos_t = cos(rot), sin_t = sin(rot);
    START_PER_PARTICLE_BLOCK(part0, part);
        double frequency = CavityData_get_frequency(el);
        double const t_sim = LocalParticle_get_t_sim(part);
        if (harmonic != 0. && t_sim > 0.) frequency = harmonic / t_sim;
        xy_shift_tilt_entry(part, shift_x, shift_y, cos_t, sin_t);
        if (length == 0.){
            rf_cavity_kick(part, voltage, frequency, phi0, absolute_time, 1.);
        }
        else {
            for (int64_t i = 0; i < n; i++){
                double const dl = dkd_drift_weight(integrator, n, i) * length;
                if (exact) Drift_single_particle_exact(part, dl);
                else Drift_single_particle(part, dl);
                rf_cavity_kick(part, voltage, frequency, phi0, absolute_time,
                               dkd_kick_weight(integrator, n, i));
            }
            double const dl = dkd_drift_weight(integrator, n, n) * length;
            if (exact) Drift_single_particle_exact(part, dl);
            else Drift_single_particle(part, dl);
        }
        xy_shift_tilt_exit(part, shift_x, shift_y, cos_t, sin_t);
    END_PER_PARTICLE_BLOCK;
}

#endif  // XTRACK_CAVITY_H
