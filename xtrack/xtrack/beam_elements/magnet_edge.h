// MagnetEdge: edge of a magnet with dipole and multipole components
// (edge_magnet in _edges.h). Fringe strengths: kn + knl / length; the wedges
// use kn[0], kn[1] only (as the established implementation does).
#ifndef XTRACK_MAGNET_EDGE_H
#define XTRACK_MAGNET_EDGE_H

#include "xtrack/headers/track.h"
#include "_edges.h"

GPUFUN void MagnetEdge_track_local_particle(MagnetEdgeData el, LocalParticle* part0){
    int64_t const k_order = MagnetEdgeData_len_kn(el) - 1;
    int64_t const kl_order = MagnetEdgeData_len_knl(el) - 1;
    double const length = MagnetEdgeData_get_length(el);
    int64_t order = k_order > kl_order ? k_order : kl_order;
    if (order > EDGE_MAX_ORDER) order = EDGE_MAX_ORDER;
    double kn[EDGE_MAX_ORDER + 1], ks[EDGE_MAX_ORDER + 1];
    for (int64_t ii = 0; ii <= EDGE_MAX_ORDER; ii++){ kn[ii] = 0.; ks[ii] = 0.; }
    for (int64_t ii = 0; ii <= k_order && ii <= order; ii++){
        kn[ii] += MagnetEdgeData_get_kn(el, ii);
        ks[ii] += MagnetEdgeData_get_ks(el, ii);
    }
    if (length != 0.){
        for (int64_t ii = 0; ii <= kl_order && ii <= order; ii++){
            kn[ii] += MagnetEdgeData_get_knl(el, ii) / length;
            ks[ii] += MagnetEdgeData_get_ksl(el, ii) / length;
        }
    }
    double const k0_wedge = k_order >= 0 ? MagnetEdgeData_get_kn(el, 0) : 0.;
    double const k1_wedge = k_order >= 1 ? MagnetEdgeData_get_kn(el, 1) : 0.;
    int64_t const model = MagnetEdgeData_get__model(el);
    int64_t const is_exit = MagnetEdgeData_get_is_exit(el);
    double const face_angle = MagnetEdgeData_get_face_angle(el);
    double const face_angle_fd = MagnetEdgeData_get_face_angle_feed_down(el);
    double const fint = MagnetEdgeData_get_fringe_integral(el);
    double const hgap = MagnetEdgeData_get_half_gap(el);
    if (order < 0) { order = 0; }  // no strengths: zero dipole
    START_PER_PARTICLE_BLOCK(part0, part);
        edge_magnet(part, model, is_exit, kn, ks, order, k0_wedge, k1_wedge,
                    face_angle, face_angle_fd, fint, hgap);
    END_PER_PARTICLE_BLOCK;
}

#endif  // XTRACK_MAGNET_EDGE_H
