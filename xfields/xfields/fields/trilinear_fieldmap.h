// TriLinearInterpolatedFieldMap: charge density, potential and potential
// gradient on a uniform 3D grid of nodes x_min + i dx (i < nx), ... stored
// as flat arrays with x fastest: index = ix + nx (iy + ny iz) (Fortran order,
// so that each z slice is one contiguous 2D block for the 2.5D solver).
// Deposition is cloud-in-cell (the trilinear weights of the 8 nodes of the
// cell holding the particle; R. W. Hockney and J. W. Eastwood, Computer
// Simulation Using Particles, 1988, sec. 5-3); interpolation uses the same
// weights, so that the self-force of a particle vanishes (momentum
// conservation, ibid. sec. 5-2-2). Points outside the grid deposit nothing
// and read zero.
#ifndef XFIELDS_TRILINEAR_FIELDMAP_H
#define XFIELDS_TRILINEAR_FIELDMAP_H

#include "xobjects/headers/common.h"

#if defined(XO_CONTEXT_CL)
    // OpenCL C has no atomic add of doubles: compare-and-swap on the bits.
    #pragma OPENCL EXTENSION cl_khr_int64_base_atomics : enable
    void XF_atomic_add_f64(GPUGLMEM double* addr, double value){
        union { ulong u; double d; } seen, want;
        do {
            seen.d = *addr;
            want.d = seen.d + value;
        } while (atom_cmpxchg((volatile GPUGLMEM ulong*)addr, seen.u, want.u) != seen.u);
    }
#else
    #include "xobjects/headers/atomicadd.h"
    #define XF_atomic_add_f64(addr, value) atomicAdd_f64((addr), (value))
#endif

// Which array of the map a quantity index names (the order of QUANTITIES in
// trilinear_fieldmap.py).
#define XF_TRILINEAR_RHO 0
#define XF_TRILINEAR_PHI 1
#define XF_TRILINEAR_DPHI_DX 2
#define XF_TRILINEAR_DPHI_DY 3
#define XF_TRILINEAR_DPHI_DZ 4

// Cell of the grid holding one point, and the weights of its 8 nodes.
typedef struct {
    int64_t index[8];
    double weight[8];
} XF_TriLinearCell;

// 1 and the cell of (x, y, z) when the point is inside the grid, else 0.
GPUFUN int64_t XF_trilinear_cell(TriLinearInterpolatedFieldMapData fmap, double x, double y,
                                 double z, XF_TriLinearCell* cell){
    int64_t const nx = TriLinearInterpolatedFieldMapData_get_nx(fmap);
    int64_t const ny = TriLinearInterpolatedFieldMapData_get_ny(fmap);
    int64_t const nz = TriLinearInterpolatedFieldMapData_get_nz(fmap);
    double const ux = (x - TriLinearInterpolatedFieldMapData_get_x_min(fmap))
                      / TriLinearInterpolatedFieldMapData_get_dx(fmap);
    double const uy = (y - TriLinearInterpolatedFieldMapData_get_y_min(fmap))
                      / TriLinearInterpolatedFieldMapData_get_dy(fmap);
    double const uz = (z - TriLinearInterpolatedFieldMapData_get_z_min(fmap))
                      / TriLinearInterpolatedFieldMapData_get_dz(fmap);
    // written so that NaN coordinates are outside too
    if (!(ux >= 0. && uy >= 0. && uz >= 0.)) return 0;
    int64_t const ix = (int64_t)floor(ux);
    int64_t const iy = (int64_t)floor(uy);
    int64_t const iz = (int64_t)floor(uz);
    if (ix >= nx - 1 || iy >= ny - 1 || iz >= nz - 1) return 0;
    double const fx = ux - ix, fy = uy - iy, fz = uz - iz;
    int64_t const base = ix + nx * (iy + ny * iz);
    int64_t const sx = 1, sy = nx, sz = nx * ny;
    for (int64_t corner = 0; corner < 8; corner++){
        int64_t const cx = corner & 1, cy = (corner >> 1) & 1, cz = (corner >> 2) & 1;
        cell->index[corner] = base + cx * sx + cy * sy + cz * sz;
        cell->weight[corner] = (cx ? fx : 1. - fx) * (cy ? fy : 1. - fy) * (cz ? fz : 1. - fz);
    }
    return 1;
}

GPUFUN GPUGLMEM double* XF_trilinear_array(TriLinearInterpolatedFieldMapData fmap, int64_t quantity){
    switch (quantity){
        case XF_TRILINEAR_RHO: return TriLinearInterpolatedFieldMapData_getp1_rho(fmap, 0);
        case XF_TRILINEAR_PHI: return TriLinearInterpolatedFieldMapData_getp1_phi(fmap, 0);
        case XF_TRILINEAR_DPHI_DX: return TriLinearInterpolatedFieldMapData_getp1_dphi_dx(fmap, 0);
        case XF_TRILINEAR_DPHI_DY: return TriLinearInterpolatedFieldMapData_getp1_dphi_dy(fmap, 0);
        default: return TriLinearInterpolatedFieldMapData_getp1_dphi_dz(fmap, 0);
    }
}

GPUFUN double XF_trilinear_value(GPUGLMEM const double* map, XF_TriLinearCell const* cell){
    double value = 0.;
    for (int64_t corner = 0; corner < 8; corner++){
        value += cell->weight[corner] * map[cell->index[corner]];
    }
    return value;
}

