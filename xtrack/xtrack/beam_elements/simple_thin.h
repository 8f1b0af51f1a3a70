// SimpleThinBend: thin dipole kick knl[0] with the curvature terms of hxl
// (expanded curved frame, _magnet_kick.h curvature model 1);
// SimpleThinQuadrupole: thin normal quadrupole kick knl[1].
#ifndef XTRACK_SIMPLE_THIN_H
#define XTRACK_SIMPLE_THIN_H

#include "xtrack/headers/track.h"
#include "_magnet_kick.h"


// sign -1: the inverse (_backtrack.h), the kick with -1, -hxl, -length.
GPUFUN void SimpleThinBend_track_sign(SimpleThinBendData el, LocalParticle* part0, double sign){
    double kn[1], ks[1];
    kn[0] = SimpleThinBendData_get_knl(el, 0);
    ks[0] = 0.;
    double const hxl = SimpleThinBendData_get_hxl(el);
    double const length = SimpleThinBendData_get_length(el);
    START_PER_PARTICLE_BLOCK(part0, part);
        magnet_kick(part, kn, ks, 0, sign, sign * hxl, sign * length, 1);
    END_PER_PARTICLE_BLOCK;
}

GPUFUN void SimpleThinBend_track_local_particle(SimpleThinBendData el, LocalParticle* part0){
    SimpleThinBend_track_sign(el, part0, 1.);
}

GPUFUN void SimpleThinBend_backtrack_local_particle(SimpleThinBendData el, LocalParticle* part0){
    SimpleThinBend_track_sign(el, part0, -1.);
}

#endif  // XTRACK_SIMPLE_THIN_H
