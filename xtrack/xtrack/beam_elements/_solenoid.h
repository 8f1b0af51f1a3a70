// Solenoid body maps of one particle (Solenoid, UniformSolenoid, VariableSolenoid).
//
// Model: uniform longitudinal field, normalised strength ks = B_s / (B rho)
// [rad/m], symmetric gauge a = (ks/2) (-(y - y0), x - x0, 0) about the axis
// (x0, y0). Exact Hamiltonian
//   H = -sqrt((1+delta)^2 - (px + k y)^2 - (py - k x)^2),   k = ks/2
// (coordinates relative to the axis). The kinetic momenta
//   pi_x = px + k y, pi_y = py - k x
// keep their magnitude, so pz = sqrt((1+delta)^2 - pi_x^2 - pi_y^2) is
// constant and (pi_x, pi_y) rotates by theta = ks L / pz (clockwise for
// ks > 0); the positions follow the circle
//   x += (pi_x sin(theta) + pi_y (1 - cos(theta))) / ks,
//   y += (-pi_x (1 - cos(theta)) + pi_y sin(theta)) / ks,
//   zeta += L (1 - (1+delta) / (pz rvv))
// (A. Wolski, "Beam Dynamics in High Energy Particle Accelerators", 2014,
// section 3.3; exact in delta). The canonical momenta are continuous at the
// hard edges (the radial fringe field B_r = -(r/2) dB_s/ds kicks the kinetic
// momenta by exactly -Delta a), so the thick element needs no edge kicks.
// As in the established implementation the strength is NOT scaled with
// chi: all particles see ks as given (the reference data are produced so).
//
// Mean radiation (radiation_flag = 1): energy loss of the classical
// synchrotron-radiation power (J. D. Jackson, "Classical Electrodynamics",
// 3rd ed., eq. 14.31), dE/dl = (2/3) r_c m c^2 beta^3 gamma^4 kappa^2, applied
// once at the end of each body step (helix path length L (1+delta)/pz) with the
// helix curvature
// kappa = ks |pi_perp| / (1+delta)^2, pi_perp the mean of the kinetic momenta
// at the start and the end of the step; the kinetic momenta keep their
// direction (scaled with 1+delta), the positions are unchanged.
//
// Functions:
//   GPUFUN void solenoid_body(LocalParticle* part, double ks, double length);
//       exact body over `length` (axis at x = y = 0; ks = 0: exact drift).
//   GPUFUN void solenoid_radiation_mean(LocalParticle* part, double ks,
//           double length, double pix0, double piy0);
//       mean energy loss after a step that started with kinetic momenta
//       (pix0, piy0).
//   GPUFUN void solenoid_thick(LocalParticle* part, double ks, double length,
//           double x0, double y0, GPUGLMEM const double* knl, GPUGLMEM const double* ksl, int64_t order,
//           int64_t num_kicks, int64_t split, int64_t radiation_flag);
//       radiation_flag: 0 off; 1 mean model, helix curvature
//       (UniformSolenoid, VariableSolenoid); SOLENOID_RADIATION_CHORD (= -1)
//       mean model of the deprecated Solenoid: curvature from the chord
//       |pi_end - pi_start| / ((1+delta) L) over each step, path L, where the
//       first step starts from the kinetic momenta outside the field,
//       (px - ax, py - ay) with the particle's vector potential ax, ay (0 for
//       a particle coming from field-free space): the entry fringe kick is
//       part of the first chord.
//       body with embedded thin multipole kicks (knl/num_kicks each); the
//       field is centred on (x0, y0), the multipoles on the element axis;
//       split SOLENOID_SPLIT_EQUAL: n + 1 body steps of L/(n+1) (Solenoid);
//       SOLENOID_SPLIT_UNIFORM: L/(2n), L/n, ..., L/(2n) (UniformSolenoid).
//       num_kicks = 0: one kick if any multipole is non-zero, else none.
#ifndef XTRACK__SOLENOID_H
#define XTRACK__SOLENOID_H

#include "xtrack/headers/track.h"
#include "_multipole_kick.h"

#define SOLENOID_SPLIT_EQUAL 0
#define SOLENOID_SPLIT_UNIFORM 1
#define SOLENOID_RADIATION_CHORD -1

