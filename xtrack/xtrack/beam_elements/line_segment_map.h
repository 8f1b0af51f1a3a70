// LineSegmentMap: parametric map of a ring segment (steps documented in
// maps.py, in the order applied here).
//
// Betatron part: Courant-Snyder normalisation at the entry, rotation by the
// phase advance mu = 2 pi (qx + sum_{n>=1} coeffs_dqx[n] delta^n
// + det_xx Jx + det_xy Jy), de-normalisation with the exit functions
// (E. D. Courant, H. S. Snyder, Ann. Phys. 3 (1958) 1):
//   xn = x/sqrt(b0), pn = (a0 x + b0 px)/sqrt(b0),
//   x' = sqrt(b1) (c xn + s pn), px' = (-a1 x' / sqrt(b1) + (-s xn + c pn)) / sqrt(b1)
// with J = (gamma x^2 + 2 alpha x px + beta px^2)/2 at the entry.
// Dispersion is removed (added) as x -= D delta, px -= D' delta with the
// symplectic completion zeta += (D' x - D px)/rvv taken before removal
// (zeta -= ... after addition), from the generating function
// F = x px_b + zeta pzeta_b + delta(pzeta_b) (D' x - D px_b) (+ f(pzeta_b)),
// d delta / d pzeta = 1/rvv.
// Longitudinal: see maps.py; the linearised RF gives
//   (2 pi qs)^2 = eta L_slip K,  K = sum_i q0 V_i k_i (-cos phi_i) / (beta0 p0c),
//   k_i = 2 pi f_i / (beta0 c),  bets = eta L_slip / (2 pi qs)
// (S. Y. Lee, "Accelerator Physics", 3rd ed., sec. 3.I, small-amplitude
// synchrotron motion), eta = alpha_c - 1/gamma0^2.
#ifndef XTRACK_LINE_SEGMENT_MAP_H
#define XTRACK_LINE_SEGMENT_MAP_H

#include "xtrack/headers/track.h"
#include "_gauss_random.h"

GPUFUN void _LineSegmentMap_betatron(double* x, double* px, double b0, double a0, double b1,
                                     double a1, double mu){
    double const sb0 = sqrt(b0), sb1 = sqrt(b1);
    double const xn = *x / sb0;
    double const pn = (a0 * *x + b0 * *px) / sb0;
    double const c = cos(mu), s = sin(mu);
    double const xn2 = c * xn + s * pn;
    double const pn2 = -s * xn + c * pn;
    *x = sb1 * xn2;
    *px = (-a1 * xn2 + pn2) / sb1;
}

GPUFUN double _LineSegmentMap_action(double x, double px, double b, double a){
    double const g = (1. + a * a) / b;
    return 0.5 * (g * x * x + 2. * a * x * px + b * px * px);
}

// Rotation in (zeta, pzeta) by 2 pi qs with synchrotron beta function bets.
GPUFUN void _LineSegmentMap_synchrotron_rotation(LocalParticle* part, double qs, double bets,
                                                 double bucket_length_m){
    double const zeta = LocalParticle_get_zeta(part);
    double const pzeta = LocalParticle_get_pzeta(part);
    double offset = 0.;
    if (bucket_length_m > 0.) offset = bucket_length_m * floor(zeta / bucket_length_m + 0.5);
    double const z = zeta - offset;
    double const c = cos(2. * PI * qs), s = sin(2. * PI * qs);
    LocalParticle_set_zeta(part, c * z - bets * s * pzeta + offset);
    LocalParticle_update_pzeta(part, s / bets * z + c * pzeta);
}

