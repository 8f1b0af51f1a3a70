// BeamBeamBiGaussian2D: thin weak-strong beam-beam kick of a 2D Gaussian bunch.
// The opposing bunch (moments Sigma_11, Sigma_13, Sigma_33, centred at
// other_beam_shift_x/y) is a line charge seen by the particle (frame shifted
// by ref_shift_x/y); its field is Bassetti-Erskine's, in the frame where the
// bunch is upright. For counter-moving beams of velocities beta0 c and
// beta_s c the electric and magnetic forces add to q E (1 + beta0 beta_s) and
// act during a time proportional to 1 / (beta0 + beta_s), so
//   dpx = q Q N E_x (1 + beta0 beta_s) / (p0 c (beta0 + beta_s)),
// E_x [V/m per C/m] being the field of a unit line density
// (e.g. A.W. Chao, M. Tigner, Handbook of Accelerator Physics, sec. 2.5.1).
#ifndef XFIELDS_BEAMBEAM2D_H
#define XFIELDS_BEAMBEAM2D_H

#include "xtrack/headers/track.h"
#include "xfields/fields/_bigaussian_field.h"

GPUFUN void BeamBeamBiGaussian2D_track_local_particle(BeamBeamBiGaussian2DData el, LocalParticle* part0){
    double sig11_hat, sig33_hat, cth, sth;
    XF_upright_frame(BeamBeamBiGaussian2DData_get_other_beam_Sigma_11(el),
                     BeamBeamBiGaussian2DData_get_other_beam_Sigma_13(el),
                     BeamBeamBiGaussian2DData_get_other_beam_Sigma_33(el),
                     &sig11_hat, &sig33_hat, &cth, &sth);
    double const sigma_x = sqrt(sig11_hat), sigma_y = sqrt(sig33_hat);
    double const min_sigma_diff = BeamBeamBiGaussian2DData_get_min_sigma_diff(el);
    double const beta_s = BeamBeamBiGaussian2DData_get_other_beam_beta0(el);
    // charge of the opposing bunch [C]
    double const q_bunch = BeamBeamBiGaussian2DData_get_scale_strength(el)
        * BeamBeamBiGaussian2DData_get_other_beam_q0(el)
        * BeamBeamBiGaussian2DData_get_other_beam_num_particles(el) * XF_QELEM;
    double const dx0 = BeamBeamBiGaussian2DData_get_ref_shift_x(el)
                       + BeamBeamBiGaussian2DData_get_other_beam_shift_x(el);
    double const dy0 = BeamBeamBiGaussian2DData_get_ref_shift_y(el)
                       + BeamBeamBiGaussian2DData_get_other_beam_shift_y(el);
    double const sub_px = BeamBeamBiGaussian2DData_get_post_subtract_px(el);
    double const sub_py = BeamBeamBiGaussian2DData_get_post_subtract_py(el);
    START_PER_PARTICLE_BLOCK(part0, part);
        double const dx = LocalParticle_get_x(part) - dx0;
        double const dy = LocalParticle_get_y(part) - dy0;
        double ex_hat, ey_hat, gx_hat, gy_hat;
        XF_bigaussian_field(dx * cth + dy * sth, -dx * sth + dy * cth, sigma_x, sigma_y,
                            min_sigma_diff, &ex_hat, &ey_hat, &gx_hat, &gy_hat);
        double const beta0 = LocalParticle_get_beta0(part);
        double const factor = LocalParticle_get_q0(part) * LocalParticle_get_chi(part) * q_bunch
            / LocalParticle_get_p0c(part) * (1. + beta0 * beta_s) / (beta0 + beta_s);
        LocalParticle_add_to_px(part, factor * (ex_hat * cth - ey_hat * sth) - sub_px);
        LocalParticle_add_to_py(part, factor * (ex_hat * sth + ey_hat * cth) - sub_py);
    END_PER_PARTICLE_BLOCK;
}

#endif  // XFIELDS_BEAMBEAM2D_H
