"""The Faddeeva function of the field kernels (_faddeeva.h) against scipy, and its coefficients.

w(z) = exp(-z^2) erfc(-i z) is evaluated by Weideman's rational
approximation (SIAM J. Numer. Anal. 31 (1994) 1497) with N = 36 terms; the
Bassetti-Erskine field (_bigaussian_field.h) evaluates it twice per kick.
"""

import re
from pathlib import Path

import numpy as np
import pytest
from scipy.special import wofz

import xobjects as xo
import xfields

HEADER = Path(xfields.__file__).parent / "fields" / "_faddeeva.h"
EPSILON_0 = 8.854187817620e-12  # the kernel's value (CODATA 2014, as the reference data)

SRC = """
#include "xfields/fields/_bigaussian_field.h"

/*gpukern*/ void faddeeva_upper(const int64_t n, /*gpuglmem*/ const double* x,
        /*gpuglmem*/ const double* y, /*gpuglmem*/ double* wr, /*gpuglmem*/ double* wi) {
    for (int64_t ii = 0; ii < n; ii++) { //vectorize_over ii n
        XF_faddeeva_upper(x[ii], y[ii], &wr[ii], &wi[ii]);
    }//end_vectorize
}

/*gpukern*/ void bigaussian_field(const int64_t n, const double sigma_x, const double sigma_y,
        /*gpuglmem*/ const double* x, /*gpuglmem*/ const double* y, /*gpuglmem*/ double* out) {
    for (int64_t ii = 0; ii < n; ii++) { //vectorize_over ii n
        XF_bigaussian_field(x[ii], y[ii], sigma_x, sigma_y, 1e-10,
                            &out[4 * ii], &out[4 * ii + 1], &out[4 * ii + 2], &out[4 * ii + 3]);
    }//end_vectorize
}
"""

_ARR, _OUT = dict(pointer=True, const=True), dict(pointer=True)
KERNELS = {
    "faddeeva_upper": xo.Kernel(args=[
        xo.Arg(xo.Int64, name="n"), xo.Arg(xo.Float64, name="x", **_ARR),
        xo.Arg(xo.Float64, name="y", **_ARR), xo.Arg(xo.Float64, name="wr", **_OUT),
        xo.Arg(xo.Float64, name="wi", **_OUT)], n_threads="n"),
    "bigaussian_field": xo.Kernel(args=[
        xo.Arg(xo.Int64, name="n"), xo.Arg(xo.Float64, name="sigma_x"),
        xo.Arg(xo.Float64, name="sigma_y"), xo.Arg(xo.Float64, name="x", **_ARR),
        xo.Arg(xo.Float64, name="y", **_ARR), xo.Arg(xo.Float64, name="out", **_OUT)],
        n_threads="n"),
}


@pytest.fixture(scope="module")
def kernels():
    context = xo.ContextCpu()
    context.add_kernels(sources=[SRC], kernels=KERNELS)
    return context.kernels


def _w(kernels, z):
    z = np.ravel(z)
    x, y = np.ascontiguousarray(z.real), np.ascontiguousarray(z.imag)
    wr, wi = np.zeros_like(x), np.zeros_like(x)
    kernels.faddeeva_upper(n=len(x), x=x, y=y, wr=wr, wi=wi)
    return wr + 1j * wi


def _relative_error(kernels, z):
    ref = wofz(np.ravel(z))
    return np.abs(_w(kernels, z) - ref) / np.abs(ref)


def test_dense_grid_of_the_first_quadrant(kernels):
    # the region of the beam (|z| of a few units), step 0.01, real and imaginary axes included
    x = np.linspace(0, 8, 801)
    err = _relative_error(kernels, x[:, None] + 1j * x[None, :])
    assert np.max(err) < 1e-13, np.max(err)


def test_whole_upper_half_plane_on_log_polar_grid(kernels):
    # 1e-8 <= |z| <= 1e8 at every angle from the positive to the negative real axis
    r = np.logspace(-8, 8, 641)
    theta = np.linspace(0, np.pi, 181)
    z = r[:, None] * np.exp(1j * theta[None, :])
    err = _relative_error(kernels, z)
    assert np.max(err) < 1e-13, np.max(err)


