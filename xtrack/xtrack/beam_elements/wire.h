// Wire: thin kick of a straight current-carrying wire of physical length
// L_phy parallel to s at (xma, yma), integrated over the interaction length
// L_int (SixTrack "wire" element, SixTrack physics manual; field of a finite
// straight conductor from the Biot-Savart law):
//   int B ds = mu0 I / (2 pi r) [sqrt((L_int + L_phy)^2/4 + r^2)
//                                - sqrt((L_int - L_phy)^2/4 + r^2)],
//   dpx = -mu0 I / (2 pi (B rho)_0) (x - xma) / r^2 [...],  dpy likewise
// (r: distance from the wire; no kick on the wire itself, r = 0),
// with (B rho)_0 = p0c / (c q0) (reference rigidity, no chi or delta
// scaling, as the established implementation), then the post-subtraction
// kicks are removed: px -= post_subtract_px, py -= post_subtract_py.
// mu0 = 4 pi 1e-7 (as in SixTrack).
#ifndef XTRACK_WIRE_H
#define XTRACK_WIRE_H

#include "xtrack/headers/track.h"
#include "_xy_shift_tilt.h"

#define WIRE_MU_0 1.2566370614359173e-06

GPUFUN void Wire_track_local_particle(WireData el, LocalParticle* part0){
    double const l_phy = WireData_get_L_phy(el);
    double const l_int = WireData_get_L_int(el);
    double const current = WireData_get_current(el);
    double const xma = WireData_get_xma(el);
    double const yma = WireData_get_yma(el);
    double const sub_px = WireData_get_post_subtract_px(el);
    double const sub_py = WireData_get_post_subtract_py(el);
    double const shift_x = WireData_get_shift_x(el);
    double const shift_y = WireData_get_shift_y(el);
    double const rot = WireData_get_rot_s_rad(el);
    double const cos_t = cos(rot), sin_t = sin(rot);
    START_PER_PARTICLE_BLOCK(part0, part);
        xy_shift_tilt_entry(part, shift_x, shift_y, cos_t, sin_t);
        double const dx = LocalParticle_get_x(part) - xma;
        double const dy = LocalParticle_get_y(part) - yma;
        double const r2 = dx * dx + dy * dy;
        double const brho0 = LocalParticle_get_p0c(part) / (C_LIGHT * LocalParticle_get_q0(part));
        double const geom = sqrt(0.25 * (l_int + l_phy) * (l_int + l_phy) + r2)
                            - sqrt(0.25 * (l_int - l_phy) * (l_int - l_phy) + r2);
        double const factor = r2 == 0. ? 0. : WIRE_MU_0 * current / (2. * PI * brho0) * geom / r2;
        LocalParticle_add_to_px(part, -factor * dx - sub_px);
        LocalParticle_add_to_py(part, -factor * dy - sub_py);
        xy_shift_tilt_exit(part, shift_x, shift_y, cos_t, sin_t);
    END_PER_PARTICLE_BLOCK;
}

#endif  // XTRACK_WIRE_H
