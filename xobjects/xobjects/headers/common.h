// Portable kernel annotations as macros, for sources included as
// #include "xobjects/headers/common.h". The context defines which target
// is compiled: XO_CONTEXT_CPU (with XO_CONTEXT_CPU_SERIAL or
// XO_CONTEXT_CPU_OPENMP), XO_CONTEXT_CL or XO_CONTEXT_CUDA.
#ifndef XOBJECTS_HEADERS_COMMON_H
#define XOBJECTS_HEADERS_COMMON_H

#if defined(XO_CONTEXT_CPU)
    #include <stdint.h>
    #include <stddef.h>
    #include <math.h>
    #if defined(__unix__) || defined(__APPLE__)
        #include <unistd.h>
    #endif
    #define GPUKERN
    #define GPUFUN static inline
    #define GPUGLMEM
    #define GPUSHAREDMEM
    #define RESTRICT restrict
    #if defined(XO_CONTEXT_CPU_OPENMP)
        #define VECTORIZE_OVER(INDEX, COUNT) \
            _Pragma("omp parallel for") \
            for (int64_t INDEX = 0; INDEX < (COUNT); INDEX++) {
    #else
        #define VECTORIZE_OVER(INDEX, COUNT) \
            for (int64_t INDEX = 0; INDEX < (COUNT); INDEX++) {
    #endif
    #define END_VECTORIZE }
#elif defined(XO_CONTEXT_CL)
    #define GPUKERN __kernel
    #define GPUFUN
    #define GPUGLMEM __global
    #define GPUSHAREDMEM __local
    #define RESTRICT
    #define VECTORIZE_OVER(INDEX, COUNT) \
        int64_t INDEX = get_global_id(0); if (INDEX < (COUNT)) {
    #define END_VECTORIZE }
#elif defined(XO_CONTEXT_CUDA)
    #define GPUKERN __global__
    #define GPUFUN __device__
    #define GPUGLMEM
    #define GPUSHAREDMEM __shared__
    #define RESTRICT __restrict__
    #define VECTORIZE_OVER(INDEX, COUNT) \
        int64_t INDEX = blockDim.x * blockIdx.x + threadIdx.x; if (INDEX < (COUNT)) {
    #define END_VECTORIZE }
#else
    #error "xobjects/headers/common.h: no XO_CONTEXT_* defined (compile through a context)"
#endif

#endif // XOBJECTS_HEADERS_COMMON_H
