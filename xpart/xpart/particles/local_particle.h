// Physics helpers of the per-particle C API (xpart).
//
// Included by xpart.particles.local_particle.gen_local_particle_api after the
// generated LocalParticle struct and accessors; reads and writes the particle
// only through them, so the same source runs on CPU, OpenCL and CUDA.
//
// Conventions (manual, "Particles class"): delta = (P m0/m - P0)/P0,
// ptau = (E m0/m - E0)/(P0 c), pzeta = ptau/beta0, rpp = 1/(1+delta),
// rvv = beta/beta0; energies in eV. The arithmetic order of the updates is
// the one that reproduces the reference data of the established
// implementation to the last bit (tests/particles/test_local_particle.py).
//
// Kernels never move particles: a lost particle only gets state <= 0 here;
// compaction is done by Particles.reorganize() on the Python side.

#ifndef XPART_LOCAL_PARTICLE_HELPERS_H
#define XPART_LOCAL_PARTICLE_HELPERS_H

/*gpufun*/ double LocalParticle_get_ptau(LocalParticle* part){
    return LocalParticle_get_pzeta(part) * LocalParticle_get_beta0(part);
}

/*gpufun*/ double LocalParticle_get_energy0(LocalParticle* part){
    double const p0c = LocalParticle_get_p0c(part);
    double const mass0 = LocalParticle_get_mass0(part);
    return sqrt(p0c * p0c + mass0 * mass0);
}

/*gpufun*/ double LocalParticle_get_mass_ratio(LocalParticle* part){
    return LocalParticle_get_charge_ratio(part) / LocalParticle_get_chi(part);
}

/*gpufun*/ double LocalParticle_get_tau(LocalParticle* part){
    return LocalParticle_get_zeta(part) / LocalParticle_get_beta0(part);
}

// Set delta; pzeta (hence ptau), rpp and rvv follow.
/*gpufun*/ void LocalParticle_update_delta(LocalParticle* part, double new_delta_value){
    double const beta0 = LocalParticle_get_beta0(part);
    double const delta_beta0 = new_delta_value * beta0;
    double const ptau_beta0 = sqrt(delta_beta0 * delta_beta0 + 2. * delta_beta0 * beta0 + 1.) - 1.;
    LocalParticle_set_delta(part, new_delta_value);
    LocalParticle_set_pzeta(part, ptau_beta0 / (beta0 * beta0));
    LocalParticle_set_rvv(part, (1. + new_delta_value) / (1. + ptau_beta0));
    LocalParticle_set_rpp(part, 1. / (1. + new_delta_value));
}

// Common part of update_ptau and update_pzeta: delta, rpp and rvv from ptau.
/*gpufun*/ void _LocalParticle_set_delta_from_ptau(LocalParticle* part, double ptau){
    double const beta0 = LocalParticle_get_beta0(part);
    double const delta = sqrt(ptau * ptau + 2. * ptau / beta0 + 1.) - 1.;
    LocalParticle_set_delta(part, delta);
    LocalParticle_set_rvv(part, (1. + delta) / (1. + ptau * beta0));
    LocalParticle_set_rpp(part, 1. / (1. + delta));
}

// Set ptau (stored as pzeta = ptau/beta0); delta, rpp and rvv follow.
/*gpufun*/ void LocalParticle_update_ptau(LocalParticle* part, double new_ptau_value){
    LocalParticle_set_pzeta(part, new_ptau_value / LocalParticle_get_beta0(part));
    _LocalParticle_set_delta_from_ptau(part, new_ptau_value);
}

// Set pzeta; delta, rpp and rvv follow.
/*gpufun*/ void LocalParticle_update_pzeta(LocalParticle* part, double new_pzeta_value){
    LocalParticle_set_pzeta(part, new_pzeta_value);
    _LocalParticle_set_delta_from_ptau(part, new_pzeta_value * LocalParticle_get_beta0(part));
}

