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
#include "_rf_thick.h"

GPUFUN void Cavity_track_sign(CavityData el, LocalParticle* part0, double sign){
    double const harmonic = CavityData_get_harmonic(el);
    RfBody b;
    b.kick = XTRACK_RF_KICK_CAVITY;
    b.length = CavityData_get_length(el);
    b.voltage = CavityData_get_voltage(el);
    b.phi0 = DEG2RAD * (CavityData_get_lag(el) + CavityData_get_lag_taper(el))
            + CavityData_get_phase(el);
    b.absolute_time = CavityData_get_absolute_time(el);
    b.exact = CavityData_get__model(el) == 2;
    b.integrator = CavityData_get__integrator(el);
    b.num_kicks = dkd_num_kicks(b.integrator, CavityData_get_num_kicks(el));
    b.shift_x = CavityData_get_shift_x(el);
    b.shift_y = CavityData_get_shift_y(el);
    double const rot = CavityData_get_rot_s_rad(el);
    b.cos_t = cos(rot);
    b.sin_t = sin(rot);
    b.sign = sign;
    START_PER_PARTICLE_BLOCK(part0, part);
        double frequency = CavityData_get_frequency(el);
        double const t_sim = LocalParticle_get_t_sim(part);
        if (harmonic != 0. && t_sim > 0.) frequency = harmonic / t_sim;
        rf_body_track(part, &b, frequency);
    END_PER_PARTICLE_BLOCK;
}

GPUFUN void Cavity_track_local_particle(CavityData el, LocalParticle* part0){
    Cavity_track_sign(el, part0, 1.);
}

// inverse (_backtrack.h): opposite kicks, drifts over -length
GPUFUN void Cavity_backtrack_local_particle(CavityData el, LocalParticle* part0){
    Cavity_track_sign(el, part0, -1.);
}

#endif  // XTRACK_CAVITY_H
