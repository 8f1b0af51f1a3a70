// RFMultipole: thin multipole whose normal and skew components oscillate with
// the RF phase, plus an optional accelerating voltage.
//
// Model (SixTrack RF multipole, SixTrack physics manual, "RF multipoles";
// MAD-X RFMULTIPOLE): with k = 2 pi f / c, tau = zeta / beta0 and per order n
//   phi_n = pn[n] (deg) + phase_n[n] (rad) - k tau,  psi_n likewise (ps, phase_s),
//   px -= chi Re sum_n (knl[n] cos phi_n + i ksl[n] cos psi_n) (x + i y)^n / n!
//   py += chi Im sum_n (knl[n] cos phi_n + i ksl[n] cos psi_n) (x + i y)^n / n!
// and, from the time dependence of the vector potential (Panofsky-Wenzel),
//   ptau += -chi k Re sum_n (knl[n] sin phi_n + i ksl[n] sin psi_n)
//                        (x + i y)^(n+1) / (n+1)!
// The voltage term adds dE = |q0| (q/q0) V sin(lag (deg) + phase (rad) - k tau)
// (as for the Cavity, _rf_kicks.h). Momenta px, py are not rescaled by the
// energy change. shift_x, shift_y, rot_s_rad misalign the element
// (_xy_shift_tilt.h).
#ifndef XTRACK_RF_MULTIPOLE_H
#define XTRACK_RF_MULTIPOLE_H

#include "xtrack/headers/track.h"
#include "_rf_kicks.h"
#include "_xy_shift_tilt.h"

GPUFUN void RFMultipole_track_local_particle(RFMultipoleData el, LocalParticle* part0){
    double const frequency = RFMultipoleData_get_frequency(el);
    double const voltage = RFMultipoleData_get_voltage(el);
    double const phi0 = DEG2RAD * RFMultipoleData_get_lag(el) + RFMultipoleData_get_phase(el);
    double const k = 2. * PI * frequency / C_LIGHT;
    int64_t const order = RFMultipoleData_get_order(el);
    double const shift_x = RFMultipoleData_get_shift_x(el);
    double const shift_y = RFMultipoleData_get_shift_y(el);
    double const rot = RFMultipoleData_get_rot_s_rad(el);
    double const cos_t = cos(rot), sin_t = sin(rot);
    START_PER_PARTICLE_BLOCK(part0, part);
        xy_shift_tilt_entry(part, shift_x, shift_y, cos_t, sin_t);
        double const x = LocalParticle_get_x(part);
        double const y = LocalParticle_get_y(part);
        double const chi = LocalParticle_get_chi(part);
        double const tau = LocalParticle_get_zeta(part) / LocalParticle_get_beta0(part);
        double dpx = 0., dpy = 0., dptau = 0.;
        double zre = 1., zim = 0.;  // (x + i y)^n
        double inv_fact = 1.;       // 1 / n!
        for (int64_t n = 0; n <= order; n++){
            double const phi_n = DEG2RAD * RFMultipoleData_get_pn(el, n)
                                 + RFMultipoleData_get_phase_n(el, n) - k * tau;
            double const psi_n = DEG2RAD * RFMultipoleData_get_ps(el, n)
                                 + RFMultipoleData_get_phase_s(el, n) - k * tau;
            double const bn = RFMultipoleData_get_knl(el, n) * inv_fact;
            double const an = RFMultipoleData_get_ksl(el, n) * inv_fact;
            double const cn = cos(phi_n), sn = sin(phi_n);
            double const cs = cos(psi_n), ss = sin(psi_n);
            dpx += cn * bn * zre - cs * an * zim;
            dpy += cs * an * zre + cn * bn * zim;
            double const zre_next = zre * x - zim * y;
            zim = zim * x + zre * y;
            zre = zre_next;
            // (x+iy)^(n+1) / (n+1)!
            dptau += (sn * bn * zre - ss * an * zim) / (double)(n + 1);
            inv_fact /= (double)(n + 1);
        }
        LocalParticle_add_to_px(part, -chi * dpx);
        LocalParticle_add_to_py(part, chi * dpy);
        double const p0c_m = LocalParticle_get_p0c(part) * LocalParticle_get_mass_ratio(part);
        double const energy = _rf_charge(part) * voltage * sin(phi0 - k * tau)
                              - chi * k * dptau * p0c_m;
        LocalParticle_add_to_energy(part, energy, 1);
        xy_shift_tilt_exit(part, shift_x, shift_y, cos_t, sin_t);
    END_PER_PARTICLE_BLOCK;
}

#endif  // XTRACK_RF_MULTIPOLE_H
