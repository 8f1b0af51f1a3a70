// Beamstrahlung in BeamBeamBiGaussian3D: synchrotron radiation of the
// particle in the field of each slice of the other bunch.
//
// The kick of slice i bends the particle by theta = |dp_perp| / p over the
// path dz = w_i* / 2 (w_i* the slice length in the boosted frame,
// slices_other_beam_zeta_bin_width_star_beamstrahlung: the slice passes at
// the relative speed 2c), so 1 / rho = theta / dz.
// - flag_beamstrahlung = 1 (mean): the classical loss
//   dE / E = (2/3) r_e gamma^3 dz / rho^2 (J.D. Jackson, Classical
//   Electrodynamics, eq. 14.31);
// - flag_beamstrahlung = 2 (quantum): photons drawn from the quantum
//   synchrotron spectrum (V.N. Baier, V.M. Katkov, Sov. Phys. JETP 26 (1968) 854;
//   K. Yokoya, P. Chen, Lect. Notes Phys. 400 (1992) 415):
//   d2N / (ds dy) = alpha / (sqrt(3) pi lambda_C gamma) [(1 - y + 1/(1-y)) K_2/3(z) - int_z K_1/3],
//   y = E_photon / E, z = 2 y / (3 Upsilon (1 - y)), Upsilon = lambda_C gamma^2 / rho,
//   which is the classical spectrum (int_z K_5/3, critical energy
//   (3/2) hbar c gamma^3 / rho) for Upsilon << 1. Each photon takes its
//   energy from the macro-particle (the macro-particle is one representative
//   particle of the bunch; a photon row stands for `weight` real photons).
// Slices without a width (<= 0) give no beamstrahlung.
#ifndef XFIELDS_BB3D_BEAMSTRAHLUNG_H
#define XFIELDS_BB3D_BEAMSTRAHLUNG_H

#include "xtrack/headers/track.h"
#include "xtrack/headers/constants.h"
#include "_bb3d_bhabha.h"

// K_nu(z) (tail = 0) or int_z^inf K_nu (tail = 1), from
// K_nu(z) = int_0^inf exp(-z cosh u) cosh(nu u) du and
// int_z^inf K_nu = int_0^inf exp(-z cosh u) cosh(nu u) / cosh(u) du
// (trapezoid rule, exponentially accurate for this smooth decaying integrand).
GPUFUN double BB3D_bessel_k_integral(double nu, double z, int tail){
    double u_max = z < 50. ? acosh(50. / z) : 1.;
    if (u_max < 1.) u_max = 1.;
    int64_t const n = (int64_t)(u_max / 0.05) + 2;
    double const h = u_max / (double)(n - 1);
    double sum = 0.;
    for (int64_t k = 0; k < n; k++){
        double const u = k * h;
        double f = exp(-z * cosh(u)) * cosh(nu * u);
        if (tail) f /= cosh(u);
        sum += (k == 0 || k == n - 1) ? 0.5 * f : f;
    }
    return sum * h;
}

// Photon energy fraction y drawn from the quantum spectrum; returns the
// number density in z under the majorant (classical int_z K_5/3 <= 2.16 z^-2/3
// for z <= 1, <= 1.78 exp(-z) beyond), by rejection. `upsilon` > 0.
GPUFUN double BB3D_beamstrahlung_fraction(LocalParticle* part, double upsilon, int* accepted){
    double const area_low = 3. * 2.16, area_high = 1.78 * exp(-1.);
    double z, majorant;
    if (LocalParticle_generate_random_double(part) * (area_low + area_high) < area_low){
        double const u = LocalParticle_generate_random_double(part);
        z = u * u * u;                      // density ~ z^-2/3 on (0, 1]
        if (z < 1e-30) z = 1e-30;
        majorant = 2.16 * pow(z, -2. / 3.);
    } else {
        z = 1. - log(1. - LocalParticle_generate_random_double(part));  // exp(-z) on (1, inf)
        majorant = 1.78 * exp(-z);
    }
    double const y = 3. * upsilon * z / (2. + 3. * upsilon * z);
    double const t = 1. - y;
    double const target = (t * t * t + t) * BB3D_bessel_k_integral(2. / 3., z, 0)
                          - t * t * BB3D_bessel_k_integral(1. / 3., z, 1);
    *accepted = LocalParticle_generate_random_double(part) * majorant < target;
    return y;
}

