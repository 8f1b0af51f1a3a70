// SpaceCharge3D: particle-in-cell space-charge kick, integrated over `length`,
// from the potential phi [V] of the bunch on a TriLinearInterpolatedFieldMap
// (laboratory frame). A bunch moving with the particle at beta0 c exerts
// F = -q (1 - beta0^2) grad(phi) on it: transversely the magnetic force
// cancels all but 1/gamma0^2 of the electric one; longitudinally
// E_z,lab = E_z,rest = -(1/gamma0^2) dphi/dz (Lorentz transformation of the
// rest-frame potential, phi_lab(x, y, z) = gamma0 phi_rest(x, y, gamma0 z);
// e.g. M. Reiser, Theory and Design of Charged Particle Beams, 2nd ed.,
// sec. 4.2). With K = chi q0 L (1 - beta0^2) / (m0 gamma0 beta0^2) [1/V]:
//   dpx = -K dphi/dx, dpy = -K dphi/dy, dpzeta = -K dphi/dzeta (apply_z_kick),
// a kick from the potential K phi, hence symplectic.
#ifndef XFIELDS_SPACECHARGE3D_H
#define XFIELDS_SPACECHARGE3D_H

#include "xtrack/headers/track.h"
#include "xfields/fields/trilinear_fieldmap.h"

GPUFUN void SpaceCharge3D_track_local_particle(SpaceCharge3DData el, LocalParticle* part0){
    TriLinearInterpolatedFieldMapData fmap = SpaceCharge3DData_getp_fieldmap(el);
    double const length = SpaceCharge3DData_get_length(el);
    int64_t const apply_z_kick = SpaceCharge3DData_get_apply_z_kick(el);
    START_PER_PARTICLE_BLOCK(part0, part);
        double const beta0 = LocalParticle_get_beta0(part);
        double const factor = LocalParticle_get_chi(part) * LocalParticle_get_q0(part) * length
            * (1. - beta0 * beta0)
            / (LocalParticle_get_mass0(part) * LocalParticle_get_gamma0(part) * beta0 * beta0);
        double dphi_dx, dphi_dy, dphi_dz;
        TriLinearInterpolatedFieldMap_get_dphi(fmap, LocalParticle_get_x(part),
            LocalParticle_get_y(part), LocalParticle_get_zeta(part), &dphi_dx, &dphi_dy, &dphi_dz);
        LocalParticle_add_to_px(part, -factor * dphi_dx);
        LocalParticle_add_to_py(part, -factor * dphi_dy);
        if (apply_z_kick){
            LocalParticle_update_pzeta(part, LocalParticle_get_pzeta(part) - factor * dphi_dz);
        }
    END_PER_PARTICLE_BLOCK;
}

#endif  // XFIELDS_SPACECHARGE3D_H
