// Transverse misalignment of a thin (or longitudinally uniform) element:
// shift (shift_x, shift_y) and tilt rot_s_rad about the s axis.
//
// Entry: x -= shift_x, y -= shift_y, then the coordinates and momenta are
// expressed in the frame rotated by +theta about s,
//   x' = cos x + sin y,  y' = -sin x + cos y  (same for px, py);
// exit: the inverse (rotate by -theta, then add the shifts back). This is the
// MAD-X convention for DX, DY, TILT of thin elements (MAD-X user guide,
// "EALIGN" and "TILT"). zeta and delta are unchanged (no longitudinal
// misalignment here).
//
// Functions:
//   GPUFUN void xy_shift_tilt_entry(LocalParticle* part, double shift_x,
//           double shift_y, double cos_t, double sin_t);
//   GPUFUN void xy_shift_tilt_exit(LocalParticle* part, double shift_x,
//           double shift_y, double cos_t, double sin_t);
// cos_t, sin_t: cosine and sine of rot_s_rad.
#ifndef XTRACK__XY_SHIFT_TILT_H
#define XTRACK__XY_SHIFT_TILT_H

#include "xtrack/headers/track.h"

GPUFUN void _xy_rotate(LocalParticle* part, double c, double s){
    double const x = LocalParticle_get_x(part);
    double const y = LocalParticle_get_y(part);
    double const px = LocalParticle_get_px(part);
    double const py = LocalParticle_get_py(part);
    LocalParticle_set_x(part, c * x + s * y);
    LocalParticle_set_y(part, -s * x + c * y);
    LocalParticle_set_px(part, c * px + s * py);
    LocalParticle_set_py(part, -s * px + c * py);
}

GPUFUN void xy_shift_tilt_entry(LocalParticle* part, double shift_x, double shift_y,
                                double cos_t, double sin_t){
    LocalParticle_add_to_x(part, -shift_x);
    LocalParticle_add_to_y(part, -shift_y);
    if (sin_t != 0.) _xy_rotate(part, cos_t, sin_t);
}

GPUFUN void xy_shift_tilt_exit(LocalParticle* part, double shift_x, double shift_y,
                               double cos_t, double sin_t){
    if (sin_t != 0.) _xy_rotate(part, cos_t, -sin_t);
    LocalParticle_add_to_x(part, shift_x);
    LocalParticle_add_to_y(part, shift_y);
}

#endif  // XTRACK__XY_SHIFT_TILT_H