// Beamstrahlung after the kick (fx, fy) of slice i; px, py, delta boosted.
GPUFUN void BB3D_beamstrahlung(BeamBeamBiGaussian3DData el, BeamBeamBiGaussian3DRecordData record,
                               LocalParticle* part, int64_t i, int64_t flag, double fx, double fy,
                               double* px, double* py, double* delta, int64_t* num_photons){
    double const dz = 0.5 * BeamBeamBiGaussian3DData_get_slices_other_beam_zeta_bin_width_star_beamstrahlung(el, i);
    if (!(dz > 0.)) return;
    double const mass = LocalParticle_get_mass0(part);
    double const p0c = LocalParticle_get_p0c(part);
    double const energy = (1. + *delta) * p0c;  // [eV], ultra-relativistic
    double const gamma = energy / mass;
    double const theta = sqrt(fx * fx + fy * fy) / (1. + *delta);
    if (theta == 0.) return;
    double const rho_inv = theta / dz;
    double const lambda_c = XF_HBAR_C_EVM / mass;
    if (flag == 1){
        double const loss = 2. / 3. * XF_ALPHA_EM * lambda_c * gamma * gamma * gamma * dz * rho_inv * rho_inv;
        double const keep = loss < 1. ? 1. - loss : 0.;
        *px *= keep; *py *= keep; *delta = (1. + *delta) * keep - 1.;
        return;
    }
    double const upsilon = lambda_c * gamma * gamma * rho_inv;
    double const critical = 1.5 * XF_HBAR_C_EVM * gamma * gamma * gamma * rho_inv;  // [eV]
    // candidates: sqrt(3) alpha gamma / (2 pi rho) dz times the majorant's area
    double const candidates = BB3D_random_poisson(part,
        sqrt(3.) * XF_ALPHA_EM * gamma * rho_inv * dz / (2. * PI) * (3. * 2.16 + 1.78 * exp(-1.)));
    double e_now = energy;
    for (double k = 0.; k < candidates; k += 1.){
        int accepted = 0;
        double const y = BB3D_beamstrahlung_fraction(part, upsilon, &accepted);
        if (!accepted) continue;
        double const photon_energy = y * e_now;
        double const keep = 1. - y;
        *px *= keep; *py *= keep; *delta = (1. + *delta) * keep - 1.;
        if (record){
            BeamstrahlungTableData table = BeamBeamBiGaussian3DRecordData_getp_beamstrahlungtable(record);
            int64_t const row = RecordIndex_get_slot(BeamstrahlungTableData_getp__index(table));
            if (row >= 0){
                BeamstrahlungTableData_set_at_element(table, row, LocalParticle_get_at_element(part));
                BeamstrahlungTableData_set_at_turn(table, row, LocalParticle_get_at_turn(part));
                BeamstrahlungTableData_set_particle_id(table, row, LocalParticle_get_particle_id(part));
                BeamstrahlungTableData_set_photon_id(table, row, (double) *num_photons);
                BeamstrahlungTableData_set_primary_energy(table, row, e_now);
                BeamstrahlungTableData_set_photon_energy(table, row, photon_energy);
                BeamstrahlungTableData_set_photon_critical_energy(table, row, critical);
                BeamstrahlungTableData_set_rho_inv(table, row, rho_inv);
            }
        }
        e_now -= photon_energy;
        *num_photons += 1;
    }
}

#endif  // XFIELDS_BB3D_BEAMSTRAHLUNG_H
