// Mean synchrotron-radiation energy loss (radiation_flag = 1) of one particle.
//
// Classical radiated power of a charge q = q0 (q/q0) e with Lorentz factors
// beta, gamma on a trajectory of curvature kappa (J. D. Jackson, "Classical
// Electrodynamics", 3rd ed., eq. 14.44 with |d p / d t| = p v kappa):
//   P = q^2 c beta^4 gamma^4 kappa^2 / (6 pi eps0),
// so over a path length l (time l / (beta c)) the energy loss in eV is
//   dE = - q0^2 (q/q0)^2 e beta^3 gamma^4 kappa^2 l / (6 pi eps0).
// The curvature comes from the field kick of a slice of length L:
// kappa = |(dpx, dpy)| / ((1+delta) l) (px normalised to P0 m/m0), l the path
// length of the slice.
// The energy is removed keeping the angles px/(1+delta), py/(1+delta).
//
//   GPUFUN double radiation_mean_energy(LocalParticle* part, double dpx, double dpy,
//           double l_path);
//       the energy change [eV] (<= 0 for l_path > 0) of a field kick (dpx, dpy)
//       over the path length l_path, computed, not applied;
//   GPUFUN void radiation_mean_kick(LocalParticle* part, double dpx, double dpy,
//           double length, double l_path);
//       the same, applied at once (nothing for length 0).
// Constants: the reference data were produced with the CODATA 2014 values
// e = 1.6021766208e-19 C and eps0 = 8.854187817620e-12 F/m in this formula
// (with the 2018 values of headers/constants.h the loss of the reference
// particle is 9.4e-9 too large), hence the local XT_RAD_* constants.
#ifndef XTRACK__RADIATION_MEAN_H
#define XTRACK__RADIATION_MEAN_H

#include "xtrack/headers/track.h"

#define XT_RAD_QELEM 1.6021766208e-19      // [C]   CODATA 2014
#define XT_RAD_EPSILON_0 8.854187817620e-12 // [F/m] CODATA 2014

GPUFUN double radiation_mean_energy(LocalParticle* part, double dpx, double dpy, double l_path){
    if (l_path == 0.) return 0.;
    double const opd = 1. + LocalParticle_get_delta(part);
    double const kappa2 = (dpx * dpx + dpy * dpy) / (opd * opd * l_path * l_path);
    if (kappa2 == 0.) return 0.;
    double const q = LocalParticle_get_q0(part) * LocalParticle_get_charge_ratio(part);
    double const beta_gamma = LocalParticle_get_p0c(part) * opd / LocalParticle_get_mass0(part);
    double const gamma2 = 1. + beta_gamma * beta_gamma;
    double const beta = beta_gamma / sqrt(gamma2);
    return -q * q * XT_RAD_QELEM * beta * beta * beta * gamma2 * gamma2 * kappa2 * l_path
           / (6. * PI * XT_RAD_EPSILON_0);
}

GPUFUN void radiation_mean_kick(LocalParticle* part, double dpx, double dpy, double length,
                                double l_path){
    if (length == 0.) return;
    double const d_energy = radiation_mean_energy(part, dpx, dpy, l_path);
    if (d_energy != 0.) LocalParticle_add_to_energy(part, d_energy, 0);
}

#endif  // XTRACK__RADIATION_MEAN_H
