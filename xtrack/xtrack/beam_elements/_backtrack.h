// Backtracking: the optional second function of an element's C contract,
//   GPUFUN void <Cls>_backtrack_local_particle(<Cls>Data el, LocalParticle* part0);
// defined by the classes with has_backtrack = True: the inverse of the map of
// <Cls>_track_local_particle, to round-off (the line kernel calls it with
// XS_FLAG_BACKTRACK, walking the line backwards). The inverses used:
// - drifts and exact maps: the same flow over -L (drift, polar drift, exact
//   bend, linear map, exact solenoid are flows of a Hamiltonian);
// - kicks: the opposite kick (they change momenta as functions of positions
//   and delta only, which they leave unchanged);
// - split bodies: the splitting coefficients are palindromes, so the
//   reversed sequence of inverse steps is the same sequence over -L with
//   the opposite integrated strengths;
// - linear edges: the opposite kick; the entry and exit swap places;
// - shift + tilt misalignment: its entry transformation is the inverse of
//   its exit one, so they keep their places.
// A configuration without an exact inverse here (full fringe-field edges,
// exact misalignment patches, radiation, mat-kick-mat-exact) marks the
// particle lost with state XTRACK_NOT_BACKTRACKABLE (-32, as the
// established tracker does).
#ifndef XTRACK__BACKTRACK_H
#define XTRACK__BACKTRACK_H

#include "xtrack/headers/track.h"

#ifndef XTRACK_NOT_BACKTRACKABLE
#define XTRACK_NOT_BACKTRACKABLE -32
#endif

GPUFUN void backtrack_refuse(LocalParticle* part){
    LocalParticle_set_state(part, XTRACK_NOT_BACKTRACKABLE);
}

#endif  // XTRACK__BACKTRACK_H
