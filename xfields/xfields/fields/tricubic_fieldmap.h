// TriCubicInterpolatedFieldMap: a potential on a uniform 3D grid of nodes
// x_min + i dx (i < nx), ... given at every node by 8 numbers (its "Taylor"
// data, in cell units): f, f_x dx, f_y dy, f_z dz, f_xy dx dy, f_xz dx dz,
// f_yz dy dz, f_xyz dx dy dz, stored flat at 8 (ix + nx (iy + ny iz)) + k.
//
// Inside a cell the potential is the tricubic polynomial
// sum_{i,j,k<4} a_ijk tx^i ty^j tz^k (t: coordinates in the cell, in [0, 1])
// that takes these 64 values at the cell's 8 corners: F. Lekien and
// J. Marsden, "Tricubic interpolation in three dimensions", Int. J. Numer.
// Meth. Engng 63 (2005) 455. The 64 conditions determine the polynomial
// uniquely; it is the tensor product of the 1D cubic Hermite bases
//   value at 0: 1 - 3t^2 + 2t^3     value at 1: 3t^2 - 2t^3
//   slope at 0: t - 2t^2 + t^3      slope at 1: -t^2 + t^3
// (each product satisfies the conditions of exactly one datum), so the sum
// below gives the same polynomial as Lekien and Marsden's 64x64 matrix
// without storing it. On a shared face both cells' polynomials are fixed
// by the same node data: the interpolant and its first derivatives are
// continuous (C1), and any tricubic polynomial is reproduced exactly.
#ifndef XFIELDS_TRICUBIC_FIELDMAP_H
#define XFIELDS_TRICUBIC_FIELDMAP_H

#include "xobjects/headers/common.h"

// Basis of one axis at t: b[corner][order] (order 0: value datum, 1: slope
// datum) and its derivative db in t.
GPUFUN void XF_tricubic_hermite(double t, double b[2][2], double db[2][2]){
    double const t2 = t * t, t3 = t2 * t;
    b[0][0] = 1. - 3. * t2 + 2. * t3;   db[0][0] = -6. * t + 6. * t2;
    b[1][0] = 3. * t2 - 2. * t3;        db[1][0] = 6. * t - 6. * t2;
    b[0][1] = t - 2. * t2 + t3;         db[0][1] = 1. - 4. * t + 3. * t2;
    b[1][1] = -t2 + t3;                 db[1][1] = -2. * t + 3. * t2;
}

// Cell index and coordinate in the cell along one axis; 0 outside [first,
// last node] (NaN is outside). The last node belongs to the last cell.
GPUFUN int64_t XF_tricubic_axis(double u, int64_t n, int64_t* i, double* t){
    if (!(u >= 0. && u <= (double)(n - 1))) return 0;
    int64_t ii = (int64_t)floor(u);
    if (ii > n - 2) ii = n - 2;
    *i = ii;
    *t = u - (double)ii;
    return 1;
}

// The potential and its gradient [per m] at (x, y, z); returns 0 (and
// zeros) outside the grid.
GPUFUN int64_t TriCubicInterpolatedFieldMap_eval(TriCubicInterpolatedFieldMapData fmap,
        double x, double y, double z, double* phi, double* dphi_dx, double* dphi_dy,
        double* dphi_dz){
    int64_t const nx = TriCubicInterpolatedFieldMapData_get_nx(fmap);
    int64_t const ny = TriCubicInterpolatedFieldMapData_get_ny(fmap);
    int64_t const nz = TriCubicInterpolatedFieldMapData_get_nz(fmap);
    double const dx = TriCubicInterpolatedFieldMapData_get_dx(fmap);
    double const dy = TriCubicInterpolatedFieldMapData_get_dy(fmap);
    double const dz = TriCubicInterpolatedFieldMapData_get_dz(fmap);
    int64_t ix, iy, iz;
    double tx, ty, tz;
    *phi = 0.; *dphi_dx = 0.; *dphi_dy = 0.; *dphi_dz = 0.;
    if (!(XF_tricubic_axis((x - TriCubicInterpolatedFieldMapData_get_x_min(fmap)) / dx, nx, &ix, &tx)
          && XF_tricubic_axis((y - TriCubicInterpolatedFieldMapData_get_y_min(fmap)) / dy, ny, &iy, &ty)
          && XF_tricubic_axis((z - TriCubicInterpolatedFieldMapData_get_z_min(fmap)) / dz, nz, &iz, &tz))){
        return 0;
    }
    double bx[2][2], dbx[2][2], by[2][2], dby[2][2], bz[2][2], dbz[2][2];
    XF_tricubic_hermite(tx, bx, dbx);
    XF_tricubic_hermite(ty, by, dby);
    XF_tricubic_hermite(tz, bz, dbz);
    GPUGLMEM const double* taylor = TriCubicInterpolatedFieldMapData_getp1_phi_taylor(fmap, 0);
    // which derivative orders (x, y, z) datum k of a node carries
    int64_t const ox[8] = {0, 1, 0, 0, 1, 1, 0, 1};
    int64_t const oy[8] = {0, 0, 1, 0, 1, 0, 1, 1};
    int64_t const oz[8] = {0, 0, 0, 1, 0, 1, 1, 1};
    double f = 0., fx = 0., fy = 0., fz = 0.;
    for (int64_t corner = 0; corner < 8; corner++){
        int64_t const cx = corner & 1, cy = (corner >> 1) & 1, cz = (corner >> 2) & 1;
        GPUGLMEM const double* node = taylor + 8 * ((ix + cx) + nx * ((iy + cy) + ny * (iz + cz)));
        for (int64_t k = 0; k < 8; k++){
            double const vx = bx[cx][ox[k]], vy = by[cy][oy[k]], vz = bz[cz][oz[k]];
            double const datum = node[k];
            f += datum * vx * vy * vz;
            fx += datum * dbx[cx][ox[k]] * vy * vz;
            fy += datum * vx * dby[cy][oy[k]] * vz;
            fz += datum * vx * vy * dbz[cz][oz[k]];
        }
    }
    *phi = f;
    *dphi_dx = fx / dx;
    *dphi_dy = fy / dy;
    *dphi_dz = fz / dz;
    return 1;
}

// out[4 ii + (0, 1, 2, 3)] = phi, dphi_dx, dphi_dy, dphi_dz at point ii;
// inside[ii] = 1 for points in the grid (else 0 and zeros).
/*gpukern*/ void TriCubicInterpolatedFieldMap_interpolate(TriCubicInterpolatedFieldMapData fmap,
        int64_t num_points, /*gpuglmem*/ const double* x, /*gpuglmem*/ const double* y,
        /*gpuglmem*/ const double* z, /*gpuglmem*/ double* out, /*gpuglmem*/ int64_t* inside){
    for (int64_t ii = 0; ii < num_points; ii++){ //vectorize_over ii num_points
        double phi, dphi_dx, dphi_dy, dphi_dz;
        inside[ii] = TriCubicInterpolatedFieldMap_eval(fmap, x[ii], y[ii], z[ii], &phi,
                                                       &dphi_dx, &dphi_dy, &dphi_dz);
        out[4 * ii] = phi;
        out[4 * ii + 1] = dphi_dx;
        out[4 * ii + 2] = dphi_dy;
        out[4 * ii + 3] = dphi_dz;
    }//end_vectorize
}

#endif  // XFIELDS_TRICUBIC_FIELDMAP_H
