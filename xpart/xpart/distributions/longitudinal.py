"""Longitudinal coordinates matched to a single-harmonic RF bucket.

Model (smooth approximation, one RF system per turn; xtrack conventions,
energy gain of a particle q0 V sin(phi - k zeta), k = 2 pi h / C):

    delta_{n+1} = delta_n + A (sin(phi - k zeta_n) - sin(phi_s)),
    zeta_{n+1}  = zeta_n - eta C delta_{n+1},

with A = q0 V / (beta0 p0c), eta = alpha_c - 1/gamma0^2 and sin(phi_s) the
energy gain of the reference per turn divided by q0 V. Its Hamiltonian
H = -eta C delta^2 / 2 - (A/k) cos(phi - k zeta) + A sin(phi_s) zeta is
conserved along the continuous flow; a distribution that depends on
(zeta, delta) only through H is stationary (matched). Written relative to
the stable fixed point, U = |eta| C delta^2 / 2 + Psi(zeta) >= 0 inside the
bucket, and the particles fill U < U_sep with density

- 'gaussian':  exp(-U / U0)            (line density ~ Gaussian for short bunches),
- 'parabolic': sqrt(1 - U / U_max)     (parabolic line density in a linear bucket),
- 'binomial':  (1 - U / U_max)^(m - 1) (m >= 1/2; line density (1 - z^2/z_max^2)^(m - 1/2)
                                        in a linear bucket; m = 3/2 is 'parabolic'),
- 'qgaussian': [1 - (1 - q) U / U0]^(1 / (1 - q)) (q < 3; q = 1 is 'gaussian', q < 1
                                        a binomial with m - 1 = 1 / (1 - q), q > 1
                                        heavier tails, cut at the separatrix),

with U0 or U_max chosen so that the r.m.s. of zeta equals sigma_z. See e.g.
S. Y. Lee, Accelerator Physics, 4th ed., ch. 3 (synchrotron motion).

scipy is imported by the methods that use it, not with xpart: importing
scipy.optimize takes longer than importing the rest of xpart.
"""

import numpy as np

from ..constants import clight, qe
from .line_data import reference_quantities, resolve_line, rf_parameters

__all__ = ["SingleRFHarmonicMatcher", "generate_longitudinal_coordinates",
           "generate_parabolic_longitudinal_coordinates",
           "generate_binomial_longitudinal_coordinates",
           "generate_qgaussian_longitudinal_coordinates"]

_DISTRIBUTIONS = ("gaussian", "parabolic", "binomial", "qgaussian")
_ENGINES = (None, "single-rf-harmonic")
_GRID = 4001  # zeta grid points across the bucket for the line density