// The potential gradient at (x, y, z); zero outside the grid.
GPUFUN void TriLinearInterpolatedFieldMap_get_dphi(TriLinearInterpolatedFieldMapData fmap,
        double x, double y, double z, double* dphi_dx, double* dphi_dy, double* dphi_dz){
    XF_TriLinearCell cell;
    if (!XF_trilinear_cell(fmap, x, y, z, &cell)){
        *dphi_dx = 0.; *dphi_dy = 0.; *dphi_dz = 0.;
        return;
    }
    *dphi_dx = XF_trilinear_value(TriLinearInterpolatedFieldMapData_getp1_dphi_dx(fmap, 0), &cell);
    *dphi_dy = XF_trilinear_value(TriLinearInterpolatedFieldMapData_getp1_dphi_dy(fmap, 0), &cell);
    *dphi_dz = XF_trilinear_value(TriLinearInterpolatedFieldMapData_getp1_dphi_dz(fmap, 0), &cell);
}

// rho += charge_per_weight weight / (dx dy dz) of every point with state > 0.
/*gpukern*/ void TriLinearInterpolatedFieldMap_deposit(TriLinearInterpolatedFieldMapData fmap,
        int64_t num_points, /*gpuglmem*/ const double* x, /*gpuglmem*/ const double* y,
        /*gpuglmem*/ const double* z, /*gpuglmem*/ const double* weight,
        /*gpuglmem*/ const int64_t* state, double charge_per_weight){
    double const inv_volume = 1. / (TriLinearInterpolatedFieldMapData_get_dx(fmap)
        * TriLinearInterpolatedFieldMapData_get_dy(fmap) * TriLinearInterpolatedFieldMapData_get_dz(fmap));
    GPUGLMEM double* rho = TriLinearInterpolatedFieldMapData_getp1_rho(fmap, 0);
    for (int64_t ii = 0; ii < num_points; ii++){ //vectorize_over ii num_points
        XF_TriLinearCell cell;
        if (state[ii] > 0 && XF_trilinear_cell(fmap, x[ii], y[ii], z[ii], &cell)){
            double const q = charge_per_weight * weight[ii] * inv_volume;
            for (int64_t corner = 0; corner < 8; corner++){
                XF_atomic_add_f64(rho + cell.index[corner], q * cell.weight[corner]);
            }
        }
    }//end_vectorize
}

// out[ii * num_quantities + jj] = quantity jj (XF_TRILINEAR_*) at point ii.
/*gpukern*/ void TriLinearInterpolatedFieldMap_interpolate(TriLinearInterpolatedFieldMapData fmap,
        int64_t num_points, /*gpuglmem*/ const double* x, /*gpuglmem*/ const double* y,
        /*gpuglmem*/ const double* z, int64_t num_quantities,
        /*gpuglmem*/ const int64_t* quantities, /*gpuglmem*/ double* out){
    for (int64_t ii = 0; ii < num_points; ii++){ //vectorize_over ii num_points
        XF_TriLinearCell cell;
        int64_t const inside = XF_trilinear_cell(fmap, x[ii], y[ii], z[ii], &cell);
        for (int64_t jj = 0; jj < num_quantities; jj++){
            out[ii * num_quantities + jj] = inside
                ? XF_trilinear_value(XF_trilinear_array(fmap, quantities[jj]), &cell) : 0.;
        }
    }//end_vectorize
}

// dphi_dx, dphi_dy, dphi_dz from phi: centred differences inside, one-sided
// (first order) on the faces, as numpy.gradient.
/*gpukern*/ void TriLinearInterpolatedFieldMap_gradient(TriLinearInterpolatedFieldMapData fmap,
        int64_t num_nodes){
    int64_t const nx = TriLinearInterpolatedFieldMapData_get_nx(fmap);
    int64_t const ny = TriLinearInterpolatedFieldMapData_get_ny(fmap);
    int64_t const nz = TriLinearInterpolatedFieldMapData_get_nz(fmap);
    double const dx = TriLinearInterpolatedFieldMapData_get_dx(fmap);
    double const dy = TriLinearInterpolatedFieldMapData_get_dy(fmap);
    double const dz = TriLinearInterpolatedFieldMapData_get_dz(fmap);
    GPUGLMEM const double* phi = TriLinearInterpolatedFieldMapData_getp1_phi(fmap, 0);
    for (int64_t ii = 0; ii < num_nodes; ii++){ //vectorize_over ii num_nodes
        int64_t const ix = ii % nx, iy = (ii / nx) % ny, iz = ii / (nx * ny);
        int64_t const lo_x = ix > 0 ? ii - 1 : ii, hi_x = ix < nx - 1 ? ii + 1 : ii;
        int64_t const lo_y = iy > 0 ? ii - nx : ii, hi_y = iy < ny - 1 ? ii + nx : ii;
        int64_t const lo_z = iz > 0 ? ii - nx * ny : ii, hi_z = iz < nz - 1 ? ii + nx * ny : ii;
        TriLinearInterpolatedFieldMapData_set_dphi_dx(fmap, ii,
            (phi[hi_x] - phi[lo_x]) / (dx * (double)((hi_x - lo_x))));
        TriLinearInterpolatedFieldMapData_set_dphi_dy(fmap, ii,
            (phi[hi_y] - phi[lo_y]) / (dy * (double)((hi_y - lo_y) / nx)));
        TriLinearInterpolatedFieldMapData_set_dphi_dz(fmap, ii,
            (phi[hi_z] - phi[lo_z]) / (dz * (double)((hi_z - lo_z) / (nx * ny))));
    }//end_vectorize
}

#endif  // XFIELDS_TRILINEAR_FIELDMAP_H
