// Marker: identity map.
#ifndef XTRACK_MARKER_H
#define XTRACK_MARKER_H

#include "xtrack/headers/track.h"

GPUFUN void Marker_track_local_particle(MarkerData el, LocalParticle* part0){
    (void)el;
    (void)part0;
}

GPUFUN void Marker_backtrack_local_particle(MarkerData el, LocalParticle* part0){
    (void)el;
    (void)part0;
}

#endif  // XTRACK_MARKER_H