def test_special_values(kernels):
    # w(0) = 1; w(iy) = erfcx(y) is real; Re w(x) = exp(-x^2) on the real axis
    from scipy.special import erfcx

    assert abs(_w(kernels, [0.0])[0] - 1) < 1e-15
    y = np.linspace(0, 50, 501)
    w = _w(kernels, 1j * y)
    np.testing.assert_allclose(w.real, erfcx(y), rtol=1e-13)
    assert np.all(np.abs(w.imag) <= 1e-15 * np.abs(w.real))
    x = np.linspace(0, 5, 501)
    w = _w(kernels, x + 0j)
    assert np.max(np.abs(w.real - np.exp(-x ** 2)) / np.abs(w)) < 1e-13


def _header_coefficients():
    text = HEADER.read_text()
    found = {(int(m.group(1)), int(m.group(2))): float(m.group(3))
             for m in re.finditer(r"#define XF_WEID_C(\d)_(\d+) (\S+)", text)}
    coeffs = np.full(len(found), np.nan)
    for (j, k), value in found.items():
        coeffs[4 * k + j] = value  # XF_WEID_Cj_k: the coefficient of Z^(4k + j)
    length = float(re.search(r"double const L = (\S+);", text).group(1))
    return coeffs, length


def test_coefficients_are_weidemans():
    # a_n = (1 / 2M) sum_{|k| < M} (L^2 + t_k^2) exp(-t_k^2) cos(n theta_k), with
    # theta_k = k pi / M, t_k = L tan(theta_k / 2), M = 2N, L = 2^(-1/4) sqrt(N):
    # the header holds a_1 .. a_N (coefficients of Z^0 .. Z^(N-1))
    coeffs, length = _header_coefficients()
    n = len(coeffs)
    assert n == 36
    assert length == pytest.approx(np.sqrt(n / np.sqrt(2)), rel=1e-16)
    m = 2 * n
    theta = np.arange(-m + 1, m) * np.pi / m
    t = length * np.tan(theta / 2)
    f = (length ** 2 + t ** 2) * np.exp(-t ** 2)
    expected = [np.sum(f * np.cos((k + 1) * theta)) / (2 * m) for k in range(n)]
    np.testing.assert_allclose(coeffs, expected, rtol=0, atol=1e-15)


def _bassetti_erskine(x, y, sig_x, sig_y):
    """E_x, E_y, dE_x/dx, dE_y/dy of a Gaussian line density of 1 C/m, sigma_x > sigma_y."""
    s = np.sqrt(2 * (sig_x ** 2 - sig_y ** 2))
    ax, ay = np.abs(x), np.abs(y)
    e = np.exp(-ax ** 2 / (2 * sig_x ** 2) - ay ** 2 / (2 * sig_y ** 2))
    w = wofz((ax + 1j * ay) / s) - e * wofz((ax * sig_y / sig_x + 1j * ay * sig_x / sig_y) / s)
    w /= 2 * EPSILON_0 * np.sqrt(np.pi) * s
    ex, ey = np.sign(x) * w.imag, np.sign(y) * w.real
    k, d = 1 / (2 * np.pi * EPSILON_0), sig_x ** 2 - sig_y ** 2
    gx = -(x * ex + y * ey + k * (sig_y / sig_x * e - 1)) / d
    gy = (x * ex + y * ey + k * (sig_x / sig_y * e - 1)) / d
    return np.array([ex, ey, gx, gy])


@pytest.mark.parametrize("sigma_x, sigma_y", [(17e-6, 12e-6), (30e-6, 0.3e-6), (1e-3, 0.99e-3)])
def test_bassetti_erskine_field_with_scipys_faddeeva(kernels, sigma_x, sigma_y):
    # the kicks are differences of two w values: the kernel's field equals the formula
    # evaluated with scipy's w to ~1e-12 of the largest field (inside 10 sigma and far out)
    rng = np.random.default_rng(3)
    x = np.concatenate([rng.normal(0, 3 * sigma_x, 2000), rng.uniform(-100, 100, 200) * sigma_x])
    y = np.concatenate([rng.normal(0, 3 * sigma_y, 2000), rng.uniform(-100, 100, 200) * sigma_y])
    out = np.zeros(4 * len(x))
    kernels.bigaussian_field(n=len(x), sigma_x=sigma_x, sigma_y=sigma_y, x=x, y=y, out=out)
    got = out.reshape(-1, 4).T
    expected = _bassetti_erskine(x, y, sigma_x, sigma_y)
    for g, e in zip(got, expected):
        np.testing.assert_allclose(g, e, rtol=1e-11, atol=1e-12 * np.max(np.abs(e)))
