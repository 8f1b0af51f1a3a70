// Drift maps of one particle, shared by every element with drift steps.
//
// Expanded (paraxial) map, as MAD-X/SixTrack "drift" in the small-angle
// approximation: x' = px / (1+delta), x += x' L, y += y' L,
// zeta += L (1 - (1 + (x'^2 + y'^2)/2) / rvv).
// Exact map: x' = px / pz with pz = sqrt((1+delta)^2 - px^2 - py^2),
// zeta += L (1 - (1+delta) / (pz rvv)).
#ifndef XTRACK__DRIFT_H
#define XTRACK__DRIFT_H

#include "xtrack/headers/track.h"

GPUFUN void Drift_single_particle(LocalParticle* part, double length){
    double const rpp = LocalParticle_get_rpp(part);
    double const rv0v = 1. / LocalParticle_get_rvv(part);
    double const xp = LocalParticle_get_px(part) * rpp;
    double const yp = LocalParticle_get_py(part) * rpp;
    double const dzeta = 1 - rv0v * (1. + (xp * xp + yp * yp) / 2.);
    LocalParticle_add_to_x(part, xp * length);
    LocalParticle_add_to_y(part, yp * length);
    LocalParticle_add_to_s(part, length);
    LocalParticle_add_to_zeta(part, length * dzeta);
}

GPUFUN void Drift_single_particle_exact(LocalParticle* part, double length){
    double const px = LocalParticle_get_px(part);
    double const py = LocalParticle_get_py(part);
    double const opd = 1. + LocalParticle_get_delta(part);
    double const rvv = LocalParticle_get_rvv(part);
    double const one_over_pz = 1. / sqrt(opd * opd - px * px - py * py);
    double const dzeta = 1 - opd * one_over_pz / rvv;
    LocalParticle_add_to_x(part, px * one_over_pz * length);
    LocalParticle_add_to_y(part, py * one_over_pz * length);
    LocalParticle_add_to_s(part, length);
    LocalParticle_add_to_zeta(part, length * dzeta);
}

#endif  // XTRACK__DRIFT_H
