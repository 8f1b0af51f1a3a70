// Solenoid (deprecated): exact solenoid body with embedded multipole kicks
// at L/(n+1) spacing (solenoid_thick in _solenoid.h).
#ifndef XTRACK_SOLENOID_ELEMENT_H
#define XTRACK_SOLENOID_ELEMENT_H

#include "xtrack/headers/track.h"
#include "_solenoid.h"

GPUFUN void Solenoid_track_local_particle(SolenoidData el, LocalParticle* part0){
    double const length = SolenoidData_get_length(el);
    double const ks = SolenoidData_get_ks(el);
    double const ksi = SolenoidData_get_ksi(el);
    int64_t const order = SolenoidData_len_knl(el) - 1;
    int64_t const num_kicks = SolenoidData_get_num_multipole_kicks(el);
    int64_t const radiation_flag = SolenoidData_get_radiation_flag(el);
    GPUGLMEM const double* knl = SolenoidData_getp1_knl(el, 0);
    GPUGLMEM const double* ksl = SolenoidData_getp1_ksl(el, 0);
    START_PER_PARTICLE_BLOCK(part0, part);
        if (length != 0.){
            // the deprecated element radiates with the chord model
            solenoid_thick(part, ks, length, 0., 0., knl, ksl, order, num_kicks, SOLENOID_SPLIT_EQUAL,
                           radiation_flag == 1 ? SOLENOID_RADIATION_CHORD : radiation_flag);
        } else {
            // thin: rotation of the transverse plane by ksi / (2 (1+delta))
            if (ksi != 0.){
                double const a = 0.5 * ksi / (1. + LocalParticle_get_delta(part));
                double const c = cos(a), s = sin(a);
                double const x = LocalParticle_get_x(part), y = LocalParticle_get_y(part);
                double const px = LocalParticle_get_px(part), py = LocalParticle_get_py(part);
                LocalParticle_set_x(part, c * x + s * y);
                LocalParticle_set_y(part, -s * x + c * y);
                LocalParticle_set_px(part, c * px + s * py);
                LocalParticle_set_py(part, -s * px + c * py);
            }
            multipole_kick(part, knl, ksl, order, 1.);
        }
    END_PER_PARTICLE_BLOCK;
}

#endif  // XTRACK_SOLENOID_ELEMENT_H
