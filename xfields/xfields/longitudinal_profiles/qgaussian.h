// Line density of a q-Gaussian bunch (Tsallis): for |q - 1| >= q_tol
//   lambda(z) = N sqrt(beta) / C_q * [1 + (q - 1) beta (z - z0)^2]^(1 / (1 - q)),
// the Gaussian N sqrt(beta) / C_q exp(-beta (z - z0)^2) otherwise, and 0 outside
// [support_min, support_max] (finite only for q < 1). beta = 1 / (sigma_z^2 (5 - 3 q))
// gives the r.m.s. length sigma_z (q < 5/3).
// S. Umarov, C. Tsallis, S. Steinberg, Milan J. Math. 76 (2008) 307.
#ifndef XFIELDS_QGAUSSIAN_PROFILE_H
#define XFIELDS_QGAUSSIAN_PROFILE_H

#include "xobjects/headers/common.h"

// lambda(z) [1/m], and d lambda / dz [1/m^2] in *derivative.
GPUFUN double LongitudinalProfileQGaussian_line_density_and_derivative(
        LongitudinalProfileQGaussianData prof, double z, double* derivative){
    if (z < LongitudinalProfileQGaussianData_get__support_min(prof)
            || z > LongitudinalProfileQGaussianData_get__support_max(prof)){
        *derivative = 0.;
        return 0.;
    }
    double const q = LongitudinalProfileQGaussianData_get__q_param(prof);
    double const beta = LongitudinalProfileQGaussianData_get__beta_param(prof);
    double const u = z - LongitudinalProfileQGaussianData_get__z0(prof);
    double const amplitude = LongitudinalProfileQGaussianData_get_number_of_particles(prof)
        * LongitudinalProfileQGaussianData_get__sqrt_beta_param(prof)
        / LongitudinalProfileQGaussianData_get__cq_param(prof);
    double lambda, dlambda;
    if (fabs(q - 1.) < LongitudinalProfileQGaussianData_get__q_tol(prof)){
        lambda = amplitude * exp(-beta * u * u);
        dlambda = -2. * beta * u * lambda;
    } else {
        double const base = 1. + (q - 1.) * beta * u * u;
        lambda = amplitude * pow(base, 1. / (1. - q));
        dlambda = -2. * beta * u * amplitude * pow(base, q / (1. - q));
    }
    *derivative = dlambda;
    return lambda;
}

GPUFUN double LongitudinalProfileQGaussian_line_density_scalar(
        LongitudinalProfileQGaussianData prof, double z){
    double derivative;
    return LongitudinalProfileQGaussian_line_density_and_derivative(prof, z, &derivative);
}

GPUFUN double LongitudinalProfileQGaussian_line_derivative_scalar(
        LongitudinalProfileQGaussianData prof, double z){
    double derivative;
    LongitudinalProfileQGaussian_line_density_and_derivative(prof, z, &derivative);
    return derivative;
}

GPUKERN void line_density_qgauss(LongitudinalProfileQGaussianData prof, int64_t n,
        GPUGLMEM double* z, GPUGLMEM double* res){
    for (int64_t ii = 0; ii < n; ii++){ //vectorize_over ii n
        res[ii] = LongitudinalProfileQGaussian_line_density_scalar(prof, z[ii]);
    }//end_vectorize
}

GPUKERN void line_derivative_qgauss(LongitudinalProfileQGaussianData prof, int64_t n,
        GPUGLMEM double* z, GPUGLMEM double* res){
    for (int64_t ii = 0; ii < n; ii++){ //vectorize_over ii n
        res[ii] = LongitudinalProfileQGaussian_line_derivative_scalar(prof, z[ii]);
    }//end_vectorize
}

#endif  // XFIELDS_QGAUSSIAN_PROFILE_H
