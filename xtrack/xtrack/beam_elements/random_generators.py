"""Random number generators of the particles, usable from element C code and Python.

Each particle carries its own generator state (xpart: LFSR113, seeded by
`Particles._init_random_number_generator`). Elements that need random
numbers list a generator class in `_depends_on` and call, per particle,

- `RandomUniform_generate(part)`: uniform in (0, 1);
- `RandomUniformAccurate_generate(part)`: uniform in (0, 1) with 53 random bits;
- `RandomExponential_generate(part)`: exponential with mean 1 (-log of a uniform);
- `RandomNormal_generate(part)`: standard normal (Box-Muller, G. E. P. Box and
  M. E. Muller, Ann. Math. Statist. 29 (1958) 610).

`generator.generate(n_samples, n_seeds=... or particles=...)` draws from
Python: `n_samples` numbers split evenly over the particles (seeds), as a
context array of shape (n_seeds, n_samples // n_seeds).
"""

import weakref

import numpy as np
import xobjects as xo
from xpart import Particles

from .base import BeamElement, _kernel_sources

__all__ = ["RandomUniform", "RandomUniformAccurate", "RandomExponential", "RandomNormal"]

_UNIFORM_C = """
#ifndef XTRACK_RANDOM_UNIFORM_H
#define XTRACK_RANDOM_UNIFORM_H
#include "xtrack/headers/track.h"
// Uniform in the open interval (0, 1): a zero draw is redrawn.
GPUFUN double RandomUniform_generate(LocalParticle* part){
    double r = LocalParticle_generate_random_double(part);
    while (r == 0.) r = LocalParticle_generate_random_double(part);
    return r;
}
GPUFUN void RandomUniform_track_local_particle(RandomUniformData el, LocalParticle* part0){
    (void) el; (void) part0;
}
#endif
"""

_UNIFORM_ACCURATE_C = """
#ifndef XTRACK_RANDOM_UNIFORM_ACCURATE_H
#define XTRACK_RANDOM_UNIFORM_ACCURATE_H
#include "xtrack/headers/track.h"
// 53 random bits from two 32-bit draws (27 + 26 bits), in (0, 1).
GPUFUN double RandomUniformAccurate_generate(LocalParticle* part){
    double r = 0.;
    while (r == 0.){
        double const a = floor(LocalParticle_generate_random_double(part) * 134217728.);  // 2^27
        double const b = floor(LocalParticle_generate_random_double(part) * 67108864.);   // 2^26
        r = (a * 67108864. + b) * 1.1102230246251565e-16;  // 2^-53
    }
    return r;
}
GPUFUN void RandomUniformAccurate_track_local_particle(RandomUniformAccurateData el, LocalParticle* part0){
    (void) el; (void) part0;
}
#endif
"""

_EXPONENTIAL_C = """
#ifndef XTRACK_RANDOM_EXPONENTIAL_H
#define XTRACK_RANDOM_EXPONENTIAL_H
#include "xtrack/headers/track.h"
GPUFUN double RandomExponential_generate(LocalParticle* part){
    return -log(RandomUniform_generate(part));
}
GPUFUN void RandomExponential_track_local_particle(RandomExponentialData el, LocalParticle* part0){
    (void) el; (void) part0;
}
#endif
"""

_NORMAL_C = """
#ifndef XTRACK_RANDOM_NORMAL_H
#define XTRACK_RANDOM_NORMAL_H
#include "xtrack/headers/track.h"
GPUFUN double RandomNormal_generate(LocalParticle* part){
    double const u1 = RandomUniform_generate(part);
    double const u2 = RandomUniform_generate(part);
    return sqrt(-2. * log(u1)) * cos(2. * PI * u2);
}
GPUFUN void RandomNormal_track_local_particle(RandomNormalData el, LocalParticle* part0){
    (void) el; (void) part0;
}
#endif
"""