GPUFUN void solenoid_body(LocalParticle* part, double ks, double length){
    double const x = LocalParticle_get_x(part);
    double const y = LocalParticle_get_y(part);
    double const k = 0.5 * ks;
    double const pix = LocalParticle_get_px(part) + k * y;
    double const piy = LocalParticle_get_py(part) - k * x;
    double const opd = 1. + LocalParticle_get_delta(part);
    double const rvv = LocalParticle_get_rvv(part);
    double const pz = sqrt(opd * opd - pix * pix - piy * piy);
    double const theta = ks * length / pz;
    double const c = cos(theta), s = sin(theta);
    double x_new, y_new;
    if (ks != 0.){
        x_new = x + (pix * s + piy * (1. - c)) / ks;
        y_new = y + (-pix * (1. - c) + piy * s) / ks;
    } else {
        x_new = x + pix * length / pz;
        y_new = y + piy * length / pz;
    }
    double const pix_new = pix * c + piy * s;
    double const piy_new = -pix * s + piy * c;
    LocalParticle_set_x(part, x_new);
    LocalParticle_set_y(part, y_new);
    LocalParticle_set_px(part, pix_new - k * y_new);
    LocalParticle_set_py(part, piy_new + k * x_new);
    LocalParticle_add_to_s(part, length);
    LocalParticle_add_to_zeta(part, length * (1. - opd / (pz * rvv)));
}

// Classical electron-like radius of the particle species, q^2/(4 pi eps0 m c^2) [m].
GPUFUN double solenoid_classical_radius(LocalParticle* part){
    double const q = LocalParticle_get_q0(part) * LocalParticle_get_charge_ratio(part) * QELEM;
    double const m_ev = LocalParticle_get_mass0(part) * LocalParticle_get_charge_ratio(part)
                        / LocalParticle_get_chi(part);
    return q * q / (4. * PI * EPSILON_0 * m_ev * QELEM);
}

// Energy loss dE = -(2/3) r_c m c^2 beta^3 gamma^4 curv2 path [eV], applied with
// the kinetic momenta keeping their direction.
GPUFUN void _solenoid_radiate(LocalParticle* part, double ks, double curv2, double path){
    if (curv2 == 0. || path == 0.) return;
    double const k = 0.5 * ks;
    double const x = LocalParticle_get_x(part);
    double const y = LocalParticle_get_y(part);
    double const pix = LocalParticle_get_px(part) + k * y;
    double const piy = LocalParticle_get_py(part) - k * x;
    double const opd_old = 1. + LocalParticle_get_delta(part);
    double const mass_ratio = LocalParticle_get_charge_ratio(part) / LocalParticle_get_chi(part);
    double const m_ev = LocalParticle_get_mass0(part) * mass_ratio;
    double const energy = (LocalParticle_get_energy0(part)
                           + LocalParticle_get_ptau(part) * LocalParticle_get_p0c(part)) * mass_ratio;
    double const gamma = energy / m_ev;
    double const beta = sqrt(1. - 1. / (gamma * gamma));
    double const r_cl = solenoid_classical_radius(part);
    double const d_energy = -2. / 3. * r_cl * m_ev * gamma * gamma * gamma * gamma
                            * beta * beta * beta * curv2 * path;
    LocalParticle_add_to_energy(part, d_energy, 1);
    double const scale = (1. + LocalParticle_get_delta(part)) / opd_old;
    LocalParticle_set_px(part, scale * pix - k * y);
    LocalParticle_set_py(part, scale * piy + k * x);
}

GPUFUN void solenoid_radiation_mean(LocalParticle* part, double ks, double length,
                                    double pix0, double piy0){
    if (length == 0.) return;
    double const k = 0.5 * ks;
    double const pix = LocalParticle_get_px(part) + k * LocalParticle_get_y(part);
    double const piy = LocalParticle_get_py(part) - k * LocalParticle_get_x(part);
    double const opd = 1. + LocalParticle_get_delta(part);
    // curvature ks |pi_perp| / (1+delta)^2 of the helix, with the transverse
    // kinetic momentum taken as the mean of the step's start and end values
    double const pmx = 0.5 * (pix0 + pix), pmy = 0.5 * (piy0 + piy);
    double const curv2 = ks * ks * (pmx * pmx + pmy * pmy) / (opd * opd * opd * opd);
    // path length of the helix: |pi_perp| is constant over the step
    double const path = length * opd / sqrt(opd * opd - pix0 * pix0 - piy0 * piy0);
    _solenoid_radiate(part, ks, curv2, path);
}