// Change the reference momentum [eV] keeping the physical momentum of the
// particle: gamma0, beta0 follow; delta, px, py are re-expressed in the new
// reference; zeta is scaled by beta0_new / beta0_old (tau kept).
/*gpufun*/ void LocalParticle_update_p0c(LocalParticle* part, double new_p0c_value){
    double const mass0 = LocalParticle_get_mass0(part);
    double const old_p0c = LocalParticle_get_p0c(part);
    double const old_beta0 = LocalParticle_get_beta0(part);
    double const ppc = old_p0c * LocalParticle_get_delta(part) + old_p0c;
    double const new_energy0 = sqrt(new_p0c_value * new_p0c_value + mass0 * mass0);
    double const new_beta0 = new_p0c_value / new_energy0;
    LocalParticle_set_p0c(part, new_p0c_value);
    LocalParticle_set_gamma0(part, new_energy0 / mass0);
    LocalParticle_set_beta0(part, new_beta0);
    LocalParticle_update_delta(part, (ppc - new_p0c_value) / new_p0c_value);
    LocalParticle_scale_px(part, old_p0c / new_p0c_value);
    LocalParticle_scale_py(part, old_p0c / new_p0c_value);
    LocalParticle_scale_zeta(part, new_beta0 / old_beta0);
}

// Add delta_energy [eV] to the total energy of the particle. Unless pz_only,
// px and py are scaled so that the direction of motion is kept.
/*gpufun*/ void LocalParticle_add_to_energy(LocalParticle* part, double delta_energy, int pz_only){
    double const old_rpp = LocalParticle_get_rpp(part);
    double const ptau = LocalParticle_get_ptau(part);
    double const scaled = delta_energy / (LocalParticle_get_p0c(part) * LocalParticle_get_mass_ratio(part));
    LocalParticle_update_ptau(part, ptau + scaled);
    if (!pz_only){
        double const factor = old_rpp / LocalParticle_get_rpp(part);
        LocalParticle_scale_px(part, factor);
        LocalParticle_scale_py(part, factor);
    }
}

// Mark the particle lost with kill_state (<= 0). Its coordinates are kept.
/*gpufun*/ void LocalParticle_kill_particle(LocalParticle* part, int64_t kill_state){
    LocalParticle_set_state(part, kill_state);
}

/*gpufun*/ int LocalParticle_is_active(LocalParticle* part){
    return LocalParticle_get_state(part) > 0;
}

// Uniform random number in [0, 1) from the particle's own generator state:
// combined Tausworthe generator LFSR113, P. L'Ecuyer, Math. Comp. 68 (1999)
// 261-269 (state words must exceed 1, 7, 15, 127).
/*gpufun*/ double LocalParticle_generate_random_double(LocalParticle* part){
    uint32_t z1 = LocalParticle_get__rng_s1(part);
    uint32_t z2 = LocalParticle_get__rng_s2(part);
    uint32_t z3 = LocalParticle_get__rng_s3(part);
    uint32_t z4 = LocalParticle_get__rng_s4(part);
    uint32_t b;
    b = ((z1 << 6) ^ z1) >> 13;  z1 = ((z1 & 4294967294U) << 18) ^ b;
    b = ((z2 << 2) ^ z2) >> 27;  z2 = ((z2 & 4294967288U) << 2) ^ b;
    b = ((z3 << 13) ^ z3) >> 21; z3 = ((z3 & 4294967280U) << 7) ^ b;
    b = ((z4 << 3) ^ z4) >> 12;  z4 = ((z4 & 4294967168U) << 13) ^ b;
    LocalParticle_set__rng_s1(part, z1);
    LocalParticle_set__rng_s2(part, z2);
    LocalParticle_set__rng_s3(part, z3);
    LocalParticle_set__rng_s4(part, z4);
    return (double)(z1 ^ z2 ^ z3 ^ z4) * 2.3283064365386963e-10;
}

#endif  // XPART_LOCAL_PARTICLE_HELPERS_H
