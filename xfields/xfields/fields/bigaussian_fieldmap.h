// BiGaussianFieldMap: potential gradient of a 2D Gaussian charge distribution of
// unit line density (1 C/m), r.m.s. sizes sigma_x, sigma_y, centred at
// (mean_x, mean_y); dphi/dx = -E_x of Bassetti-Erskine's field.
#ifndef XFIELDS_BIGAUSSIAN_FIELDMAP_H
#define XFIELDS_BIGAUSSIAN_FIELDMAP_H

#include "xtrack/headers/track.h"
#include "xfields/fields/_bigaussian_field.h"

GPUFUN void BiGaussianFieldMap_get_dphi_dx_dphi_dy(BiGaussianFieldMapData fmap, double x, double y,
        double* dphi_dx, double* dphi_dy){
    double ex, ey, gx, gy;
    XF_bigaussian_field(x - BiGaussianFieldMapData_get_mean_x(fmap),
                        y - BiGaussianFieldMapData_get_mean_y(fmap),
                        BiGaussianFieldMapData_get_sigma_x(fmap),
                        BiGaussianFieldMapData_get_sigma_y(fmap),
                        BiGaussianFieldMapData_get_min_sigma_diff(fmap), &ex, &ey, &gx, &gy);
    *dphi_dx = -ex;
    *dphi_dy = -ey;
}

#endif  // XFIELDS_BIGAUSSIAN_FIELDMAP_H
