// Small-angle radiative Bhabha scattering (e e -> e e gamma) in BeamBeamBiGaussian3D,
// flag_bhabha = 1, in the equivalent photon approximation: the particles of
// the other slice carry virtual photons (Weizsaecker-Williams spectrum,
// V.M. Budnev et al., Phys. Rep. 15 (1975) 181, eq. D.4), which Compton
// scatter on this beam's particle (inverse Compton, I.F. Ginzburg et al.,
// Nucl. Instr. Meth. 205 (1983) 47, eqs. 4-5); the method of GuineaPig
// (D. Schulte, PhD thesis, Hamburg 1996). It reproduces the Baier-Fadin-Khoze
// spectrum 4 alpha r_e^2 / y [(4/3)(1 - y) + y^2] [ln(4 E1 E2 (1 - y) / (m^2 y)) - 1/2].
//
// Conventions of this implementation:
// - virtuality q^2 in units of m^2, q^2_max = 1; the virtual photon energy
//   fraction x >= compt_x_min / gamma^2;
// - beam-size effect (flag_beamsize_effect = 1): impact parameters beyond the
//   slice's size do not contribute (G.L. Kotkin, V.G. Serbo, A. Schiller,
//   Int. J. Mod. Phys. A7 (1992) 4707): q^2_min >= lambda_C^2 / (sigma_x sigma_y)
//   at the collision point, lambda_C the reduced Compton wavelength;
// - the other beam's particles have this beam's reference energy (a
//   symmetric collider);
// - photon counts are real photons: a macro-particle of weight w emits on
//   average w N_i rho_i sigma photons at slice i, and its momentum drops by
//   the photons' energy divided by w (the mean recoil of the particles it
//   stands for; w = 1 is one electron with its full recoil, w < 1 counts as 1);
// - compt_scale multiplies the cross section (more photons for statistics).
#ifndef XFIELDS_BB3D_BHABHA_H
#define XFIELDS_BB3D_BHABHA_H

#include "xtrack/headers/track.h"
#include "xtrack/headers/constants.h"

#define XF_ALPHA_EM 7.2973525693e-3
#define XF_HBAR_C_EVM 1.973269804e-7  // [eV m]

GPUFUN double BB3D_random_poisson(LocalParticle* part, double mean){
    if (mean <= 0.) return 0.;
    if (mean > 50.){  // normal approximation
        double const u1 = 1. - LocalParticle_generate_random_double(part);
        double const u2 = LocalParticle_generate_random_double(part);
        double const k = mean + sqrt(mean) * sqrt(-2. * log(u1)) * cos(2. * PI * u2);
        return k > 0. ? floor(k + 0.5) : 0.;
    }
    double const limit = exp(-mean);
    double prod = LocalParticle_generate_random_double(part);
    double k = 0.;
    while (prod > limit){
        k += 1.;
        prod *= LocalParticle_generate_random_double(part);
    }
    return k;
}

// Klein-Nishina total cross section over the Thomson one, kappa = 4 E omega / m^2.
GPUFUN double BB3D_compton_total_over_thomson(double kappa){
    if (kappa < 1e-3) return 1. - kappa + 1.3 * kappa * kappa;
    double const ik = 1. / kappa;
    return 0.75 * ik * ((1. - 4. * ik - 8. * ik * ik) * log1p(kappa) + 0.5 + 8. * ik
                        - 0.5 / ((1. + kappa) * (1. + kappa)));
}

// Photon energy fraction y of the inverse Compton scattering, drawn from
// dsigma/dy ~ 1/(1-y) + 1 - y - 4r(1-r), r = y / (kappa (1-y)), 0 <= y <= kappa/(kappa+1),
// by rejection under 1/(1-y) + 1.
GPUFUN double BB3D_compton_photon_fraction(LocalParticle* part, double kappa){
    double const y_max = kappa / (kappa + 1.);
    double const w_pole = log1p(kappa);  // integral of 1/(1-y) over [0, y_max]
    for (int iter = 0; iter < 1000; iter++){
        double y;
        if (LocalParticle_generate_random_double(part) * (w_pole + y_max) < w_pole){
            y = 1. - exp(-w_pole * LocalParticle_generate_random_double(part));
        } else {
            y = y_max * LocalParticle_generate_random_double(part);
        }
        double const r = y / (kappa * (1. - y));
        double const f = 1. / (1. - y) + 1. - y - 4. * r * (1. - r);
        if (LocalParticle_generate_random_double(part) * (1. / (1. - y) + 1.) < f) return y;
    }
    return 0.;
}