class SingleRFHarmonicMatcher:
    """Matched longitudinal distribution in a single-harmonic RF bucket.

    Parameters
    ----------
    q0 : float
        Reference charge [e].
    beta0, gamma0 : float
        Reference relativistic factors.
    p0c : float
        Reference momentum [eV].
    circumference : float
        Machine length C [m].
    momentum_compaction_factor : float
        alpha_c.
    rf_harmonic : float
        Harmonic number h.
    rf_voltage : float
        Total voltage V [V].
    rf_phase : float
        RF phase phi [rad] (the cavity lag; pi above transition for q0 > 0).
    energy_gain_per_turn : float, default 0
        Energy gain of the reference particle per turn [eV].
    """

    def __init__(self, *, q0, beta0, gamma0, p0c, circumference, momentum_compaction_factor,
                 rf_harmonic, rf_voltage, rf_phase, energy_gain_per_turn=0.0):
        self.eta = momentum_compaction_factor - 1 / gamma0**2
        if self.eta == 0:
            raise ValueError("the slip factor is zero (at transition): no matched bucket exists")
        if rf_voltage == 0 or rf_harmonic <= 0:
            raise ValueError(f"rf_voltage must be non-zero and rf_harmonic positive, "
                             f"got {rf_voltage!r} V and {rf_harmonic!r}")
        self.circumference = circumference
        self.beta0 = beta0
        self.k = 2 * np.pi * rf_harmonic / circumference
        self.phase = rf_phase
        self.A = q0 * rf_voltage / (beta0 * p0c)
        self.sin_s = energy_gain_per_turn / (q0 * rf_voltage)
        if abs(self.sin_s) >= 1:
            raise ValueError(f"energy gain per turn {energy_gain_per_turn} eV exceeds q0 V = "
                             f"{q0 * rf_voltage} eV: there is no stable bucket")
        self.a = 0.5 * abs(self.eta) * circumference  # U = a delta^2 + Psi(zeta)
        self._find_bucket()

    # -- potential and fixed points -------------------------------------------------
    def _v(self, zeta):
        return -(self.A / self.k) * np.cos(self.phase - self.k * zeta) + self.A * self.sin_s * zeta

    def psi(self, zeta):
        """Potential part Psi(zeta) of U (zero at the stable fixed point)."""
        return np.sign(self.eta) * (self._v(self.zeta_s) - self._v(zeta))

    def _find_bucket(self):
        from scipy.optimize import brentq

        asin = np.arcsin(self.sin_s)
        period = 2 * np.pi / self.k
        cands = []
        for base in (self.phase - asin, self.phase - np.pi + asin):
            z0 = base / self.k
            cands += [z0 + m * period for m in (-2, -1, 0, 1, 2)]
        cands = np.array(cands)
        # linear stability: d^2 zeta/dn^2 = eta C A k cos(phi - k zeta_s) * dzeta
        stable = self.eta * self.A * np.cos(self.phase - self.k * cands) < 0
        self.zeta_s = cands[stable][np.argmin(np.abs(cands[stable]))]
        unstable = cands[~stable]
        left = unstable[unstable < self.zeta_s].max()
        right = unstable[unstable > self.zeta_s].min()
        self.u_sep = min(self.psi(left), self.psi(right))
        # the bucket ends at the unstable point with the lower barrier and,
        # on the other side, where Psi climbs back to the same level
        if self.psi(left) <= self.psi(right):
            lo = left
            hi = brentq(lambda z: self.psi(z) - self.u_sep, self.zeta_s, right)
        else:
            hi = right
            lo = brentq(lambda z: self.psi(z) - self.u_sep, left, self.zeta_s)
        self.zeta_range = (lo, hi)
        self.delta_max = np.sqrt(self.u_sep / self.a)

    # -- distributions --------------------------------------------------------------
    def _extent(self, level):
        """Return the zeta interval where Psi < level (level <= U_sep)."""
        from scipy.optimize import brentq

        lo, hi = self.zeta_range
        if level >= self.u_sep:
            return lo, hi
        f = lambda z: self.psi(z) - level  # noqa: E731
        return brentq(f, lo, self.zeta_s), brentq(f, self.zeta_s, hi)

    def _kind(self, distribution):
        """(kind, exponent): 'gauss', ('power', p) for (1 - U/scale)^p, ('tail', s) for
        (1 + U/scale)^-s, from the distribution name and its shape parameter."""
        if distribution == "gaussian":
            return "gauss", None
        if distribution == "parabolic":
            return "power", 0.5
        if distribution == "binomial":
            return "power", self.shape - 1.0
        q = self.shape
        if q == 1:
            return "gauss", None
        if q < 1:
            return "power", 1.0 / (1.0 - q)
        return "tail", 1.0 / (q - 1.0)

    def line_density(self, distribution, scale):
        """Line density (unnormalised) on a zeta grid covering the bunch.

        `scale` is U0 (Gaussian), U_max (parabolic, binomial, q-Gaussian with
        q < 1, where U_max = U0 / (1 - q)) or U0 / (q - 1) (q-Gaussian, q > 1).

        Returns
        -------
        zeta, density : ndarray
        """
        from scipy.special import erf

        kind, p = self._kind(distribution)
        # beyond Psi = 60 U0 the Gaussian density is below exp(-60)
        level = 60 * scale if kind == "gauss" else (scale if kind == "power" else np.inf)
        zeta = np.linspace(*self._extent(min(level, self.u_sep)), _GRID)
        psi = np.clip(self.psi(zeta), 0, self.u_sep)
        if kind == "gauss":
            return zeta, np.exp(-psi / scale) * erf(np.sqrt((self.u_sep - psi) / scale))
        if kind == "power":
            # integral over delta of (1 - U/U_max)^p is proportional to (U_max - Psi)^(p + 1/2)
            return zeta, np.clip(scale - psi, 0, None) ** (p + 0.5)
        # (1 + U/scale)^-s in delta is a Student t of nu = 2 s - 1 degrees of freedom and
        # width sigma = sqrt((scale + Psi) / (a nu)), cut at the separatrix
        from scipy.special import stdtr

        nu = 2 * p - 1
        sigma = np.sqrt((scale + psi) / (self.a * nu))
        dmax = np.sqrt((self.u_sep - psi) / self.a)
        return zeta, (1 + psi / scale) ** (-p) * sigma * (2 * stdtr(nu, dmax / sigma) - 1)

    def _rms(self, distribution, scale):
        zeta, lam = self.line_density(distribution, scale)
        w = lam / lam.sum()
        mean = np.sum(w * zeta)
        return np.sqrt(np.sum(w * (zeta - mean) ** 2))

    def match(self, distribution, sigma_z, m=None, q=None):
        """Find the scale (U0 or U_max) giving r.m.s. bunch length sigma_z [m].

        Parameters
        ----------
        distribution : {'gaussian', 'parabolic', 'binomial', 'qgaussian'}
        sigma_z : float
            R.m.s. bunch length [m].
        m : float, optional
            Binomial exponent (m > 0), for 'binomial' only.
        q : float, optional
            q-Gaussian parameter (q < 3), for 'qgaussian' only.
        """
        if distribution not in _DISTRIBUTIONS:
            raise ValueError(f"distribution must be one of {_DISTRIBUTIONS}, got {distribution!r}")
        if not sigma_z > 0:
            raise ValueError(f"sigma_z must be positive [m], got {sigma_z!r}")
        self.shape = None
        if distribution == "binomial":
            if m is None or not m >= 0.5:
                raise ValueError(f"the binomial distribution needs an exponent m >= 0.5, got m={m!r}")
            self.shape = float(m)
        elif distribution == "qgaussian":
            if q is None or not q < 3:
                raise ValueError(f"the q-Gaussian distribution needs q < 3, got q={q!r}")
            self.shape = float(q)
        from scipy.optimize import brentq

        kind, _ = self._kind(distribution)
        lo = self.u_sep * 1e-14
        hi = self.u_sep * (1.0 if kind == "power" else 1e3)
        largest = self._rms(distribution, hi)
        if sigma_z >= largest:
            raise ValueError(f"sigma_z={sigma_z} m does not fit in the RF bucket: the largest "
                             f"matched {distribution} bunch has sigma_z={largest:.4g} m")
        if sigma_z <= self._rms(distribution, lo):
            raise ValueError(f"sigma_z={sigma_z} m is too short to be resolved in this bucket")
        log_scale = brentq(lambda t: self._rms(distribution, np.exp(t)) - sigma_z,
                           np.log(lo), np.log(hi), xtol=1e-12)
        self.distribution, self.scale, self.sigma_z = distribution, np.exp(log_scale), sigma_z
        return self.scale

    def get_synchrotron_tune(self):
        """Small-amplitude synchrotron tune of the one-kick-per-turn model.

        Linearised about the stable point, a turn is the matrix
        [[1 + D K, -D], [-K, 1]] on (zeta, delta) with D = eta C and
        K = A k cos(phi - k zeta_s); its trace gives cos(2 pi Qs) = 1 + D K / 2.
        """
        dk = self.eta * self.circumference * self.A * self.k * np.cos(self.phase - self.k * self.zeta_s)
        return float(np.arccos(1 + dk / 2) / (2 * np.pi))

    @property
    def tau_distr_x(self):
        """Evenly spaced tau = zeta / beta0 grid [m] covering the matched bunch (after `match`)."""
        return self._tau_line_density()[0]

    @property
    def tau_distr_y(self):
        """Line density in tau [1/m] on `tau_distr_x`, normalised to unit integral."""
        return self._tau_line_density()[1]

    def _tau_line_density(self):
        if getattr(self, "distribution", None) is None:
            raise RuntimeError("the matcher has no distribution yet: call match(...) first")
        zeta, lam = self.line_density(self.distribution, self.scale)
        tau = zeta / self.beta0
        area = np.sum(0.5 * (lam[1:] + lam[:-1]) * np.diff(tau))
        return tau, lam / area

    def generate(self, num_particles):
        """Sample (zeta [m], delta) from the matched distribution (numpy global RNG)."""
        grid, lam = self.line_density(self.distribution, self.scale)
        cdf = np.concatenate([[0], np.cumsum(0.5 * (lam[1:] + lam[:-1]))])
        zeta = np.interp(np.random.uniform(0, cdf[-1], num_particles), cdf, grid)
        room = np.clip(self.u_sep - self.psi(zeta), 0, None)
        kind, p = self._kind(self.distribution)
        if kind == "gauss":
            return zeta, self._truncated_gaussian_delta(room)
        if kind == "tail":
            return zeta, self._truncated_t_delta(zeta, room, p)
        half_width = np.sqrt(np.clip(self.scale - self.psi(zeta), 0, None) / self.a)
        if self.distribution == "parabolic":
            # semicircle law in delta up to the contour U = U_max
            r = np.sqrt(np.random.uniform(size=num_particles))
            return zeta, half_width * r * np.cos(2 * np.pi * np.random.uniform(size=num_particles))
        # (1 - t^2)^p on [-1, 1]: t = 2 B - 1 with B ~ Beta(p + 1, p + 1)
        t = 2 * np.random.beta(p + 1, p + 1, size=num_particles) - 1
        return zeta, half_width * t

    def _truncated_t_delta(self, zeta, room, s):
        nu = 2 * s - 1
        sigma = np.sqrt((self.scale + np.clip(self.psi(zeta), 0, None)) / (self.a * nu))
        limit = np.sqrt(room / self.a)
        delta = sigma * np.random.standard_t(nu, size=len(room))
        bad = np.abs(delta) > limit
        while np.any(bad):  # resample outside the separatrix
            delta[bad] = sigma[bad] * np.random.standard_t(nu, size=int(bad.sum()))
            bad = np.abs(delta) > limit
        return delta

    def _truncated_gaussian_delta(self, room):
        sigma = np.sqrt(self.scale / (2 * self.a))
        limit = np.sqrt(room / self.a)
        delta = np.random.normal(0, sigma, len(room))
        bad = np.abs(delta) > limit
        while np.any(bad):  # resample outside the separatrix
            delta[bad] = np.random.normal(0, sigma, int(bad.sum()))
            bad = np.abs(delta) > limit
        return delta


