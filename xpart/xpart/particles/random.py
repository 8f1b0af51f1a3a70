"""Per-particle random-number generator state.

Each particle carries four 32-bit words (`_rng_s1` ... `_rng_s4`), the state
of the combined Tausworthe generator LFSR113 of P. L'Ecuyer, "Tables of
maximally equidistributed combined LFSR generators", Math. Comp. 68 (1999)
261-269. The kernels advance it with `LocalParticle_generate_random_double`
(local_particle.h); `next_uniform` below is the same algorithm in numpy,
used as the oracle in the tests.
"""

import numpy as np

__all__ = ["seed_states", "next_uniform", "RNG_MIN_WORDS"]

# LFSR113 needs z1 > 1, z2 > 7, z3 > 15, z4 > 127
RNG_MIN_WORDS = (2, 8, 16, 128)
_M64 = np.uint64(0xFFFFFFFFFFFFFFFF)


def _splitmix64(x):
    """SplitMix64 finaliser (Steele, Lea, Flood 2014), vectorised on uint64."""
    with np.errstate(over="ignore"):
        z = (x + np.uint64(0x9E3779B97F4A7C15)) & _M64
        z = ((z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)) & _M64
        z = ((z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)) & _M64
        return z ^ (z >> np.uint64(31))


def seed_states(n, seeds=None):
    """Return the four state words (uint32 arrays of length n) for the given seeds.

    Parameters
    ----------
    n : int
        Number of particles.
    seeds : array_like of int, optional
        One non-negative seed per particle (default: drawn from numpy's
        global generator, so `np.random.seed` makes it reproducible).
    """
    if seeds is None:
        seeds = np.random.randint(0, 2**31 - 1, size=n)
    seeds = np.asarray(seeds)
    if seeds.shape != (n,):
        raise ValueError(f"seeds must have one value per particle ({n}), got shape {seeds.shape}")
    if np.any(seeds < 0):
        raise ValueError("seeds must be non-negative integers")
    base = seeds.astype(np.uint64) * np.uint64(4)
    words = []
    for k, low in enumerate(RNG_MIN_WORDS):
        w = (_splitmix64(base + np.uint64(k)) >> np.uint64(32)).astype(np.uint32)
        words.append(np.where(w < low, w + np.uint32(low), w).astype(np.uint32))
    return words


def next_uniform(s1, s2, s3, s4):
    """Advance the states (uint32 arrays, modified in place); return uniforms in [0, 1)."""
    u = np.uint32
    b = ((s1 << u(6)) ^ s1) >> u(13)
    s1[...] = ((s1 & u(4294967294)) << u(18)) ^ b
    b = ((s2 << u(2)) ^ s2) >> u(27)
    s2[...] = ((s2 & u(4294967288)) << u(2)) ^ b
    b = ((s3 << u(13)) ^ s3) >> u(21)
    s3[...] = ((s3 & u(4294967280)) << u(7)) ^ b
    b = ((s4 << u(3)) ^ s4) >> u(12)
    s4[...] = ((s4 & u(4294967168)) << u(13)) ^ b
    return (s1 ^ s2 ^ s3 ^ s4) * 2.3283064365386963e-10
