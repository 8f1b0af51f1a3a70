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
#include "_rf_thick.h"

GPUFUN void CrabCavity_track_sign(CrabCavityData el, LocalParticle* part0, double sign){
    RfBody b;
    b.kick = XTRACK_RF_KICK_CRAB;
    b.length = CrabCavityData_get_length(el);
    b.voltage = CrabCavityData_get_crab_voltage(el);
    b.phi0 = DEG2RAD * (CrabCavityData_get_lag(el))
            + CrabCavityData_get_phase(el);
    b.absolute_time = CrabCavityData_get_absolute_time(el);
    b.exact = CrabCavityData_get__model(el) == 2;
    b.integrator = CrabCavityData_get__integrator(el);
    b.num_kicks = dkd_num_kicks(b.integrator, CrabCavityData_get_num_kicks(el));
    b.shift_x = CrabCavityData_get_shift_x(el);
    b.shift_y = CrabCavityData_get_shift_y(el);
    double const rot = CrabCavityData_get_rot_s_rad(el);
    b.cos_t = cos(rot);
    b.sin_t = sin(rot);
    b.sign = sign;
    START_PER_PARTICLE_BLOCK(part0, part);
        double frequency = CrabCavityData_get_frequency(el);
        rf_body_track(part, &b, frequency);
    END_PER_PARTICLE_BLOCK;
}

GPUFUN void CrabCavity_track_local_particle(CrabCavityData el, LocalParticle* part0){
    CrabCavity_track_sign(el, part0, 1.);
}

// inverse (_backtrack.h): opposite kicks, drifts over -length
GPUFUN void CrabCavity_backtrack_local_particle(CrabCavityData el, LocalParticle* part0){
    CrabCavity_track_sign(el, part0, -1.);
}

#endif  // XTRACK_CRAB_CAVITY_H
