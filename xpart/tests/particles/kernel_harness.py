"""Compile and run a test kernel using the per-particle C API, on CPU and OpenCL.

The `ParticlesData` accessors are written here from the layout contract
(xobjects/ARCHITECTURE.md) as an independent check that the storage of
`Particles` follows it; the annotations are specialised by hand (plain C
for cffi, OpenCL C for pyopencl), so the test does not depend on the
kernel machinery of xobjects.
"""

import importlib.util
import sys
import tempfile

import numpy as np

from xpart.particles.fields import FIELDS
from xpart.particles.local_particle import gen_local_particle_api

OPS = {"update_delta": 0, "update_ptau": 1, "update_pzeta": 2, "update_p0c": 3,
       "add_to_energy": 4, "kill_if_x_above": 5, "random": 6}

_KERNEL = """
/*gpufun*/ void apply_op(LocalParticle* part, int64_t op, double value){
    if (!LocalParticle_is_active(part)) return;  // lost particles are never touched
    switch (op){
        case 0: LocalParticle_update_delta(part, value); break;
        case 1: LocalParticle_update_ptau(part, value); break;
        case 2: LocalParticle_update_pzeta(part, value); break;
        case 3: LocalParticle_update_p0c(part, value); break;
        case 4: LocalParticle_add_to_energy(part, value, 0); break;
        case 5: if (LocalParticle_get_x(part) > value) LocalParticle_kill_particle(part, -3); break;
        case 6: LocalParticle_set_x(part, LocalParticle_generate_random_double(part)); break;
    }
}

/*gpukern*/ void apply_ops(/*gpuglmem*/ char* buf, int64_t offset, int64_t n, int64_t op,
                           /*gpuglmem*/ double* values){
    ParticlesData particles = (ParticlesData)(buf + offset);
#ifdef XPART_TEST_OPENCL
    int64_t ipart = get_global_id(0);
    if (ipart >= n) return;
#else
    for (int64_t ipart = 0; ipart < n; ipart++)
#endif
    {
        LocalParticle part;
        Particles_to_LocalParticle(particles, &part, ipart, n);
        apply_op(&part, op, values[ipart]);
    }
}
"""


def particles_data_api():
    """Accessors of the struct ParticlesData, from the layout contract."""
    lines = ["typedef /*gpuglmem*/ struct ParticlesData_s * ParticlesData;"]
    for slot, f in enumerate(FIELDS, start=1):
        word = f"((/*gpuglmem*/ int64_t*)obj)[{slot}]"
        base = "(/*gpuglmem*/ char*)obj"
        if f.per_particle:
            lines.append(
                f"/*gpufun*/ /*gpuglmem*/ {f.c_type}* "
                f"ParticlesData_getp1_{f.name}(ParticlesData obj, int64_t i0)"
                f"{{ return ((/*gpuglmem*/ {f.c_type}*)({base} + {word} + 16)) + i0; }}")
        else:
            lines.append(
                f"/*gpufun*/ {f.c_type} ParticlesData_get_{f.name}(ParticlesData obj)"
                f"{{ return *((/*gpuglmem*/ {f.c_type}*)({base} + {8 * slot})); }}")
    return "\n".join(lines) + "\n"


def source(target):
    """Full kernel source specialised for 'cpu' or 'opencl'."""
    src = particles_data_api() + gen_local_particle_api() + _KERNEL
    if target == "cpu":
        prelude = "#include <stdint.h>\n#include <math.h>\n"
        return prelude + src.replace("/*gpufun*/", "static inline").replace(
            "/*gpuglmem*/", "").replace("/*gpukern*/", "")
    prelude = ("#pragma OPENCL EXTENSION cl_khr_fp64 : enable\n#define XPART_TEST_OPENCL\n"
               "typedef long int64_t; typedef uint uint32_t;\n")
    return prelude + src.replace("/*gpufun*/", "").replace(
        "/*gpuglmem*/", "__global").replace("/*gpukern*/", "__kernel")


class CpuRunner:
    """Compile the kernel with cffi once; run it on particles on the CPU."""

    def __init__(self):
        import cffi

        ffi = cffi.FFI()
        ffi.cdef("void apply_ops(char* buf, int64_t offset, int64_t n, int64_t op, double* values);")
        ffi.set_source("_xpart_test_kernel", source("cpu"), extra_compile_args=["-O2", "-std=c99"])
        tmp = tempfile.mkdtemp(prefix="xpart_kernel_")
        path = ffi.compile(tmpdir=tmp)
        spec = importlib.util.spec_from_file_location("_xpart_test_kernel", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        sys.modules.setdefault("_xpart_test_kernel", module)
        self.ffi, self.lib = module.ffi, module.lib

    def run(self, particles, op, values):
        buf = particles._buffer.buffer
        values = np.ascontiguousarray(values, dtype=np.float64)
        self.lib.apply_ops(self.ffi.from_buffer("char[]", buf), particles._offset,
                           particles._capacity, OPS[op],
                           self.ffi.cast("double*", self.ffi.from_buffer(values)))


class OpenclRunner:
    """Build the kernel with pyopencl for the context of the particles."""

    def __init__(self, context):
        import pyopencl as cl

        self.context = context
        program = cl.Program(context.context, source("opencl")).build()
        self.kernel = cl.Kernel(program, "apply_ops")

    def run(self, particles, op, values):
        import pyopencl.array as cla

        queue = self.context.queue
        dev_values = cla.to_device(queue, np.ascontiguousarray(values, dtype=np.float64))
        n = particles._capacity
        self.kernel(queue, (max(n, 1),), None, particles._buffer.buffer,
                    np.int64(particles._offset), np.int64(n), np.int64(OPS[op]), dev_values.data)
        queue.finish()
