// ElectronCloud: thin kick, integrated over `length`, from the potential of
// an electron cloud (pinched by the passing bunch) given on a
// TriCubicInterpolatedFieldMap as a kick potential phi [1] (the potential
// energy of the reference particle divided by p0c beta0, per metre of
// machine): the kick is minus its gradient times length,
//   dpx = -chi L dphi/dx - dipolar_px_kick,   (likewise y)
//   dpzeta = -chi L dphi/dzeta - dipolar_pzeta_kick,
// at the particle's position relative to (x_shift, y_shift, zeta_shift).
// A kick from a potential: symplectic. The dipolar kicks are constants
// removed from every particle (the kick on the closed orbit, so that the
// cloud leaves the orbit alone). A particle outside the grid has no field
// to be kicked by: it is marked lost with state XF_ECLOUD_OUTSIDE_GRID.
#ifndef XFIELDS_ELECTRONCLOUD_H
#define XFIELDS_ELECTRONCLOUD_H

#include "xtrack/headers/track.h"
#include "xfields/fields/tricubic_fieldmap.h"

#define XF_ECLOUD_OUTSIDE_GRID (-11)

GPUFUN void ElectronCloud_track_local_particle(ElectronCloudData el, LocalParticle* part0){
    TriCubicInterpolatedFieldMapData fmap = ElectronCloudData_getp_fieldmap(el);
    double const length = ElectronCloudData_get_length(el);
    double const x_shift = ElectronCloudData_get_x_shift(el);
    double const y_shift = ElectronCloudData_get_y_shift(el);
    double const zeta_shift = ElectronCloudData_get_zeta_shift(el);
    double const dip_px = ElectronCloudData_get_dipolar_px_kick(el);
    double const dip_py = ElectronCloudData_get_dipolar_py_kick(el);
    double const dip_pzeta = ElectronCloudData_get_dipolar_pzeta_kick(el);
    START_PER_PARTICLE_BLOCK(part0, part);
        double phi, dphi_dx, dphi_dy, dphi_dz;
        int64_t const inside = TriCubicInterpolatedFieldMap_eval(fmap,
            LocalParticle_get_x(part) - x_shift, LocalParticle_get_y(part) - y_shift,
            LocalParticle_get_zeta(part) - zeta_shift, &phi, &dphi_dx, &dphi_dy, &dphi_dz);
        if (!inside){
            LocalParticle_kill_particle(part, XF_ECLOUD_OUTSIDE_GRID);
        }
        else {
            double const factor = LocalParticle_get_chi(part) * length;
            LocalParticle_add_to_px(part, -factor * dphi_dx - dip_px);
            LocalParticle_add_to_py(part, -factor * dphi_dy - dip_py);
            LocalParticle_update_pzeta(part, LocalParticle_get_pzeta(part)
                                       - factor * dphi_dz - dip_pzeta);
        }
    END_PER_PARTICLE_BLOCK;
}

#endif  // XFIELDS_ELECTRONCLOUD_H