def generate_longitudinal_coordinates(line=None, num_particles=None, distribution="gaussian",
                                      sigma_z=None, engine=None, return_matcher=False,
                                      particle_ref=None, mass0=None, q0=None, gamma0=None,
                                      circumference=None, momentum_compaction_factor=None,
                                      rf_harmonic=None, rf_voltage=None, rf_phase=None,
                                      p_increment=0.0, tracker=None, m=None, q=None, **kwargs):
    """Generate longitudinal coordinates matched to a single RF harmonic (non-linear bucket).

    Parameters
    ----------
    line : Line, optional
        Line giving circumference, momentum compaction (from `line.twiss`),
        reference particle and RF cavities; explicit arguments override it.
    num_particles : int
        Number of particles to generate.
    distribution : {'gaussian', 'parabolic', 'binomial', 'qgaussian'}
        Shape of the matched distribution (see the module docstring).
    sigma_z : float
        R.m.s. bunch length [m].
    engine : {None, 'single-rf-harmonic'}
        Matching engine (only the single-harmonic one is available here).
    return_matcher : bool, default False
        Also return the `SingleRFHarmonicMatcher`.
    particle_ref : Particles, optional
        Reference particle (default: `line.particle_ref`).
    mass0, q0, gamma0 : float, optional
        Reference rest mass [eV], charge [e] and gamma0, instead of particle_ref.
    circumference : float, optional
        [m].
    momentum_compaction_factor : float, optional
    rf_harmonic, rf_voltage, rf_phase : float, optional
        Harmonic number, total voltage [V], phase [rad] (xtrack cavity lag
        convention: pi above transition for positive charges).
    p_increment : float, default 0
        Momentum gain of the reference particle per turn [kg m/s].
    m : float, optional
        Exponent of the 'binomial' distribution (m >= 0.5).
    q : float, optional
        Parameter of the 'qgaussian' distribution (q < 3).
    **kwargs
        Passed to `line.twiss`.

    Returns
    -------
    zeta : ndarray [m]
    delta : ndarray
    matcher : SingleRFHarmonicMatcher
        Only if `return_matcher`.
    """
    if engine not in _ENGINES:
        raise ValueError(f"engine must be one of {_ENGINES}, got {engine!r} "
                         f"(the pyheadtail engine is not available)")
    if num_particles is None or int(num_particles) < 0:
        raise ValueError(f"num_particles must be a non-negative integer, got {num_particles!r}")
    line = resolve_line(line, tracker)
    if particle_ref is not None or line is not None:
        mass0, q0, beta0, gamma0, p0c = reference_quantities(line, particle_ref)
    elif None in (mass0, q0, gamma0):
        raise ValueError("give particle_ref, line, or all of mass0, q0 and gamma0")
    else:
        beta0 = np.sqrt(1 - 1 / gamma0**2)
        p0c = mass0 * beta0 * gamma0
    if circumference is None or momentum_compaction_factor is None:
        if line is None:
            raise ValueError("give circumference and momentum_compaction_factor, or a line")
        tw = line.twiss(**kwargs)
        circumference = tw.circumference if circumference is None else circumference
        if momentum_compaction_factor is None:
            momentum_compaction_factor = tw.momentum_compaction_factor
    if None in (rf_harmonic, rf_voltage, rf_phase):
        if line is None:
            raise ValueError("give rf_harmonic, rf_voltage and rf_phase, or a line with cavities")
        h, v, ph = rf_parameters(line, beta0, circumference)
        rf_harmonic = h if rf_harmonic is None else rf_harmonic
        rf_voltage = v if rf_voltage is None else rf_voltage
        rf_phase = ph if rf_phase is None else rf_phase
    matcher = SingleRFHarmonicMatcher(
        q0=q0, beta0=beta0, gamma0=gamma0, p0c=p0c, circumference=circumference,
        momentum_compaction_factor=momentum_compaction_factor, rf_harmonic=rf_harmonic,
        rf_voltage=rf_voltage, rf_phase=rf_phase,
        # dE = v dp = beta0 c dp [J], in eV: / qe
        energy_gain_per_turn=p_increment * beta0 * clight / qe)
    matcher.match(distribution, sigma_z, m=m, q=q)
    zeta, delta = matcher.generate(int(num_particles))
    return (zeta, delta, matcher) if return_matcher else (zeta, delta)


