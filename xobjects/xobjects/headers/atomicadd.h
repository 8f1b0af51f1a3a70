// atomicAdd(address, value) -> previous value, for every scalar type, plus
// the typed forms atomicAdd_i8 ... atomicAdd_u64, atomicAdd_f32, atomicAdd_f64.
// CPU: OpenMP atomic capture (plain code in serial contexts), overloaded
// through C11 _Generic. CUDA: the native atomicAdd (32/64-bit types).
#ifndef XOBJECTS_HEADERS_ATOMICADD_H
#define XOBJECTS_HEADERS_ATOMICADD_H

#include "xobjects/headers/common.h"

#if defined(XO_CONTEXT_CPU)
    #define XO_ATOMIC_ADD_DEF(SUFFIX, T) \
        static inline T atomicAdd_##SUFFIX(GPUGLMEM T* addr, T value) { \
            T old; \
            _Pragma("omp atomic capture") \
            { old = *addr; *addr += value; } \
            return old; \
        }
    XO_ATOMIC_ADD_DEF(i8, int8_t)
    XO_ATOMIC_ADD_DEF(i16, int16_t)
    XO_ATOMIC_ADD_DEF(i32, int32_t)
    XO_ATOMIC_ADD_DEF(i64, int64_t)
    XO_ATOMIC_ADD_DEF(u8, uint8_t)
    XO_ATOMIC_ADD_DEF(u16, uint16_t)
    XO_ATOMIC_ADD_DEF(u32, uint32_t)
    XO_ATOMIC_ADD_DEF(u64, uint64_t)
    XO_ATOMIC_ADD_DEF(f32, float)
    XO_ATOMIC_ADD_DEF(f64, double)
    #undef XO_ATOMIC_ADD_DEF
    #define atomicAdd(addr, value) _Generic((addr), \
        int8_t*: atomicAdd_i8, int16_t*: atomicAdd_i16, \
        int32_t*: atomicAdd_i32, int64_t*: atomicAdd_i64, \
        uint8_t*: atomicAdd_u8, uint16_t*: atomicAdd_u16, \
        uint32_t*: atomicAdd_u32, uint64_t*: atomicAdd_u64, \
        float*: atomicAdd_f32, double*: atomicAdd_f64)((addr), (value))
#elif defined(XO_CONTEXT_CUDA)
    __device__ inline int32_t atomicAdd_i32(int32_t* a, int32_t v) { return atomicAdd((int*)a, (int)v); }
    __device__ inline uint32_t atomicAdd_u32(uint32_t* a, uint32_t v) { return atomicAdd((unsigned int*)a, (unsigned int)v); }
    __device__ inline uint64_t atomicAdd_u64(uint64_t* a, uint64_t v) {
        return atomicAdd((unsigned long long*)a, (unsigned long long)v);
    }
    // Two's complement: a signed 64-bit add is the unsigned one.
    __device__ inline int64_t atomicAdd_i64(int64_t* a, int64_t v) {
        return (int64_t)atomicAdd((unsigned long long*)a, (unsigned long long)v);
    }
    __device__ inline int64_t atomicAdd(int64_t* a, int64_t v) { return atomicAdd_i64(a, v); }
    __device__ inline float atomicAdd_f32(float* a, float v) { return atomicAdd(a, v); }
    __device__ inline double atomicAdd_f64(double* a, double v) { return atomicAdd(a, v); }
#else
    #error "xobjects/headers/atomicadd.h: not available on OpenCL yet (CPU and CUDA only)"
#endif

#endif // XOBJECTS_HEADERS_ATOMICADD_H