GPUFUN void LineSegmentMap_track_local_particle(LineSegmentMapData el, LocalParticle* part0){
    int64_t const mode = LineSegmentMapData_get_longitudinal_mode_flag(el);
    int64_t const n_rf = LineSegmentMapData_len_voltage_rf(el);
    double const length = LineSegmentMapData_get_length(el);
    START_PER_PARTICLE_BLOCK(part0, part);
        double const delta = LocalParticle_get_delta(part);
        double const rvv = LocalParticle_get_rvv(part);
        // (1) closed orbit and dispersion at the entry
        double x = LocalParticle_get_x(part) - LineSegmentMapData_get_x_ref(el, 0);
        double px = LocalParticle_get_px(part) - LineSegmentMapData_get_px_ref(el, 0);
        double y = LocalParticle_get_y(part) - LineSegmentMapData_get_y_ref(el, 0);
        double py = LocalParticle_get_py(part) - LineSegmentMapData_get_py_ref(el, 0);
        {
            double const d_x = LineSegmentMapData_get_dx(el, 0), d_px = LineSegmentMapData_get_dpx(el, 0);
            double const d_y = LineSegmentMapData_get_dy(el, 0), d_py = LineSegmentMapData_get_dpy(el, 0);
            LocalParticle_add_to_zeta(part, (d_px * x - d_x * px + d_py * y - d_y * py) / rvv);
            x -= d_x * delta;
            px -= d_px * delta;
            y -= d_y * delta;
            py -= d_py * delta;
        }
        // (2) betatron rotation
        {
            double const bx0 = LineSegmentMapData_get_betx(el, 0), bx1 = LineSegmentMapData_get_betx(el, 1);
            double const ax0 = LineSegmentMapData_get_alfx(el, 0), ax1 = LineSegmentMapData_get_alfx(el, 1);
            double const by0 = LineSegmentMapData_get_bety(el, 0), by1 = LineSegmentMapData_get_bety(el, 1);
            double const ay0 = LineSegmentMapData_get_alfy(el, 0), ay1 = LineSegmentMapData_get_alfy(el, 1);
            double qx = LineSegmentMapData_get_qx(el);
            double qy = LineSegmentMapData_get_qy(el);
            double dpow = 1.;
            int64_t const nx = LineSegmentMapData_len_coeffs_dqx(el);
            int64_t const ny = LineSegmentMapData_len_coeffs_dqy(el);
            int64_t const nmax = nx > ny ? nx : ny;
            for (int64_t n = 1; n < nmax; n++){
                dpow *= delta;
                if (n < nx) qx += LineSegmentMapData_get_coeffs_dqx(el, n) * dpow;
                if (n < ny) qy += LineSegmentMapData_get_coeffs_dqy(el, n) * dpow;
            }
            double const det_xx = LineSegmentMapData_get_det_xx(el), det_xy = LineSegmentMapData_get_det_xy(el);
            double const det_yx = LineSegmentMapData_get_det_yx(el), det_yy = LineSegmentMapData_get_det_yy(el);
            if (det_xx != 0. || det_xy != 0. || det_yx != 0. || det_yy != 0.){
                double const jx = _LineSegmentMap_action(x, px, bx0, ax0);
                double const jy = _LineSegmentMap_action(y, py, by0, ay0);
                qx += det_xx * jx + det_xy * jy;
                qy += det_yx * jx + det_yy * jy;
            }
            _LineSegmentMap_betatron(&x, &px, bx0, ax0, bx1, ax1, 2. * PI * qx);
            _LineSegmentMap_betatron(&y, &py, by0, ay0, by1, ay1, 2. * PI * qy);
        }
        // (3) dispersion and closed orbit at the exit
        {
            double const d_x = LineSegmentMapData_get_dx(el, 1), d_px = LineSegmentMapData_get_dpx(el, 1);
            double const d_y = LineSegmentMapData_get_dy(el, 1), d_py = LineSegmentMapData_get_dpy(el, 1);
            x += d_x * delta;
            px += d_px * delta;
            y += d_y * delta;
            py += d_py * delta;
            LocalParticle_add_to_zeta(part, -(d_px * x - d_x * px + d_py * y - d_y * py) / rvv);
        }
        LocalParticle_set_x(part, x + LineSegmentMapData_get_x_ref(el, 1));
        LocalParticle_set_px(part, px + LineSegmentMapData_get_px_ref(el, 1));
        LocalParticle_set_y(part, y + LineSegmentMapData_get_y_ref(el, 1));
        LocalParticle_set_py(part, py + LineSegmentMapData_get_py_ref(el, 1));
        // (4) longitudinal motion
        if (mode == 1){
            double const bucket_m = LineSegmentMapData_get_bucket_length(el)
                                    * LocalParticle_get_beta0(part) * C_LIGHT;
            _LineSegmentMap_synchrotron_rotation(part, LineSegmentMapData_get_qs(el),
                                                 LineSegmentMapData_get_bets(el), bucket_m);
        } else if (mode == 2 || mode == 3){
            double const beta0 = LocalParticle_get_beta0(part);
            double const gamma0 = LocalParticle_get_gamma0(part);
            double const eta = LineSegmentMapData_get_momentum_compaction_factor(el)
                               - 1. / (gamma0 * gamma0);
            double const l_slip = LineSegmentMapData_get_slippage_length(el);
            double const q0 = LocalParticle_get_q0(part);
            if (mode == 2){
                LocalParticle_add_to_zeta(part, -0.5 * l_slip * eta * LocalParticle_get_delta(part));
                double const zeta = LocalParticle_get_zeta(part);
                double energy = 0.;
                for (int64_t i = 0; i < n_rf; i++){
                    double const phase = DEG2RAD * LineSegmentMapData_get_lag_rf(el, i)
                        + LineSegmentMapData_get_phase_rf(el, i)
                        - 2. * PI * LineSegmentMapData_get_frequency_rf(el, i) * zeta / (beta0 * C_LIGHT);
                    energy += q0 * LocalParticle_get_charge_ratio(part)
                              * LineSegmentMapData_get_voltage_rf(el, i) * sin(phase);
                }
                LocalParticle_add_to_energy(part, energy, 1);
                LocalParticle_add_to_zeta(part, -0.5 * l_slip * eta * LocalParticle_get_delta(part));
            } else {
                double kick = 0.;  // K [1/m]: d(pzeta)/d(zeta) = -K
                double const p0c = LocalParticle_get_p0c(part);
                for (int64_t i = 0; i < n_rf; i++){
                    double const phase = DEG2RAD * LineSegmentMapData_get_lag_rf(el, i)
                                         + LineSegmentMapData_get_phase_rf(el, i);
                    double const k = 2. * PI * LineSegmentMapData_get_frequency_rf(el, i) / (beta0 * C_LIGHT);
                    kick += -q0 * LineSegmentMapData_get_voltage_rf(el, i) * k * cos(phase) / (beta0 * p0c);
                }
                double const mu = sqrt(fabs(eta * l_slip * kick));
                if (mu > 0.){
                    _LineSegmentMap_synchrotron_rotation(part, mu / (2. * PI), eta * l_slip / mu, -1.);
                } else {
                    LocalParticle_add_to_zeta(part, -l_slip * eta * LocalParticle_get_pzeta(part));
                }
            }
        }
        // (5) energy change of the particle (direction not kept: px, py unchanged)
        {
            double const de = LineSegmentMapData_get_energy_increment(el);
            if (de != 0.) LocalParticle_add_to_energy(part, de, 1);
        }
        // (6) reference energy change, with adiabatic damping of the betatron
        // amplitudes: x, px (in the new reference) scale by sqrt(p0_old/p0_new)
        {
            double const de_ref = LineSegmentMapData_get_energy_ref_increment(el);
            if (de_ref != 0.){
                double const mass0 = LocalParticle_get_mass0(part);
                double const old_p0c = LocalParticle_get_p0c(part);
                double const new_e0 = LocalParticle_get_energy0(part) + de_ref;
                double const new_p0c = sqrt(new_e0 * new_e0 - mass0 * mass0);
                double const f = sqrt(old_p0c / new_p0c);
                LocalParticle_update_p0c(part, new_p0c);  // px, py *= old/new
                LocalParticle_scale_x(part, f);
                LocalParticle_scale_y(part, f);
                LocalParticle_scale_px(part, 1. / f);
                LocalParticle_scale_py(part, 1. / f);
            }
        }
        // (7) damping and (8) noise, on (x, px, y, py, zeta, pzeta)
        {
            int64_t const damp = LineSegmentMapData_get_uncorrelated_rad_damping(el)
                                 || LineSegmentMapData_get_correlated_rad_damping(el);
            int64_t const noise_u = LineSegmentMapData_get_uncorrelated_gauss_noise(el);
            int64_t const noise_c = LineSegmentMapData_get_correlated_gauss_noise(el);
            if (damp || noise_u || noise_c){
                double z[6], out[6];
                z[0] = LocalParticle_get_x(part);
                z[1] = LocalParticle_get_px(part);
                z[2] = LocalParticle_get_y(part);
                z[3] = LocalParticle_get_py(part);
                z[4] = LocalParticle_get_zeta(part);
                z[5] = LocalParticle_get_pzeta(part);
                for (int i = 0; i < 6; i++){
                    out[i] = z[i];
                    if (damp){
                        out[i] = 0.;
                        for (int j = 0; j < 6; j++) out[i] += LineSegmentMapData_get_damping_factors(el, i, j) * z[j];
                    }
                }
                if (noise_u){
                    for (int i = 0; i < 6; i++){
                        double const a = LineSegmentMapData_get_gauss_noise_ampl(el, i);
                        if (a != 0.) out[i] += a * GaussRandom_standard_normal(part);
                    }
                }
                if (noise_c){
                    double g[6];
                    for (int j = 0; j < 6; j++) g[j] = GaussRandom_standard_normal(part);
                    for (int i = 0; i < 6; i++){
                        for (int j = 0; j < 6; j++) out[i] += LineSegmentMapData_get__noise_factor(el, i, j) * g[j];
                    }
                }
                LocalParticle_set_x(part, out[0]);
                LocalParticle_set_px(part, out[1]);
                LocalParticle_set_y(part, out[2]);
                LocalParticle_set_py(part, out[3]);
                LocalParticle_set_zeta(part, out[4]);
                if (out[5] != z[5]) LocalParticle_update_pzeta(part, out[5]);
            }
        }
        LocalParticle_add_to_s(part, length);
    END_PER_PARTICLE_BLOCK;
}

#endif  // XTRACK_LINE_SEGMENT_MAP_H
