// SimpleThinQuadrupole: thin normal quadrupole kick knl[1] [1/m]
// (px -= chi knl[1] x, py += chi knl[1] y; knl[0] is ignored).
#ifndef XTRACK_SIMPLE_THIN_QUADRUPOLE_H
#define XTRACK_SIMPLE_THIN_QUADRUPOLE_H

#include "xtrack/headers/track.h"

// sign -1: the inverse (_backtrack.h), the opposite kick.
GPUFUN void SimpleThinQuadrupole_track_sign(SimpleThinQuadrupoleData el, LocalParticle* part0,
                                            double sign){
    double const k1l = sign * SimpleThinQuadrupoleData_get_knl(el, 1);
    START_PER_PARTICLE_BLOCK(part0, part);
        double const chi = LocalParticle_get_chi(part);
        LocalParticle_add_to_px(part, -chi * k1l * LocalParticle_get_x(part));
        LocalParticle_add_to_py(part, chi * k1l * LocalParticle_get_y(part));
    END_PER_PARTICLE_BLOCK;
}

GPUFUN void SimpleThinQuadrupole_track_local_particle(SimpleThinQuadrupoleData el,
                                                      LocalParticle* part0){
    SimpleThinQuadrupole_track_sign(el, part0, 1.);
}

GPUFUN void SimpleThinQuadrupole_backtrack_local_particle(SimpleThinQuadrupoleData el,
                                                          LocalParticle* part0){
    SimpleThinQuadrupole_track_sign(el, part0, -1.);
}

#endif  // XTRACK_SIMPLE_THIN_QUADRUPOLE_H