def generate_parabolic_longitudinal_coordinates(num_particles=None, sigma_z=None, line=None,
                                                **kwargs):
    """Generate longitudinal coordinates with a parabolic line density, matched to the RF bucket.

    The same as ``generate_longitudinal_coordinates(distribution='parabolic', ...)``:
    phase-space density sqrt(1 - U / U_max), whose line density is
    parabolic in a linear bucket.

    Parameters
    ----------
    num_particles : int
        Number of particles to generate.
    sigma_z : float
        R.m.s. bunch length [m].
    line : Line
        Line giving the optics, the reference particle and the RF cavities.
    **kwargs
        Further arguments of `generate_longitudinal_coordinates`.

    Returns
    -------
    zeta : ndarray [m]
    delta : ndarray
    """
    return generate_longitudinal_coordinates(line=line, num_particles=num_particles,
                                             sigma_z=sigma_z, distribution="parabolic", **kwargs)


def generate_binomial_longitudinal_coordinates(num_particles=None, sigma_z=None, m=None,
                                               line=None, **kwargs):
    """Generate longitudinal coordinates with a binomial distribution, matched to the RF bucket.

    Phase-space density (1 - U / U_max)^(m - 1) inside the contour U_max of
    the single-harmonic Hamiltonian; in a linear bucket the line density is
    (1 - z^2 / z_max^2)^(m - 1/2). m = 3/2 gives the parabolic line density,
    a large m tends to a Gaussian.

    Parameters
    ----------
    num_particles : int
        Number of particles to generate.
    sigma_z : float
        R.m.s. bunch length [m].
    m : float
        Binomial exponent (m >= 0.5).
    line : Line
        Line giving the optics, the reference particle and the RF cavities.
    **kwargs
        Further arguments of `generate_longitudinal_coordinates`.

    Returns
    -------
    zeta : ndarray [m]
    delta : ndarray
    """
    return generate_longitudinal_coordinates(line=line, num_particles=num_particles,
                                             sigma_z=sigma_z, distribution="binomial", m=m,
                                             **kwargs)


def generate_qgaussian_longitudinal_coordinates(num_particles=None, sigma_z=None, q=None,
                                                line=None, **kwargs):
    """Generate longitudinal coordinates with a q-Gaussian distribution, matched to the RF bucket.

    Phase-space density exp_q(-U / U0) = [1 - (1 - q) U / U0]^(1 / (1 - q)):
    q = 1 is the Gaussian, q < 1 has a compact support, 1 < q < 3 has
    heavier tails (cut at the separatrix).

    Parameters
    ----------
    num_particles : int
        Number of particles to generate.
    sigma_z : float
        R.m.s. bunch length [m].
    q : float
        q parameter (q < 3).
    line : Line
        Line giving the optics, the reference particle and the RF cavities.
    **kwargs
        Further arguments of `generate_longitudinal_coordinates`.

    Returns
    -------
    zeta : ndarray [m]
    delta : ndarray
    """
    return generate_longitudinal_coordinates(line=line, num_particles=num_particles,
                                             sigma_z=sigma_z, distribution="qgaussian", q=q,
                                             **kwargs)
