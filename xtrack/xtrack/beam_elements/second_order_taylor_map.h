// SecondOrderTaylorMap: z_out[i] = k[i] + R[i,j] z[j] + T[i,j,l] z[j] z[l]
// in z = (x, px, y, py, zeta, pzeta); pzeta is set consistently.
#ifndef XTRACK_SECOND_ORDER_TAYLOR_MAP_H
#define XTRACK_SECOND_ORDER_TAYLOR_MAP_H

#include "xtrack/headers/track.h"

GPUFUN void SecondOrderTaylorMap_track_local_particle(SecondOrderTaylorMapData el,
                                                      LocalParticle* part0){
    double const length = SecondOrderTaylorMapData_get_length(el);
    START_PER_PARTICLE_BLOCK(part0, part);
        double z[6], out[6];
        z[0] = LocalParticle_get_x(part);
        z[1] = LocalParticle_get_px(part);
        z[2] = LocalParticle_get_y(part);
        z[3] = LocalParticle_get_py(part);
        z[4] = LocalParticle_get_zeta(part);
        z[5] = LocalParticle_get_pzeta(part);
        for (int i = 0; i < 6; i++){
            double acc = SecondOrderTaylorMapData_get_k(el, i);
            for (int j = 0; j < 6; j++){
                acc += SecondOrderTaylorMapData_get_R(el, i, j) * z[j];
                for (int l = 0; l < 6; l++){
                    acc += SecondOrderTaylorMapData_get_T(el, i, j, l) * z[j] * z[l];
                }
            }
            out[i] = acc;
        }
        LocalParticle_set_x(part, out[0]);
        LocalParticle_set_px(part, out[1]);
        LocalParticle_set_y(part, out[2]);
        LocalParticle_set_py(part, out[3]);
        LocalParticle_set_zeta(part, out[4]);
        LocalParticle_update_pzeta(part, out[5]);
        LocalParticle_add_to_s(part, length);
    END_PER_PARTICLE_BLOCK;
}

#endif  // XTRACK_SECOND_ORDER_TAYLOR_MAP_H