GPUFUN void solenoid_radiation_chord(LocalParticle* part, double ks, double length,
                                     double pix0, double piy0){
    if (length == 0.) return;
    double const k = 0.5 * ks;
    double const opd = 1. + LocalParticle_get_delta(part);
    double const dpx = LocalParticle_get_px(part) + k * LocalParticle_get_y(part) - pix0;
    double const dpy = LocalParticle_get_py(part) - k * LocalParticle_get_x(part) - piy0;
    double const curv2 = (dpx * dpx + dpy * dpy) / (opd * opd * length * length);
    _solenoid_radiate(part, ks, curv2, length);
}

// One body step with the radiation of `radiation_flag`; `from_outside`: the
// step starts at the entry (chord model: kinetic momenta px - ax, py - ay).
GPUFUN void _solenoid_step_on_axis(LocalParticle* part, double ks, double length,
                                   int64_t radiation_flag, int64_t from_outside){
    if (radiation_flag == 0){
        solenoid_body(part, ks, length);
        return;
    }
    double pix0, piy0;
    if (radiation_flag == SOLENOID_RADIATION_CHORD && from_outside){
        pix0 = LocalParticle_get_px(part) - LocalParticle_get_ax(part);
        piy0 = LocalParticle_get_py(part) - LocalParticle_get_ay(part);
    } else {
        pix0 = LocalParticle_get_px(part) + 0.5 * ks * LocalParticle_get_y(part);
        piy0 = LocalParticle_get_py(part) - 0.5 * ks * LocalParticle_get_x(part);
    }
    solenoid_body(part, ks, length);
    if (radiation_flag == SOLENOID_RADIATION_CHORD)
        solenoid_radiation_chord(part, ks, length, pix0, piy0);
    else
        solenoid_radiation_mean(part, ks, length, pix0, piy0);
}

// The step about the solenoid axis (x0, y0): only the field is centred there.
GPUFUN void solenoid_step(LocalParticle* part, double ks, double length, double x0, double y0,
                          int64_t radiation_flag, int64_t from_outside){
    LocalParticle_add_to_x(part, -x0);
    LocalParticle_add_to_y(part, -y0);
    _solenoid_step_on_axis(part, ks, length, radiation_flag, from_outside);
    LocalParticle_add_to_x(part, x0);
    LocalParticle_add_to_y(part, y0);
}

GPUFUN void solenoid_thick(LocalParticle* part, double ks, double length, double x0, double y0,
                           GPUGLMEM const double* knl, GPUGLMEM const double* ksl, int64_t order,
                           int64_t num_kicks, int64_t split, int64_t radiation_flag){
    int64_t has_multipoles = 0;
    for (int64_t ii = 0; ii <= order; ii++){
        if (knl[ii] != 0. || ksl[ii] != 0.) { has_multipoles = 1; break; }
    }
    if (!has_multipoles){
        solenoid_step(part, ks, length, x0, y0, radiation_flag, 1);
        return;
    }
    int64_t const n = num_kicks > 0 ? num_kicks : 1;
    double const weight = 1. / (double)n;
    if (split == SOLENOID_SPLIT_UNIFORM){
        double const step = length / (double)n;
        solenoid_step(part, ks, 0.5 * step, x0, y0, radiation_flag, 1);
        for (int64_t ii = 0; ii < n; ii++){
            multipole_kick(part, knl, ksl, order, weight);
            solenoid_step(part, ks, ii < n - 1 ? step : 0.5 * step, x0, y0, radiation_flag, 0);
        }
    } else {
        double const step = length / (double)(n + 1);
        solenoid_step(part, ks, step, x0, y0, radiation_flag, 1);
        for (int64_t ii = 0; ii < n; ii++){
            multipole_kick(part, knl, ksl, order, weight);
            solenoid_step(part, ks, step, x0, y0, radiation_flag, 0);
        }
    }
}

#endif  // XTRACK__SOLENOID_H
