// BeamBeamBiGaussian3D: weak-strong 6D beam-beam with the synchro-beam method.
// The particle is boosted to the head-on frame (_boost.h), meets every slice
// of the strong bunch at its collision point (CP) S = (zeta* - zeta_i*) / 2,
// where it receives the transverse kick of a 2D Gaussian slice whose moments
// are transported to the CP, and the energy change that makes the map
// symplectic; then it is boosted back.
// K. Hirata, H. Moshammer, F. Ruggiero, Part. Accel. 40 (1993) 205;
// L.H.A. Leunissen, F. Schmidt, G. Ripken, LHC Project Report 369 (2000)
// (coupled slices: rotation to the frame where the slice is upright).
#ifndef XFIELDS_BEAMBEAM3D_H
#define XFIELDS_BEAMBEAM3D_H

#include "xtrack/headers/track.h"
#include "xtrack/headers/constants.h"
#include "xfields/fields/_bigaussian_field.h"
#include "_boost.h"
#include "_bb3d_bhabha.h"
#include "_bb3d_beamstrahlung.h"

// Moments of slice i transported by a drift S [m] to the CP: upright sizes
// (sig11_hat, sig33_hat) [m^2], rotation (cos, sin) of the upright frame and
// the S-derivatives of the sizes and of the rotation angle.
GPUFUN void BB3D_slice_moments_at_cp(BeamBeamBiGaussian3DData el, int64_t i, double S,
        double* sig11_hat, double* sig33_hat, double* d_sig11_hat, double* d_sig33_hat,
        double* cos_th, double* sin_th, double* d_theta){
    double const s11 = BeamBeamBiGaussian3DData_get_slices_other_beam_Sigma_11_star(el, i);
    double const s12 = BeamBeamBiGaussian3DData_get_slices_other_beam_Sigma_12_star(el, i);
    double const s13 = BeamBeamBiGaussian3DData_get_slices_other_beam_Sigma_13_star(el, i);
    double const s14 = BeamBeamBiGaussian3DData_get_slices_other_beam_Sigma_14_star(el, i);
    double const s22 = BeamBeamBiGaussian3DData_get_slices_other_beam_Sigma_22_star(el, i);
    double const s23 = BeamBeamBiGaussian3DData_get_slices_other_beam_Sigma_23_star(el, i);
    double const s24 = BeamBeamBiGaussian3DData_get_slices_other_beam_Sigma_24_star(el, i);
    double const s33 = BeamBeamBiGaussian3DData_get_slices_other_beam_Sigma_33_star(el, i);
    double const s34 = BeamBeamBiGaussian3DData_get_slices_other_beam_Sigma_34_star(el, i);
    double const s44 = BeamBeamBiGaussian3DData_get_slices_other_beam_Sigma_44_star(el, i);
    // drift of the second moments: Sigma(S) = M Sigma M^T, M = [[1, S], [0, 1]]
    double const sig11 = s11 + 2. * s12 * S + s22 * S * S;
    double const sig33 = s33 + 2. * s34 * S + s44 * S * S;
    double const sig13 = s13 + (s14 + s23) * S + s24 * S * S;
    double const d_sig11 = 2. * s12 + 2. * s22 * S;
    double const d_sig33 = 2. * s34 + 2. * s44 * S;
    double const d_sig13 = s14 + s23 + 2. * s24 * S;
    if (fabs(sig13) < BeamBeamBiGaussian3DData_get_threshold_singular(el)){
        *sig11_hat = sig11; *sig33_hat = sig33;
        *d_sig11_hat = d_sig11; *d_sig33_hat = d_sig33;
        *cos_th = 1.; *sin_th = 0.; *d_theta = 0.;
        return;
    }
    // upright frame: tan(2 theta) = 2 Sigma_13 / (Sigma_11 - Sigma_33), |theta| <= pi/4
    double const R = sig11 - sig33, W = sig11 + sig33;
    double const dR = d_sig11 - d_sig33, dW = d_sig11 + d_sig33;
    double const T = sqrt(R * R + 4. * sig13 * sig13);
    double const sign_R = (R >= 0.) ? 1. : -1.;
    double const dT = (R * dR + 4. * sig13 * d_sig13) / T;
    *sig11_hat = 0.5 * (W + sign_R * T);
    *sig33_hat = 0.5 * (W - sign_R * T);
    *d_sig11_hat = 0.5 * (dW + sign_R * dT);
    *d_sig33_hat = 0.5 * (dW - sign_R * dT);
    double const theta = 0.5 * atan2(sign_R * 2. * sig13 / T, sign_R * R / T);
    *cos_th = cos(theta);
    *sin_th = sin(theta);
    *d_theta = (d_sig13 * R - sig13 * dR) / (T * T);
}

