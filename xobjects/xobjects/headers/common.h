// Portable qualifiers for kernel sources written as C macros.
//
// Sources may use GPUKERN / GPUFUN / GPUGLMEM / GPUSHAREDMEM instead of the
// comment annotations /*gpukern*/ ...; the specialiser rewrites the
// annotations inside these definitions for the target context, so the
// macros expand to the right qualifiers on CPU, OpenCL and CUDA.
#ifndef XOBJECTS_HEADERS_COMMON_H
#define XOBJECTS_HEADERS_COMMON_H

#define GPUKERN /*gpukern*/
#define GPUFUN /*gpufun*/
#define GPUGLMEM /*gpuglmem*/
#define GPUSHAREDMEM /*gpusharedmem*/

#endif  // XOBJECTS_HEADERS_COMMON_H
