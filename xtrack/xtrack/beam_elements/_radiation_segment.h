// Mean synchrotron radiation (radiation_flag = 1) of one segment of a thick
// magnet body, applied at the end of the segment (so that the energy lost
// in a segment changes the orbit of the following ones).
//
// The curvature is that of the actual trajectory in the magnetic field at
// the particle, not that of the summed kicks of the integrator (a linear map
// solves the gradient, and (sum of kicks)^2 / L is not the integral of the
// squared curvature):
//   - field b = (Bx, By) / (B rho0) of all the body strengths (k0..k3,
//     k0s..k3s and knl/L, ksl/L), evaluated at the midpoint of the chord,
//     ((x0 + x1)/2, (y0 + y1)/2), of the segment's entry and exit positions;
//   - only the component perpendicular to the direction of motion radiates
//     (|F| = q |v x B|): b_perp = b - (b.u) u, u the unit momentum
//     (px, py, ps) / (1 + delta) averaged between entry and exit;
//   - curvature kappa = chi |b_perp| / (1 + delta);
//   - path length of the segment from the time of flight,
//     l_path = rvv (l_segment - (zeta1 - zeta0)) (zeta = s - beta0 c t).
// The energy loss is that of the classical power (_radiation_mean.h).
// A hard-edge field and a single segment make this the mean loss of the
// established implementation's reference data (Quadrupole and combined-
// function Bend cases within 1e-9 relative).
//
//   GPUFUN void radiation_segment_begin(LocalParticle* part, RadiationSegment* s);
//       records the entry of a segment;
//   GPUFUN void radiation_segment_end(LocalParticle* part, RadiationSegment* s,
//           double length, const double* kn, const double* ks, int64_t order,
//           double inv_body_length);
//       radiates the segment of s-length `length` [m] and starts the next
//       one; kn, ks: integrated strengths of the whole body [m^-n] (the
//       field is their multipole expansion times inv_body_length = 1/L).
#ifndef XTRACK__RADIATION_SEGMENT_H
#define XTRACK__RADIATION_SEGMENT_H

#include "xtrack/headers/track.h"
#include "_multipole_kick.h"
#include "_radiation_mean.h"

typedef struct {
    double x, y, px, py, zeta;
} RadiationSegment;

GPUFUN void radiation_segment_begin(LocalParticle* part, RadiationSegment* s){
    s->x = LocalParticle_get_x(part);
    s->y = LocalParticle_get_y(part);
    s->px = LocalParticle_get_px(part);
    s->py = LocalParticle_get_py(part);
    s->zeta = LocalParticle_get_zeta(part);
}

GPUFUN void radiation_segment_end(LocalParticle* part, RadiationSegment* s, double length,
                                  const double* kn, const double* ks, int64_t order,
                                  double inv_body_length){
    double const x1 = LocalParticle_get_x(part);
    double const y1 = LocalParticle_get_y(part);
    double const px1 = LocalParticle_get_px(part);
    double const py1 = LocalParticle_get_py(part);
    double const zeta1 = LocalParticle_get_zeta(part);
    double const opd = 1. + LocalParticle_get_delta(part);
    double by, bx;
    multipole_field_private(0.5 * (s->x + x1), 0.5 * (s->y + y1), kn, ks, order, &by, &bx);
    by *= inv_body_length;
    bx *= inv_body_length;
    double const ux = 0.5 * (s->px + px1) / opd;
    double const uy = 0.5 * (s->py + py1) / opd;
    double const us2 = 1. - ux * ux - uy * uy;
    double const us = us2 > 0. ? sqrt(us2) : 0.;
    double const b_par = bx * ux + by * uy;  // B_s = 0 in the hard-edge body
    double const bpx = bx - b_par * ux, bpy = by - b_par * uy, bps = -b_par * us;
    double const chi = LocalParticle_get_chi(part);
    double const l_path = LocalParticle_get_rvv(part) * (length - (zeta1 - s->zeta));
    // radiation_mean_energy takes the kick (dpx, dpy) of curvature kappa over l_path:
    // |kick| = kappa (1 + delta) l_path = chi |b_perp| l_path
    double const kick = chi * sqrt(bpx * bpx + bpy * bpy + bps * bps) * l_path;
    double const d_energy = radiation_mean_energy(part, kick, 0., l_path);
    if (d_energy != 0.) LocalParticle_add_to_energy(part, d_energy, 0);
    radiation_segment_begin(part, s);
}

#endif  // XTRACK__RADIATION_SEGMENT_H
