// Mean synchrotron radiation energy loss (radiation_flag = 1) of one particle
// over a path with curvature. Filled in by magnets that radiate.
#ifndef XTRACK__RADIATION_MEAN_H
#define XTRACK__RADIATION_MEAN_H

#include "xtrack/headers/track.h"

#endif  // XTRACK__RADIATION_MEAN_H