// Equivalent photon number density x dn/dx / (alpha/pi) at fraction x, q^2_min floor q2_floor.
GPUFUN double BB3D_equivalent_photons(double x, double q2_floor){
    double q2_min = x * x / (1. - x);
    if (q2_min < q2_floor) q2_min = q2_floor;
    if (q2_min >= 1.) return 0.;
    return (1. - x + 0.5 * x * x) * log(1. / q2_min) - (1. - x) * (1. - q2_min);
}

// Photons from the meeting with slice i: `column` = N_i rho_i [m^-2] at the
// particle's position, `sigma_xy` = sqrt(Sigma_11 Sigma_33) of the slice at the CP [m^2].
// Updates px, py, delta (boosted frame) for the recoil and writes the photons.
GPUFUN void BB3D_bhabha(BeamBeamBiGaussian3DData el, BeamBeamBiGaussian3DRecordData record,
                        LocalParticle* part, double column, double sigma_xy,
                        double* px, double* py, double* delta, int64_t* num_photons){
    double const mass = LocalParticle_get_mass0(part);
    double const p0c = LocalParticle_get_p0c(part);
    double const gamma0 = sqrt(p0c * p0c + mass * mass) / mass;
    double const weight = LocalParticle_get_weight(part);
    double const lambda_c = XF_HBAR_C_EVM / mass;
    double const r_class = XF_ALPHA_EM * lambda_c;
    double const sigma_thomson = 8. * PI / 3. * r_class * r_class;
    double const x_min = BeamBeamBiGaussian3DData_get_compt_x_min(el) / (gamma0 * gamma0);
    if (!(x_min > 0. && x_min < 1.)) return;
    double q2_floor = x_min * x_min;
    if (BeamBeamBiGaussian3DData_get_flag_beamsize_effect(el)){
        double const q2_size = lambda_c * lambda_c / sigma_xy;
        if (q2_size > q2_floor) q2_floor = q2_size;
    }
    if (q2_floor >= 1.) return;
    // majorant of x dn/dx sigma_C: (alpha/pi) ln(1/q2_floor) sigma_T, x log-uniform on [x_min, 1)
    double const log_floor = log(1. / q2_floor);
    double const log_x_range = log(1. / x_min);
    double const candidates = BB3D_random_poisson(part,
        weight * column * BeamBeamBiGaussian3DData_get_compt_scale(el)
        * XF_ALPHA_EM / PI * log_floor * sigma_thomson * log_x_range);
    double const strong_energy = sqrt(p0c * p0c + mass * mass);  // symmetric collider
    for (double k = 0.; k < candidates; k += 1.){
        double const x = exp(-log_x_range * (1. - LocalParticle_generate_random_double(part)));
        double const e_beam = (1. + *delta) * p0c;  // [eV], ultra-relativistic
        double const kappa = 4. * e_beam * x * strong_energy / (mass * mass);
        double const accept = BB3D_equivalent_photons(x, q2_floor) / log_floor
                              * BB3D_compton_total_over_thomson(kappa);
        if (LocalParticle_generate_random_double(part) >= accept) continue;
        double const y = BB3D_compton_photon_fraction(part, kappa);
        double const photon_energy = y * e_beam;
        // mean recoil of the w particles: the momentum vector shrinks (collinear photon);
        // a weight below 1 recoils as one particle (never more than the photon's energy)
        double const keep = 1. - photon_energy / ((weight > 1. ? weight : 1.) * e_beam);
        *px *= keep;
        *py *= keep;
        *delta = (1. + *delta) * keep - 1.;
        if (record){
            BhabhaTableData table = BeamBeamBiGaussian3DRecordData_getp_bhabhatable(record);
            int64_t const row = RecordIndex_get_slot(BhabhaTableData_getp__index(table));
            if (row >= 0){
                BhabhaTableData_set_at_element(table, row, LocalParticle_get_at_element(part));
                BhabhaTableData_set_at_turn(table, row, LocalParticle_get_at_turn(part));
                BhabhaTableData_set_particle_id(table, row, LocalParticle_get_particle_id(part));
                BhabhaTableData_set_photon_id(table, row, (double) *num_photons);
                BhabhaTableData_set_primary_energy(table, row, e_beam);
                BhabhaTableData_set_photon_energy(table, row, photon_energy);
            }
        }
        *num_photons += 1;
    }
}

#endif  // XFIELDS_BB3D_BHABHA_H
