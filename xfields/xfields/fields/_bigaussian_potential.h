// Potential phi(x, y) [V per C/m] of BiGaussianFieldMap's distribution, zero at its
// centre (mean_x, mean_y): minus the line integral of the Bassetti-Erskine field along
// the straight path from the centre, by Simpson's rule with `num_integ_per_sigma`
// steps per r.m.s. size (normalised distance sqrt((dx/sigma_x)^2 + (dy/sigma_y)^2)),
// an even number, at least 2. The field is smooth on the scale of sigma, so the
// error falls as h^4: ~2e-6 of phi with 10 steps per sigma, ~1e-8 with 40.
// The constant of phi is a choice (the potential of a line charge diverges at
// infinity; the beam pipe would fix it): zero at the centre means that a particle
// at the centre of the bunch gets no longitudinal kick.
#ifndef XFIELDS_BIGAUSSIAN_POTENTIAL_H
#define XFIELDS_BIGAUSSIAN_POTENTIAL_H

#include "xfields/fields/bigaussian_fieldmap.h"

GPUFUN double BiGaussianFieldMap_get_phi(BiGaussianFieldMapData fmap, double x, double y,
        int64_t num_integ_per_sigma){
    double const sigma_x = BiGaussianFieldMapData_get_sigma_x(fmap);
    double const sigma_y = BiGaussianFieldMapData_get_sigma_y(fmap);
    double const x0 = BiGaussianFieldMapData_get_mean_x(fmap);
    double const y0 = BiGaussianFieldMapData_get_mean_y(fmap);
    double const dx = x - x0, dy = y - y0;
    double const r_norm = sqrt(dx * dx / (sigma_x * sigma_x) + dy * dy / (sigma_y * sigma_y));
    if (r_norm == 0.) return 0.;
    int64_t num_steps = (int64_t)ceil(0.5 * r_norm * (double)num_integ_per_sigma) * 2;
    if (num_steps < 2) num_steps = 2;
    double sum = 0.;
    for (int64_t k = 0; k <= num_steps; k++){
        double const t = (double)k / (double)num_steps;
        double const weight = (k == 0 || k == num_steps) ? 1. : ((k % 2) ? 4. : 2.);
        double dphi_dx, dphi_dy;
        BiGaussianFieldMap_get_dphi_dx_dphi_dy(fmap, x0 + t * dx, y0 + t * dy, &dphi_dx, &dphi_dy);
        sum += weight * (dphi_dx * dx + dphi_dy * dy);
    }
    return sum / (3. * (double)num_steps);
}

#endif  // XFIELDS_BIGAUSSIAN_POTENTIAL_H