// One slice: kick of the boosted coordinates (Hirata et al. 1993, eqs. 14-17).
// q_factor: charge of the particle times the slice charge over its momentum,
// (q0 chi) * (q_other N_i) e / p0c [1 / (V m^-1 ... )], so that dpx = q_factor E_x.
// density (if not NULL): the normalised transverse density of the slice
// [m^-2] at the particle's position at the CP, before the kick (the
// luminosity integrand), and sigma_xy = sqrt(Sigma_11 Sigma_33) there [m^2].
GPUFUN void BB3D_synchrobeam_kick(BeamBeamBiGaussian3DData el, int64_t i, double q_factor,
        double* x, double* px, double* y, double* py, double zeta, double* delta, double* density,
        double* sigma_xy){
    double const S = 0.5 * (zeta - BeamBeamBiGaussian3DData_get_slices_other_beam_zeta_center_star(el, i)
                            - BeamBeamBiGaussian3DData_get_other_beam_shift_zeta(el));
    double sig11, sig33, d_sig11, d_sig33, cth, sth, d_theta;
    BB3D_slice_moments_at_cp(el, i, S, &sig11, &sig33, &d_sig11, &d_sig33, &cth, &sth, &d_theta);
    double const px_c = BeamBeamBiGaussian3DData_get_slices_other_beam_px_center_star(el, i)
                        + BeamBeamBiGaussian3DData_get_other_beam_shift_px(el);
    double const py_c = BeamBeamBiGaussian3DData_get_slices_other_beam_py_center_star(el, i)
                        + BeamBeamBiGaussian3DData_get_other_beam_shift_py(el);
    double const x_c = BeamBeamBiGaussian3DData_get_slices_other_beam_x_center_star(el, i)
                       + BeamBeamBiGaussian3DData_get_other_beam_shift_x(el) + px_c * S;
    double const y_c = BeamBeamBiGaussian3DData_get_slices_other_beam_y_center_star(el, i)
                       + BeamBeamBiGaussian3DData_get_other_beam_shift_y(el) + py_c * S;
    // distance to the slice centre at the CP, in the upright frame of the slice
    double const dx = *x + (*px) * S - x_c;
    double const dy = *y + (*py) * S - y_c;
    double const x_hat = dx * cth + dy * sth;
    double const y_hat = -dx * sth + dy * cth;
    double ex_hat, ey_hat, gx_hat, gy_hat;
    XF_bigaussian_field(x_hat, y_hat, sqrt(sig11), sqrt(sig33),
                        BeamBeamBiGaussian3DData_get_min_sigma_diff(el),
                        &ex_hat, &ey_hat, &gx_hat, &gy_hat);
    double const fx = q_factor * (ex_hat * cth - ey_hat * sth);
    double const fy = q_factor * (ex_hat * sth + ey_hat * cth);
    // energy change -1/2 dPhi/dS at fixed CP position (dS/dzeta = 1/2), Phi = q_factor U; the
    // potential U of a Gaussian obeys dU/dSigma_11 = -G_x / 2 (heat equation),
    // dU/dtheta = E_y_hat x_hat - E_x_hat y_hat, and the moving centre adds E . p_c.
    double const d_potential_dS = -0.5 * gx_hat * d_sig11 - 0.5 * gy_hat * d_sig33
        + (ey_hat * x_hat - ex_hat * y_hat) * d_theta
        + (ex_hat * cth - ey_hat * sth) * px_c + (ex_hat * sth + ey_hat * cth) * py_c;
    double const d_delta_slice = -0.5 * q_factor * d_potential_dS;
    // drift to the CP, kick, drift back: x -= S F, and the drifts' energy terms
    *delta += d_delta_slice + 0.5 * fx * (*px + 0.5 * fx) + 0.5 * fy * (*py + 0.5 * fy);
    *x -= S * fx;
    *y -= S * fy;
    *px += fx;
    *py += fy;
    if (density){
        *density = exp(-0.5 * x_hat * x_hat / sig11 - 0.5 * y_hat * y_hat / sig33)
                   / (2. * PI * sqrt(sig11 * sig33));
        *sigma_xy = sqrt(sig11 * sig33);
    }
}

// Luminosity of this particle's crossing added to row at_turn of the lumi
// table (see _bb3d_record.py); rows past the capacity are not recorded.
GPUFUN void BB3D_record_luminosity(BeamBeamBiGaussian3DRecordData record, LocalParticle* part,
                                   double lumi){
    LumiTableData table = BeamBeamBiGaussian3DRecordData_getp_lumitable(record);
    RecordIndex index = LumiTableData_getp__index(table);
    int64_t const row = LocalParticle_get_at_turn(part);
    if (row < 0 || row >= RecordIndex_get_capacity(index)) return;
    XT_record_atomic_add_f64(LumiTableData_getp1_luminosity(table, row), lumi);
    LumiTableData_set_at_turn(table, row, row);
    if (XT_record_atomic_add_i64(LumiTableData_getp1_num_macroparticles(table, row), 1) == 0){
        XT_record_atomic_add_i64(RecordIndex_getp_num_recorded(index), 1);  // a new row
    }
}

