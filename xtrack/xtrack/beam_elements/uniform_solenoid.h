// UniformSolenoid: exact solenoid body about the axis (x0, y0), uniform
// splitting of the embedded multipole kicks (solenoid_thick in _solenoid.h).
#ifndef XTRACK_UNIFORM_SOLENOID_H
#define XTRACK_UNIFORM_SOLENOID_H

#include "xtrack/headers/track.h"
#include "_xy_shift_tilt.h"
#include "_solenoid.h"

GPUFUN void UniformSolenoid_track_local_particle(UniformSolenoidData el, LocalParticle* part0){
    double const length = UniformSolenoidData_get_length(el);
    double const ks = UniformSolenoidData_get_ks(el);
    double const x0 = UniformSolenoidData_get_x0(el);
    double const y0 = UniformSolenoidData_get_y0(el);
    double const shift_x = UniformSolenoidData_get_shift_x(el);
    double const shift_y = UniformSolenoidData_get_shift_y(el);
    double const rot_s_rad = UniformSolenoidData_get_rot_s_rad(el);
    double const cos_t = cos(rot_s_rad), sin_t = sin(rot_s_rad);
    int64_t const misaligned = shift_x != 0. || shift_y != 0. || rot_s_rad != 0.;
    int64_t const order = UniformSolenoidData_len_knl(el) - 1;
    int64_t const num_kicks = UniformSolenoidData_get_num_multipole_kicks(el);
    int64_t const radiation_flag = UniformSolenoidData_get_radiation_flag(el);
    GPUGLMEM const double* knl = UniformSolenoidData_getp1_knl(el, 0);
    GPUGLMEM const double* ksl = UniformSolenoidData_getp1_ksl(el, 0);
    START_PER_PARTICLE_BLOCK(part0, part);
        if (misaligned) xy_shift_tilt_entry(part, shift_x, shift_y, cos_t, sin_t);
        solenoid_thick(part, ks, length, x0, y0, knl, ksl, order, num_kicks,
                       SOLENOID_SPLIT_UNIFORM, radiation_flag);
        if (misaligned) xy_shift_tilt_exit(part, shift_x, shift_y, cos_t, sin_t);
    END_PER_PARTICLE_BLOCK;
}

#endif  // XTRACK_UNIFORM_SOLENOID_H
