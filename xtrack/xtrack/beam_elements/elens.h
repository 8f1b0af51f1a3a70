// Elens: hollow electron lens, thin radial kick (SixTrack elens; G. Stancari
// et al., "Collimation with hollow electron beams", PRL 107, 084802 (2011);
// SixTrack physics manual, "Electron lens").
//
// Electron beam of current I, kinetic energy e*voltage, annular between
// inner_radius r1 and outer_radius r2, over elens_length L, counter-moving.
// Electron speed: gamma_e = 1 + voltage/(m_e c^2), beta_e = sqrt(1 - 1/gamma_e^2);
// particle speed beta_p = rvv beta0. Kick at the outer radius
//   theta_max = L I (1 + beta_e beta_p) / (2 pi eps0 beta_e beta_p c^2 (B rho)_0 r2),
// (B rho)_0 = p0c / (c q0), and at radius r
//   theta(r) = theta_max (r2 / r) f(r),
// f = 0 for r < r1, the enclosed-current fraction (r^2 - r1^2)/(r2^2 - r1^2)
// for r1 <= r < r2 (or, with polynomial_order > 0, the polynomial
// sum_k c[k] r_mm^(order - k) with r in mm), 1 beyond r2. The kick is radial
// towards the axis, px -= theta (1 + delta) / chi x / r (likewise y): the
// energy and charge scaling of the established implementation. Inside r1
// the constant residual kicks are added instead. No current: no kick
// outside r1 (voltage must then be > 0 for a finite electron speed).
// Constants as in SixTrack: m_e c^2 = 0.510998928 MeV (CODATA 2010),
// eps0 = 1/(mu0 c^2) with mu0 = 4 pi 1e-7.
#ifndef XTRACK_ELENS_H
#define XTRACK_ELENS_H

#include "xtrack/headers/track.h"
#include "_xy_shift_tilt.h"

#define ELENS_ELECTRON_MASS_EV 510998.928
#define ELENS_EPSILON_0 8.854187817620389e-12

GPUFUN void Elens_track_local_particle(ElensData el, LocalParticle* part0){
    double const r1 = ElensData_get_inner_radius(el);
    double const r2 = ElensData_get_outer_radius(el);
    double const current = ElensData_get_current(el);
    double const length = ElensData_get_elens_length(el);
    double const voltage = ElensData_get_voltage(el);
    double const res_x = ElensData_get_residual_kick_x(el);
    double const res_y = ElensData_get_residual_kick_y(el);
    int64_t const poly_order = (int64_t)ElensData_get_polynomial_order(el);
    int64_t const n_coeffs = ElensData_len_coefficients_polynomial(el);
    double const shift_x = ElensData_get_shift_x(el);
    double const shift_y = ElensData_get_shift_y(el);
    double const rot = ElensData_get_rot_s_rad(el);
    double const cos_t = cos(rot), sin_t = sin(rot);
    double const gamma_e = 1. + voltage / ELENS_ELECTRON_MASS_EV;
    double const beta_e = sqrt(1. - 1. / (gamma_e * gamma_e));
    START_PER_PARTICLE_BLOCK(part0, part);
        xy_shift_tilt_entry(part, shift_x, shift_y, cos_t, sin_t);
        double const x = LocalParticle_get_x(part);
        double const y = LocalParticle_get_y(part);
        double const r = sqrt(x * x + y * y);
        if (r < r1){
            LocalParticle_add_to_px(part, res_x);
            LocalParticle_add_to_py(part, res_y);
        }
        else if (current != 0.){
            double f = 1.;
            if (r < r2){
                if (poly_order > 0){
                    double const r_mm = r * 1e3;
                    f = 0.;
                    for (int64_t k = 0; k <= poly_order && k < n_coeffs; k++){
                        f = f * r_mm + ElensData_get_coefficients_polynomial(el, k);
                    }
                }
                else f = (r * r - r1 * r1) / (r2 * r2 - r1 * r1);
            }
            double const beta_p = LocalParticle_get_rvv(part) * LocalParticle_get_beta0(part);
            double const brho0 = LocalParticle_get_p0c(part) / (C_LIGHT * LocalParticle_get_q0(part));
            double const theta_max = length * current * (1. + beta_e * beta_p)
                / (2. * PI * ELENS_EPSILON_0 * beta_e * beta_p * C_LIGHT * C_LIGHT * brho0 * r2);
            double const theta = theta_max * (r2 / r) * f
                * (1. + LocalParticle_get_delta(part)) / LocalParticle_get_chi(part);
            LocalParticle_add_to_px(part, -theta * x / r);
            LocalParticle_add_to_py(part, -theta * y / r);
        }
        xy_shift_tilt_exit(part, shift_x, shift_y, cos_t, sin_t);
    END_PER_PARTICLE_BLOCK;
}

#endif  // XTRACK_ELENS_H
