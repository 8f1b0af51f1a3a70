// Slots of an element's internal record (the tables written during tracking,
// see records.py). RecordIndex_get_slot hands out the next free row of a
// table, or -1 when the table is full; on the CPU (OpenMP) and CUDA the
// counter is updated atomically, so particles tracked in parallel never get
// the same row. OpenCL has no 64-bit atomics in xobjects yet: there the
// counter is a plain add (one work item per row is not guaranteed).
#ifndef XTRACK_RECORDS_H
#define XTRACK_RECORDS_H

#include "xtrack/headers/track.h"
#ifndef XO_CONTEXT_CL
#include "xobjects/headers/atomicadd.h"
#endif

// XT_record_atomic_add_i64 / _f64(addr, value) -> previous value
#ifdef XO_CONTEXT_CL
#define XT_RECORD_ATOMIC_ADD(SUFFIX, T) \
    GPUFUN T XT_record_atomic_add_##SUFFIX(GPUGLMEM T* addr, T value){ \
        T const old = *addr; *addr += value; return old; }
#else
#define XT_RECORD_ATOMIC_ADD(SUFFIX, T) \
    GPUFUN T XT_record_atomic_add_##SUFFIX(GPUGLMEM T* addr, T value){ \
        return atomicAdd(addr, value); }
#endif
XT_RECORD_ATOMIC_ADD(i64, int64_t)
XT_RECORD_ATOMIC_ADD(f64, double)
#undef XT_RECORD_ATOMIC_ADD

// Next free row of the table indexed by `index`, or -1 when it is full (the
// counter then stays at the capacity).
GPUFUN int64_t RecordIndex_get_slot(RecordIndex index){
    int64_t const capacity = RecordIndex_get_capacity(index);
    GPUGLMEM int64_t* const num = RecordIndex_getp_num_recorded(index);
    int64_t const slot = XT_record_atomic_add_i64(num, 1);
    if (slot >= capacity){
        XT_record_atomic_add_i64(num, -1);
        return -1;
    }
    return slot;
}

#endif  // XTRACK_RECORDS_H
