// Transverse misalignment of an element: shift (shift_x, shift_y) then tilt
// rot_s_rad about the longitudinal axis, undone at the exit.
//
// Entering the element frame: x -= shift_x, y -= shift_y, then the rotation
//   x_e = cos(a) x + sin(a) y,  y_e = -sin(a) x + cos(a) y   (same for px, py)
// with a = rot_s_rad (the element is rotated by +a about s, as SRotation(a)).
// The exit applies the inverse in reverse order.
#ifndef XTRACK__MISALIGNMENT_H
#define XTRACK__MISALIGNMENT_H

#include "xtrack/headers/track.h"

GPUFUN void misalignment_srotation(LocalParticle* part, double sin_a, double cos_a){
    double const x = LocalParticle_get_x(part);
    double const y = LocalParticle_get_y(part);
    double const px = LocalParticle_get_px(part);
    double const py = LocalParticle_get_py(part);
    LocalParticle_set_x(part, cos_a * x + sin_a * y);
    LocalParticle_set_y(part, -sin_a * x + cos_a * y);
    LocalParticle_set_px(part, cos_a * px + sin_a * py);
    LocalParticle_set_py(part, -sin_a * px + cos_a * py);
}

GPUFUN void misalignment_entry(LocalParticle* part, double shift_x, double shift_y,
                               double rot_s_rad){
    LocalParticle_add_to_x(part, -shift_x);
    LocalParticle_add_to_y(part, -shift_y);
    if (rot_s_rad != 0.) misalignment_srotation(part, sin(rot_s_rad), cos(rot_s_rad));
}

GPUFUN void misalignment_exit(LocalParticle* part, double shift_x, double shift_y,
                              double rot_s_rad){
    if (rot_s_rad != 0.) misalignment_srotation(part, -sin(rot_s_rad), cos(rot_s_rad));
    LocalParticle_add_to_x(part, shift_x);
    LocalParticle_add_to_y(part, shift_y);
}

#endif  // XTRACK__MISALIGNMENT_H
