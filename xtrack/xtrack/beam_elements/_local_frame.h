// Transverse coordinates in the frame of an element that is shifted by
// (shift_x, shift_y) and rotated by rot_s_rad about the s axis.
//
// Model: the element frame is the reference frame translated by (shift_x,
// shift_y) and then rotated by the angle t = rot_s_rad about s (positive t
// turns the x axis towards y, MAD-X TILT convention, MAD-X user guide
// "EALIGN"/"TILT"). A point (x, y) of the reference frame has, in the element
// frame,
//     x_loc =  cos(t) (x - shift_x) + sin(t) (y - shift_y)
//     y_loc = -sin(t) (x - shift_x) + cos(t) (y - shift_y).
// Only plain numbers go in and out: the particle is never modified, so an
// aperture can test a particle in its own frame and leave it as it was.
//
// Functions (all GPUFUN, C99, no state):
//   void LocalFrame_rotate_xy(double x, double y, double cos_t, double sin_t,
//                             double* x_out, double* y_out);
//       passive rotation by t of the vector (x, y) (also for (px, py)).
//   void LocalFrame_to_element_xy(double x, double y, double shift_x,
//                                 double shift_y, double cos_t, double sin_t,
//                                 double* x_loc, double* y_loc);
//       shift, then rotate: the point in the element frame.
//   void LocalFrame_from_element_xy(double x_loc, double y_loc,
//                                   double shift_x, double shift_y,
//                                   double cos_t, double sin_t,
//                                   double* x, double* y);
//       the inverse of LocalFrame_to_element_xy.
#ifndef XTRACK_LOCAL_FRAME_H
#define XTRACK_LOCAL_FRAME_H

#include "xtrack/headers/track.h"

GPUFUN void LocalFrame_rotate_xy(double x, double y, double cos_t, double sin_t,
                                 double* x_out, double* y_out){
    *x_out = cos_t * x + sin_t * y;
    *y_out = -sin_t * x + cos_t * y;
}

GPUFUN void LocalFrame_to_element_xy(double x, double y, double shift_x, double shift_y,
                                     double cos_t, double sin_t,
                                     double* x_loc, double* y_loc){
    LocalFrame_rotate_xy(x - shift_x, y - shift_y, cos_t, sin_t, x_loc, y_loc);
}

GPUFUN void LocalFrame_from_element_xy(double x_loc, double y_loc, double shift_x,
                                       double shift_y, double cos_t, double sin_t,
                                       double* x, double* y){
    double xr, yr;
    LocalFrame_rotate_xy(x_loc, y_loc, cos_t, -sin_t, &xr, &yr);
    *x = xr + shift_x;
    *y = yr + shift_y;
}

#endif  // XTRACK_LOCAL_FRAME_H
