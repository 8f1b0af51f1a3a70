// SimpleThinBend: thin dipole kick knl[0] with the curvature terms of hxl
// (expanded curved frame, _magnet_kick.h curvature model 1);
// SimpleThinQuadrupole: thin normal quadrupole kick knl[1].
#ifndef XTRACK_SIMPLE_THIN_H
#define XTRACK_SIMPLE_THIN_H

#include "xtrack/headers/track.h"
#include "_magnet_kick.h"


GPUFUN void SimpleThinBend_track_local_particle(SimpleThinBendData el, LocalParticle* part0){
    double kn[1], ks[1];
    kn[0] = SimpleThinBendData_get_knl(el, 0);
    ks[0] = 0.;
    double const hxl = SimpleThinBendData_get_hxl(el);
    double const length = SimpleThinBendData_get_length(el);
    START_PER_PARTICLE_BLOCK(part0, part);
        magnet_kick(part, kn, ks, 0, 1., hxl, length, 1);
    END_PER_PARTICLE_BLOCK;
}

#endif  // XTRACK_SIMPLE_THIN_H
