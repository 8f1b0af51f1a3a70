// ACDipole: slowly oscillating dipole kick (one value per turn), or, in twiss
// mode, the equivalent thin effective gradient.
//
// Tracking mode (MAD-X HACDIPOLE/VACDIPOLE, MAD-X user guide "ACDIPOLE";
// trrun.f90 tthacdip/ttvacdip): with the turn number n = at_turn,
//   kick = 0.3 volt / (p0c [GeV]) * r(n) * sin(2 pi (freq n + lag))
// (volt in MV gives a kick in mrad at 1 GeV/c: 0.3 ~ c / 1e9), added to px
// (plane 'h') or py (plane 'v'). The ramp r(n) with ramp = [n1, n2, n3, n4]:
// 0 before n1, (n - n1)/(n2 - n1) up to n2, 1 up to n3, (n4 - n)/(n4 - n3) up
// to n4, 0 after. An all-zero ramp means no ramp (r = 1).
// Twiss mode: px += eff_grad x (or py += eff_grad y), a thin lens that moves
// the tune to the driving tune (R. Miyamoto et al., PRST-AB 11, 084002 (2008)):
//   eff_grad = 2 (cos 2 pi Q_d - cos 2 pi Q) / (beta sin 2 pi Q).
#ifndef XTRACK_AC_DIPOLE_H
#define XTRACK_AC_DIPOLE_H

#include "xtrack/headers/track.h"

GPUFUN double _acdipole_ramp(ACDipoleData el, double n){
    double const n1 = (double)ACDipoleData_get_ramp(el, 0);
    double const n2 = (double)ACDipoleData_get_ramp(el, 1);
    double const n3 = (double)ACDipoleData_get_ramp(el, 2);
    double const n4 = (double)ACDipoleData_get_ramp(el, 3);
    if (n1 == 0. && n2 == 0. && n3 == 0. && n4 == 0.) return 1.;
    if (n < n1) return 0.;
    if (n < n2) return (n - n1) / (n2 - n1);
    if (n < n3) return 1.;
    if (n < n4) return (n4 - n) / (n4 - n3);
    return 0.;
}

GPUFUN void ACDipole_track_local_particle(ACDipoleData el, LocalParticle* part0){
    int64_t const vertical = ACDipoleData_get__plane(el) == 1;
    int64_t const twiss_mode = ACDipoleData_get_twiss_mode(el);
    double const volt = ACDipoleData_get_volt(el);
    double const freq = ACDipoleData_get_freq(el);
    double const lag = ACDipoleData_get_lag(el);
    double const eff_grad = ACDipoleData_get_eff_grad(el);
    START_PER_PARTICLE_BLOCK(part0, part);
        if (twiss_mode){
            if (vertical) LocalParticle_add_to_py(part, eff_grad * LocalParticle_get_y(part));
            else LocalParticle_add_to_px(part, eff_grad * LocalParticle_get_x(part));
        }
        else {
            double const n = (double)LocalParticle_get_at_turn(part);
            double const amplitude = 0.3 * volt / (LocalParticle_get_p0c(part) * 1e-9);
            double const kick = amplitude * _acdipole_ramp(el, n) * sin(2. * PI * (freq * n + lag));
            if (vertical) LocalParticle_add_to_py(part, kick);
            else LocalParticle_add_to_px(part, kick);
        }
    END_PER_PARTICLE_BLOCK;
}

#endif  // XTRACK_AC_DIPOLE_H
