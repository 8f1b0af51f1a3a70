// SpaceChargeBiGaussian: frozen (or quasi-frozen) 2D space-charge kick, integrated
// over `length`, of a bunch with Gaussian transverse and q-Gaussian longitudinal
// distributions. The bunch moves with the particle, so its electric and magnetic
// forces nearly cancel: F = q E (1 - beta0^2) (e.g. M. Reiser, Theory and Design of
// Charged Particle Beams, 2nd ed., sec. 4.2). With the potential
// Phi(x, y, zeta) = q0 e lambda(zeta) phi(x, y) of the bunch (phi of 1 C/m) the kick
// derives from U = K Phi, K = q L (1 - beta0^2) / (P0 beta0 c beta0 c):
//   dpx = -K dPhi/dx, dpy = -K dPhi/dy, dpzeta = -K dPhi/dzeta (optional),
// so the map is symplectic in (x, px, y, py, zeta, pzeta).
#ifndef XFIELDS_SPACECHARGE_H
#define XFIELDS_SPACECHARGE_H

#include "xtrack/headers/track.h"
#include "xfields/fields/_bigaussian_field.h"
#include "xfields/fields/bigaussian_fieldmap.h"
#include "xfields/fields/_bigaussian_potential.h"
#include "xfields/longitudinal_profiles/qgaussian.h"

GPUFUN void SpaceChargeBiGaussian_track_local_particle(SpaceChargeBiGaussianData el, LocalParticle* part0){
    BiGaussianFieldMapData fmap = SpaceChargeBiGaussianData_getp_fieldmap(el);
    LongitudinalProfileQGaussianData prof = SpaceChargeBiGaussianData_getp_longitudinal_profile(el);
    double const length = SpaceChargeBiGaussianData_get_length(el);
    int64_t const num_integ_per_sigma = SpaceChargeBiGaussianData_get_z_kick_num_integ_per_sigma(el);
    START_PER_PARTICLE_BLOCK(part0, part);
        double const x = LocalParticle_get_x(part);
        double const y = LocalParticle_get_y(part);
        double const zeta = LocalParticle_get_zeta(part);
        double const q0 = LocalParticle_get_q0(part);
        double const beta0 = LocalParticle_get_beta0(part);
        double const gamma0 = LocalParticle_get_gamma0(part);
        // K times q0 e (the bunch charge per particle) [1 / (V m^-1 ... per C/m)]
        double const factor = LocalParticle_get_chi(part) * q0 * q0 * XF_QELEM * length
            * (1. - beta0 * beta0) / (LocalParticle_get_mass0(part) * gamma0 * beta0 * beta0);
        double dlambda_dzeta;
        double const lambda = LongitudinalProfileQGaussian_line_density_and_derivative(
            prof, zeta, &dlambda_dzeta);
        double dphi_dx, dphi_dy;
        BiGaussianFieldMap_get_dphi_dx_dphi_dy(fmap, x, y, &dphi_dx, &dphi_dy);
        LocalParticle_add_to_px(part, -factor * lambda * dphi_dx);
        LocalParticle_add_to_py(part, -factor * lambda * dphi_dy);
        if (num_integ_per_sigma > 0){
            double const phi = BiGaussianFieldMap_get_phi(fmap, x, y, num_integ_per_sigma);
            LocalParticle_update_pzeta(part, LocalParticle_get_pzeta(part)
                                       - factor * dlambda_dzeta * phi);
        }
    END_PER_PARTICLE_BLOCK;
}

#endif  // XFIELDS_SPACECHARGE_H
