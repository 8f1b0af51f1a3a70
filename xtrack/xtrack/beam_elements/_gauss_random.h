// Standard normal random numbers from the particle's own uniform generator
// (LocalParticle_generate_random_double, xpart), by the Box-Muller transform
// (G. E. P. Box, M. E. Muller, Ann. Math. Statist. 29 (1958) 610):
//   g = sqrt(-2 ln(1 - u1)) cos(2 pi u2),  u1, u2 uniform in [0, 1).
// Functions:
//   double GaussRandom_standard_normal(LocalParticle* part);
#ifndef XTRACK__GAUSS_RANDOM_H
#define XTRACK__GAUSS_RANDOM_H

#include "xtrack/headers/track.h"

GPUFUN double GaussRandom_standard_normal(LocalParticle* part){
    double const u1 = LocalParticle_generate_random_double(part);
    double const u2 = LocalParticle_generate_random_double(part);
    return sqrt(-2. * log(1. - u1)) * cos(2. * PI * u2);
}

#endif  // XTRACK__GAUSS_RANDOM_H