GPUFUN void BeamBeamBiGaussian3D_track_local_particle(BeamBeamBiGaussian3DData el, LocalParticle* part0){
    BB3DBoost boost;
    boost.sphi = BeamBeamBiGaussian3DData_get__sin_phi(el);
    boost.cphi = BeamBeamBiGaussian3DData_get__cos_phi(el);
    boost.tphi = BeamBeamBiGaussian3DData_get__tan_phi(el);
    boost.salpha = BeamBeamBiGaussian3DData_get__sin_alpha(el);
    boost.calpha = BeamBeamBiGaussian3DData_get__cos_alpha(el);
    double const q_other = BeamBeamBiGaussian3DData_get_other_beam_q0(el)
                           * BeamBeamBiGaussian3DData_get_scale_strength(el);
    int64_t const num_slices = BeamBeamBiGaussian3DData_get_num_slices_other_beam(el);
    double const sx = BeamBeamBiGaussian3DData_get_ref_shift_x(el);
    double const spx = BeamBeamBiGaussian3DData_get_ref_shift_px(el);
    double const sy = BeamBeamBiGaussian3DData_get_ref_shift_y(el);
    double const spy = BeamBeamBiGaussian3DData_get_ref_shift_py(el);
    double const sz = BeamBeamBiGaussian3DData_get_ref_shift_zeta(el);
    double const spz = BeamBeamBiGaussian3DData_get_ref_shift_pzeta(el);
    BeamBeamBiGaussian3DRecordData const record = BeamBeamBiGaussian3DData_getp_internal_record(el, part0);
    int64_t const flag_lumi = BeamBeamBiGaussian3DData_get_flag_luminosity(el) && record;
    int64_t const flag_bhabha = BeamBeamBiGaussian3DData_get_flag_bhabha(el);
    int64_t const flag_beamstrahlung = BeamBeamBiGaussian3DData_get_flag_beamstrahlung(el);
    START_PER_PARTICLE_BLOCK(part0, part);
        double x = LocalParticle_get_x(part) - sx;
        double px = LocalParticle_get_px(part) - spx;
        double y = LocalParticle_get_y(part) - sy;
        double py = LocalParticle_get_py(part) - spy;
        double zeta = LocalParticle_get_zeta(part) - sz;
        double const pzeta_in = LocalParticle_get_pzeta(part);
        if (spz != 0.) LocalParticle_update_pzeta(part, pzeta_in - spz);
        double delta = LocalParticle_get_delta(part);
        double const q_particle = LocalParticle_get_q0(part) * LocalParticle_get_chi(part);
        double const p0c = LocalParticle_get_p0c(part);
        BB3DBoost_forward(&boost, &x, &px, &y, &py, &zeta, &delta);
        double lumi = 0.;
        int64_t num_photons = 0, num_bs_photons = 0;
        for (int64_t i = 0; i < num_slices; i++){
            double const num_i = BeamBeamBiGaussian3DData_get_slices_other_beam_num_particles(el, i);
            if (num_i == 0.) continue;  // an empty slice (strong-strong): no charge, no moments
            double const q_factor = q_particle * q_other * num_i * XF_QELEM / p0c;
            double density = 0., sigma_xy = 0.;
            double const px_before = px, py_before = py;
            BB3D_synchrobeam_kick(el, i, q_factor, &x, &px, &y, &py, zeta, &delta,
                                  (flag_lumi || flag_bhabha) ? &density : 0, &sigma_xy);
            lumi += num_i * density;
            if (flag_beamstrahlung){
                BB3D_beamstrahlung(el, record, part, i, flag_beamstrahlung, px - px_before,
                                   py - py_before, &px, &py, &delta, &num_bs_photons);
            }
            if (flag_bhabha){
                BB3D_bhabha(el, record, part, num_i * density, sigma_xy, &px, &py, &delta, &num_photons);
            }
        }
        if (flag_lumi) BB3D_record_luminosity(record, part, LocalParticle_get_weight(part) * lumi);
        BB3DBoost_inverse(&boost, &x, &px, &y, &py, &zeta, &delta);
        LocalParticle_update_delta(part, delta);
        if (spz != 0. || BeamBeamBiGaussian3DData_get_post_subtract_pzeta(el) != 0.){
            LocalParticle_update_pzeta(part, LocalParticle_get_pzeta(part) + spz
                                       - BeamBeamBiGaussian3DData_get_post_subtract_pzeta(el));
        }
        LocalParticle_set_x(part, x + sx - BeamBeamBiGaussian3DData_get_post_subtract_x(el));
        LocalParticle_set_px(part, px + spx - BeamBeamBiGaussian3DData_get_post_subtract_px(el));
        LocalParticle_set_y(part, y + sy - BeamBeamBiGaussian3DData_get_post_subtract_y(el));
        LocalParticle_set_py(part, py + spy - BeamBeamBiGaussian3DData_get_post_subtract_py(el));
        LocalParticle_set_zeta(part, zeta + sz - BeamBeamBiGaussian3DData_get_post_subtract_zeta(el));
    END_PER_PARTICLE_BLOCK;
}

#endif  // XFIELDS_BEAMBEAM3D_H
