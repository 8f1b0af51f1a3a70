// Thin RF kicks of one particle: accelerating cavity and crab cavity.
//
// RF phase seen by a particle (MAD-X RFCAVITY/CRABCAVITY conventions, MAD-X
// user guide "RFCAVITY"; time measured from the reference particle):
//   phi = phi0 - k tau,   k = 2 pi f / c,   tau = zeta / beta0,
// where phi0 [rad] = lag (degrees, converted) + phase (radians), so the
// reference particle (zeta = 0) sees phi0. With absolute_time the phase is
// referred to the simulation clock instead:
//   phi = phi0 + 2 pi f t,  t = at_turn t_sim + (s - zeta) / (beta0 c).
//
// Cavity (energy kick, transverse momenta untouched):
//   dE = |q0| (q/q0) V sin(phi)                               [eV]
// The charge enters through its magnitude |q0|: the reference data of the
// established implementation give an energy gain on crest (lag = 90 deg) for
// electrons as well as for protons.
// Crab cavity (transverse deflection in x and the longitudinal kick that
// makes the map symplectic, Panofsky-Wenzel theorem):
//   dpx = |q0| (q/q0) V sin(phi) / (P0 c m/m0),
//   dE  = -|q0| (q/q0) V k x cos(phi)                         [eV]
// (energy changes applied with px, py kept, LocalParticle_add_to_energy(.., 1)).
//
// Functions:
//   GPUFUN double rf_phase(LocalParticle* part, double frequency, double phi0,
//                          int64_t absolute_time);
//   GPUFUN void rf_cavity_kick(LocalParticle* part, double voltage,
//           double frequency, double phi0, int64_t absolute_time, double weight);
//   GPUFUN void rf_crab_kick(LocalParticle* part, double voltage,
//           double frequency, double phi0, int64_t absolute_time, double weight);
// weight scales the voltage (slice of a thick element).
#ifndef XTRACK__RF_KICKS_H
#define XTRACK__RF_KICKS_H

#include "xtrack/headers/track.h"

GPUFUN double rf_phase(LocalParticle* part, double frequency, double phi0, int64_t absolute_time){
    double const beta0 = LocalParticle_get_beta0(part);
    double const k = 2. * PI * frequency / C_LIGHT;
    if (absolute_time){
        double const t = LocalParticle_get_at_turn(part) * LocalParticle_get_t_sim(part)
            + (LocalParticle_get_s(part) - LocalParticle_get_zeta(part)) / (beta0 * C_LIGHT);
        return phi0 + 2. * PI * frequency * t;
    }
    double const tau = LocalParticle_get_zeta(part) / beta0;
    return phi0 - k * tau;
}

GPUFUN double _rf_charge(LocalParticle* part){
    return fabs(LocalParticle_get_q0(part)) * LocalParticle_get_charge_ratio(part);
}

GPUFUN void rf_cavity_kick(LocalParticle* part, double voltage, double frequency, double phi0,
                           int64_t absolute_time, double weight){
    double const phi = rf_phase(part, frequency, phi0, absolute_time);
    double const energy = _rf_charge(part) * weight * voltage * sin(phi);
    LocalParticle_add_to_energy(part, energy, 1);
}

GPUFUN void rf_crab_kick(LocalParticle* part, double voltage, double frequency, double phi0,
                         int64_t absolute_time, double weight){
    double const phi = rf_phase(part, frequency, phi0, absolute_time);
    double const k = 2. * PI * frequency / C_LIGHT;
    double const qv = _rf_charge(part) * weight * voltage;
    double const p0c_m = LocalParticle_get_p0c(part) * LocalParticle_get_mass_ratio(part);
    double const x = LocalParticle_get_x(part);
    LocalParticle_add_to_px(part, qv * sin(phi) / p0c_m);
    LocalParticle_add_to_energy(part, -qv * k * x * cos(phi), 1);
}

#endif  // XTRACK__RF_KICKS_H
