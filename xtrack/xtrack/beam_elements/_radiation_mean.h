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
//   GPUFUN void radiation_mean_kick(LocalParticle* part, double dpx, double dpy,
//           double length, double l_path);
#ifndef XTRACK__RADIATION_MEAN_H
#define XTRACK__RADIATION_MEAN_H

#include "xtrack/headers/track.h"

GPUFUN void radiation_mean_kick(LocalParticle* part, double dpx, double dpy, double length,
                                double l_path){
    if (length == 0.) return;
    double const opd = 1. + LocalParticle_get_delta(part);
    double const kappa2 = (dpx * dpx + dpy * dpy) / (opd * opd * l_path * l_path);
    if (kappa2 == 0.) return;
    double const q = LocalParticle_get_q0(part) * LocalParticle_get_charge_ratio(part);
    double const beta_gamma = LocalParticle_get_p0c(part) * opd / LocalParticle_get_mass0(part);
    double const gamma2 = 1. + beta_gamma * beta_gamma;
    double const beta = beta_gamma / sqrt(gamma2);
    double const d_energy = -q * q * QELEM * beta * beta * beta * gamma2 * gamma2 * kappa2 * l_path
                            / (6. * PI * EPSILON_0);
    LocalParticle_add_to_energy(part, d_energy, 0);
}

#endif  // XTRACK__RADIATION_MEAN_H
