// FirstOrderTaylorMap: z_out = m0 + m1 z in z = (x, px, y, py, tau, ptau),
// tau = zeta/beta0; ptau is set consistently (delta, rvv, rpp follow).
#ifndef XTRACK_FIRST_ORDER_TAYLOR_MAP_H
#define XTRACK_FIRST_ORDER_TAYLOR_MAP_H

#include "xtrack/headers/track.h"

GPUFUN void FirstOrderTaylorMap_track_local_particle(FirstOrderTaylorMapData el,
                                                     LocalParticle* part0){
    double const length = FirstOrderTaylorMapData_get_length(el);
    START_PER_PARTICLE_BLOCK(part0, part);
        double const beta0 = LocalParticle_get_beta0(part);
        double z[6], out[6];
        z[0] = LocalParticle_get_x(part);
        z[1] = LocalParticle_get_px(part);
        z[2] = LocalParticle_get_y(part);
        z[3] = LocalParticle_get_py(part);
        z[4] = LocalParticle_get_zeta(part) / beta0;
        z[5] = LocalParticle_get_pzeta(part) * beta0;
        for (int i = 0; i < 6; i++){
            double acc = FirstOrderTaylorMapData_get_m0(el, i);
            for (int j = 0; j < 6; j++) acc += FirstOrderTaylorMapData_get_m1(el, i, j) * z[j];
            out[i] = acc;
        }
        LocalParticle_set_x(part, out[0]);
        LocalParticle_set_px(part, out[1]);
        LocalParticle_set_y(part, out[2]);
        LocalParticle_set_py(part, out[3]);
        LocalParticle_set_zeta(part, out[4] * beta0);
        LocalParticle_update_ptau(part, out[5]);
        LocalParticle_add_to_s(part, length);
    END_PER_PARTICLE_BLOCK;
}

#endif  // XTRACK_FIRST_ORDER_TAYLOR_MAP_H
