// ElectronLensInterpolated: thin transverse kick of an electron lens of any
// transverse profile, from the potential on a TriCubicInterpolatedFieldMap.
//
// The map holds phi_1 [V m/C], the 2D potential of the electron beam per
// unit line charge (solved once from the normalised transverse density).
// The electrons (kinetic energy e*voltage: gamma_e = 1 + voltage/(m_e c^2))
// move against the beam with speed beta_e c; their line charge is
// lambda = -current / (beta_e c). For counter-moving beams the magnetic
// force adds to the electric one, F = q E (1 + beta_e beta_p), over a
// passage time length / (beta_p c), so with p0c in eV
//   dpx = q0 charge_ratio lambda_abs length (1 + beta_e beta_p) / (beta_p p0c) dphi_1/dx
// (likewise y; the electrons attract positive charges: +grad of the
// potential of |lambda|). This is the kick of xtrack.Elens for its annular
// profile (Stancari et al., PRL 107, 084802 (2011)), without its (1 + delta)
// scaling: here beta_p = rvv beta0 is the particle's own speed. The kick is
// z-independent (the map is read at its first z node). Outside the grid the
// field is that of a line charge at the centroid of the profile (the
// monopole term, exact for a round profile inside the grid).
#ifndef XFIELDS_ELECTRONLENS_INTERPOLATED_H
#define XFIELDS_ELECTRONLENS_INTERPOLATED_H

#include "xtrack/headers/track.h"
#include "xfields/fields/tricubic_fieldmap.h"

// m_e c^2 [eV] and eps0 [F/m] (CODATA 2018)
#define XF_ELENS_ELECTRON_MASS_EV 510998.95
#define XF_ELENS_EPSILON_0 8.8541878128e-12

GPUFUN void ElectronLensInterpolated_track_local_particle(ElectronLensInterpolatedData el,
                                                         LocalParticle* part0){
    TriCubicInterpolatedFieldMapData fmap = ElectronLensInterpolatedData_getp_fieldmap(el);
    double const current = ElectronLensInterpolatedData_get_current(el);
    double const length = ElectronLensInterpolatedData_get_length(el);
    double const voltage = ElectronLensInterpolatedData_get_voltage(el);
    double const rho_integral = ElectronLensInterpolatedData_get_rho_integral(el);
    double const x_c = ElectronLensInterpolatedData_get_x_centroid(el);
    double const y_c = ElectronLensInterpolatedData_get_y_centroid(el);
    double const z_map = TriCubicInterpolatedFieldMapData_get_z_min(fmap);
    double const gamma_e = 1. + voltage / XF_ELENS_ELECTRON_MASS_EV;
    double const beta_e = sqrt(1. - 1. / (gamma_e * gamma_e));
    if (current == 0.) return;
    double const lambda = current / (beta_e * C_LIGHT);  // |line charge| [C/m]
    START_PER_PARTICLE_BLOCK(part0, part);
        double const x = LocalParticle_get_x(part);
        double const y = LocalParticle_get_y(part);
        double const beta_p = LocalParticle_get_rvv(part) * LocalParticle_get_beta0(part);
        double const factor = LocalParticle_get_q0(part) * LocalParticle_get_charge_ratio(part)
            * lambda * length * (1. + beta_e * beta_p) / (beta_p * LocalParticle_get_p0c(part));
        double phi, dphi_dx, dphi_dy, dphi_dz;
        if (!TriCubicInterpolatedFieldMap_eval(fmap, x, y, z_map, &phi, &dphi_dx, &dphi_dy,
                                               &dphi_dz)){
            // grad of -ln(r) / (2 pi eps0) times the enclosed (all the) charge
            double const rx = x - x_c, ry = y - y_c;
            double const scale = -rho_integral / (2. * PI * XF_ELENS_EPSILON_0 * (rx * rx + ry * ry));
            dphi_dx = scale * rx;
            dphi_dy = scale * ry;
        }
        LocalParticle_add_to_px(part, factor * dphi_dx);
        LocalParticle_add_to_py(part, factor * dphi_dy);
    END_PER_PARTICLE_BLOCK;
}

#endif  // XFIELDS_ELECTRONLENS_INTERPOLATED_H