class _RandomGenerator(BeamElement):
    """Base of the generators: no effect when tracked; `generate` draws samples."""

    needs_rng = True

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls._sample_kernel_cache = weakref.WeakKeyDictionary()

    @classmethod
    def _sample_kernel(cls, context):
        kernel = cls._sample_kernel_cache.get(context)
        if kernel is not None:
            return kernel
        n = cls.__name__
        name = f"{n}_sample_many"
        source = f"""
/*gpukern*/ void {name}(ParticlesData particles, int64_t num_particles, int64_t per_particle,
                       /*gpuglmem*/ double* samples){{
    for (int64_t ii = 0; ii < num_particles; ii++){{ //vectorize_over ii num_particles
        LocalParticle lpart;
        Particles_to_LocalParticle(particles, &lpart, ii, ii + 1);
        for (int64_t jj = 0; jj < per_particle; jj++){{
            samples[ii * per_particle + jj] = {n}_generate(&lpart);
        }}
    }}//end_vectorize
}}
"""
        types, sources = _kernel_sources([cls])
        from ..tracker.source import prepare_source

        context.add_kernels(
            sources=sources + [source],
            kernels={name: xo.Kernel(args=[xo.Arg(Particles._XoStruct, name="particles"),
                                           xo.Arg(xo.Int64, name="num_particles"),
                                           xo.Arg(xo.Int64, name="per_particle"),
                                           xo.Arg(xo.Float64, pointer=True, name="samples")],
                                     n_threads="num_particles")},
            extra_classes=types, apply_to_source=[prepare_source])
        kernel = context.kernels[name]
        cls._sample_kernel_cache[context] = kernel
        return kernel

    def generate(self, n_samples=1000, n_seeds=None, particles=None):
        """`n_samples` random numbers, split evenly over `n_seeds` new generators or over `particles`.

        Returns
        -------
        context array, shape (number of seeds, n_samples // number of seeds)
        """
        if (n_seeds is None) == (particles is None):
            raise ValueError(f"{type(self).__name__}.generate: give n_seeds or particles (one of them).")
        if particles is None:
            n_seeds = int(n_seeds)
            if n_seeds < 1:
                raise ValueError(f"{type(self).__name__}.generate: n_seeds must be >= 1, got {n_seeds}.")
            particles = Particles(_capacity=n_seeds, x=np.zeros(n_seeds), _context=self._context)
            particles._init_random_number_generator()
        n_part = particles._capacity
        per_particle = int(n_samples) // n_part
        if per_particle < 1:
            raise ValueError(f"{type(self).__name__}.generate: n_samples ({n_samples}) must be at least the "
                             f"number of seeds ({n_part}).")
        samples = self._context.zeros(n_part * per_particle, dtype=np.float64)
        self._sample_kernel(self._context)(particles=particles._xobject, num_particles=n_part,
                                           per_particle=per_particle, samples=samples)
        return samples.reshape(n_part, per_particle)


class RandomUniform(_RandomGenerator):
    """Uniform random numbers in (0, 1) (see the module docstring)."""

    _xofields = {"_dummy": xo.Int8}
    _extra_c_sources = [_UNIFORM_C]


class RandomUniformAccurate(_RandomGenerator):
    """Uniform random numbers in (0, 1) with 53 random bits."""

    _xofields = {"_dummy": xo.Int8}
    _extra_c_sources = [_UNIFORM_ACCURATE_C]


class RandomExponential(_RandomGenerator):
    """Exponentially distributed random numbers with mean 1."""

    _xofields = {"_dummy": xo.Int8}
    _depends_on = [RandomUniform]
    _extra_c_sources = [_EXPONENTIAL_C]


class RandomNormal(_RandomGenerator):
    """Standard normal random numbers."""

    _xofields = {"_dummy": xo.Int8}
    _depends_on = [RandomUniform]
    _extra_c_sources = [_NORMAL_C]
