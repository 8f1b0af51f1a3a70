"""Benchmark of the xfields collective elements (issue "xfields: beam-beam, space charge, IBS").

Figures, each as particles per second and as a ratio to the same work
written with numpy arrays in the same run (the numpy versions are checked to
give the element's numbers, so that the ratio compares like with like):
- one SpaceCharge3D step (update_on_track: deposit, FFTSolver2p5D solve,
  gradient, interpolation and kick) of 10^6 macro-particles on a
  128 x 128 x 64 grid;
- 10^6 particles through a BeamBeamBiGaussian3D of 10 slices with a
  crossing angle (boost, 10 synchro-beam kicks with energy change, inverse boost);
- the field under it alone: E_x, E_y, dE_x/dx, dE_y/dy of a flat Gaussian
  (Bassetti-Erskine, two Faddeeva function values each) at 10^6 points, the
  numpy version with scipy.special.wofz.

Usage: ``python tools/bench_xfields.py [--num-particles N] [--repeats R] [--threads T]``
(``--threads`` > 0 also times the OpenMP context with that many threads.)
"""

import argparse
import time

import numpy as np
from scipy.constants import e as QELEM
from scipy.special import wofz

PROTON_MASS = 938272088.16
# constants of the beam-beam kernel (its reference data use CODATA 2014)
XF_QELEM, XF_EPSILON_0 = 1.60217662e-19, 8.854187817620e-12


def _best(func, repeats):
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = func()
        times.append(time.perf_counter() - t0)
    return min(times), out


# ------------------------------------------------------------------ space charge
def _sc_bunch(n, sigma_x, sigma_y, sigma_z, context=None):
    import xtrack as xt

    rng = np.random.default_rng(0)
    return xt.Particles(_context=context, p0c=2e9, mass0=PROTON_MASS,
                        x=rng.normal(0, sigma_x, n), y=rng.normal(0, sigma_y, n),
                        zeta=rng.normal(0, sigma_z, n), weight=1e11 / n)


def numpy_spacecharge_step(fmap, green_rhat, x, y, z, weight, q_per_weight, factor):
    """(dpx, dpy, dpzeta) of one PIC step in numpy: the element's algorithm, array by array.

    `green_rhat`: real FFT of the integrated Green function on the doubled
    grid, shape (2 nx, ny + 1, 1) (computed once, as the element's solver does).
    """
    nx, ny, nz = fmap.shape
    ux, uy, uz = ((c - c0) / d for c, c0, d in ((x, fmap.x_min, fmap.dx), (y, fmap.y_min, fmap.dy),
                                                  (z, fmap.z_min, fmap.dz)))
    ix, iy, iz = np.floor(ux).astype(np.int64), np.floor(uy).astype(np.int64), np.floor(uz).astype(np.int64)
    inside = (ix >= 0) & (iy >= 0) & (iz >= 0) & (ix < nx - 1) & (iy < ny - 1) & (iz < nz - 1)
    ix, iy, iz = ix[inside], iy[inside], iz[inside]
    fx, fy, fz = ux[inside] - ix, uy[inside] - iy, uz[inside] - iz
    base = ix + nx * (iy + ny * iz)
    corners = []
    for corner in range(8):
        cx, cy, cz = corner & 1, (corner >> 1) & 1, (corner >> 2) & 1
        w = (fx if cx else 1 - fx) * (fy if cy else 1 - fy) * (fz if cz else 1 - fz)
        corners.append((base + cx + cy * nx + cz * nx * ny, w))
    q = q_per_weight * weight[inside] / (fmap.dx * fmap.dy * fmap.dz)
    rho = np.zeros(nx * ny * nz)
    for index, w in corners:
        rho += np.bincount(index, weights=q * w, minlength=nx * ny * nz)
    padded = np.zeros((2 * nx, 2 * ny, nz))
    padded[:nx, :ny, :] = rho.reshape((nx, ny, nz), order="F")
    phi = np.fft.irfft2(np.fft.rfft2(padded, axes=(0, 1)) * green_rhat, s=(2 * nx, 2 * ny),
                        axes=(0, 1))[:nx, :ny, :]
    grads = [np.gradient(phi, d, axis=a).ravel(order="F") for a, d in enumerate((fmap.dx, fmap.dy, fmap.dz))]
    kicks = []
    for grad in grads:
        value = np.zeros(len(x))
        value[inside] = sum(w * grad[index] for index, w in corners)
        kicks.append(-factor * value)
    return kicks


def bench_spacecharge(n, repeats, context=None):
    import xobjects as xo
    import xfields as xf

    sigma_x, sigma_y, sigma_z = 2e-3, 1e-3, 0.3
    pic = xf.SpaceCharge3D(_context=context, length=10.0, update_on_track=True, apply_z_kick=True,
                           x_range=(-6 * sigma_x, 6 * sigma_x), y_range=(-6 * sigma_y, 6 * sigma_y),
                           z_range=(-4 * sigma_z, 4 * sigma_z), nx=128, ny=128, nz=64,
                           solver="FFTSolver2p5D")
    bunch = _sc_bunch(n, sigma_x, sigma_y, sigma_z, context)
    pic.track(bunch.copy())  # compile and warm the FFT plan
    copies = [bunch.copy() for _ in range(repeats)]
    t_el, _ = _best(lambda: pic.track(copies.pop()), repeats)
    tracked = bunch.copy()
    pic.track(tracked)
    tracked = tracked.copy(_context=xo.ContextCpu())
    host = bunch.copy(_context=xo.ContextCpu())
    beta0, gamma0 = host.beta0[0], host.gamma0[0]
    factor = 10.0 * (1 - beta0 ** 2) / (PROTON_MASS * gamma0 * beta0 ** 2)
    from xfields.fields._integrated_green import integrated_green_2d

    fmap = pic.fieldmap
    green_rhat = np.fft.rfft2(integrated_green_2d(fmap.dx, fmap.dy, fmap.nx, fmap.ny))[:, :, None]
    x, y, z, w = (np.asarray(getattr(host, a)).copy() for a in ("x", "y", "zeta", "weight"))
    t_np, (dpx, dpy, dpz) = _best(lambda: numpy_spacecharge_step(fmap, green_rhat, x, y, z, w, QELEM, factor),
                                  repeats)
    dev = max(np.max(np.abs(tracked.px - host.px - dpx)) / np.max(np.abs(dpx)),
              np.max(np.abs(tracked.py - host.py - dpy)) / np.max(np.abs(dpy)))
    return n / t_el, n / t_np, dev


# -------------------------------------------------------------------- beam-beam
def _bb_element(context=None):
    import xfields as xf

    n_slices = 10
    zc = np.linspace(-2, 2, n_slices) * 0.08
    return xf.BeamBeamBiGaussian3D(
        _context=context, phi=150e-6, alpha=0.0, other_beam_q0=1.0,
        slices_other_beam_num_particles=np.full(n_slices, 1.2e10),
        slices_other_beam_zeta_center=zc,
        slices_other_beam_Sigma_11=(17e-6) ** 2, slices_other_beam_Sigma_12=0.0,
        slices_other_beam_Sigma_22=(30e-6) ** 2, slices_other_beam_Sigma_33=(12e-6) ** 2,
        slices_other_beam_Sigma_34=0.0, slices_other_beam_Sigma_44=(40e-6) ** 2)


def _bb_particles(n, context=None):
    import xtrack as xt

    rng = np.random.default_rng(1)
    return xt.Particles(_context=context, p0c=7e12, mass0=PROTON_MASS, x=rng.normal(0, 17e-6, n),
                        px=rng.normal(0, 30e-6, n), y=rng.normal(0, 12e-6, n),
                        py=rng.normal(0, 40e-6, n), zeta=rng.normal(0, 0.08, n),
                        delta=rng.normal(0, 1e-4, n))


def _be_field(x, y, sig_x, sig_y):
    """E_x, E_y, dE_x/dx, dE_y/dy of a Gaussian of 1 C/m (Bassetti-Erskine, sigma_x > sigma_y)."""
    s = np.sqrt(2 * (sig_x ** 2 - sig_y ** 2))
    ax, ay = np.abs(x), np.abs(y)
    e = np.exp(-ax ** 2 / (2 * sig_x ** 2) - ay ** 2 / (2 * sig_y ** 2))
    w = (wofz((ax + 1j * ay) / s) - e * wofz((ax * sig_y / sig_x + 1j * ay * sig_x / sig_y) / s))
    w /= 2 * XF_EPSILON_0 * np.sqrt(np.pi) * s
    ex, ey = np.sign(x) * w.imag, np.sign(y) * w.real
    k = 1 / (2 * np.pi * XF_EPSILON_0)
    d = sig_x ** 2 - sig_y ** 2
    gx = -(x * ex + y * ey + k * (sig_y / sig_x * e - 1)) / d
    gy = (x * ex + y * ey + k * (sig_x / sig_y * e - 1)) / d
    return ex, ey, gx, gy


def numpy_beambeam3d(el, x, px, y, py, zeta, delta, q_over_p0c):
    """Hirata's boost (alpha = 0), the slice kicks with energy change, the inverse boost."""
    sphi, cphi, tphi = np.sin(el.phi), np.cos(el.phi), np.tan(el.phi)
    h = 1 + delta - np.sqrt((1 + delta) ** 2 - px ** 2 - py ** 2)
    px_s, py_s = (px - h * tphi) / cphi, py / cphi
    d_s = delta - px * tphi + h * tphi ** 2
    pz = np.sqrt((1 + d_s) ** 2 - px_s ** 2 - py_s ** 2)
    hx, hy, hs = px_s / pz, py_s / pz, 1 - (1 + d_s) / pz
    x, y, zeta = tphi * zeta + (1 + hx * sphi) * x, y + hy * sphi * x, zeta / cphi + hs * sphi * x
    px, py, delta = px_s, py_s, d_s
    st = {k: np.asarray(getattr(el, f"slices_other_beam_{k}_star"))
          for k in ("zeta_center", "x_center", "y_center", "px_center", "py_center", "Sigma_11",
                    "Sigma_12", "Sigma_22", "Sigma_33", "Sigma_34", "Sigma_44")}
    for i, npart in enumerate(np.asarray(el.slices_other_beam_num_particles)):
        q = q_over_p0c * npart * XF_QELEM
        s = 0.5 * (zeta - st["zeta_center"][i])
        s11 = st["Sigma_11"][i] + 2 * st["Sigma_12"][i] * s + st["Sigma_22"][i] * s ** 2
        s33 = st["Sigma_33"][i] + 2 * st["Sigma_34"][i] * s + st["Sigma_44"][i] * s ** 2
        ds11 = 2 * st["Sigma_12"][i] + 2 * st["Sigma_22"][i] * s
        ds33 = 2 * st["Sigma_34"][i] + 2 * st["Sigma_44"][i] * s
        pxc, pyc = st["px_center"][i], st["py_center"][i]
        dx = x + px * s - (st["x_center"][i] + pxc * s)
        dy = y + py * s - (st["y_center"][i] + pyc * s)
        ex, ey, gx, gy = _be_field(dx, dy, np.sqrt(s11), np.sqrt(s33))
        fx, fy = q * ex, q * ey
        dpot = -0.5 * gx * ds11 - 0.5 * gy * ds33 + ex * pxc + ey * pyc
        delta = delta - 0.5 * q * dpot + 0.5 * fx * (px + 0.5 * fx) + 0.5 * fy * (py + 0.5 * fy)
        x, y, px, py = x - s * fx, y - s * fy, px + fx, py + fy
    # inverse boost (alpha = 0)
    pz = np.sqrt((1 + delta) ** 2 - px ** 2 - py ** 2)
    hx, hy, hs = px / pz, py / pz, 1 - (1 + delta) / pz
    det = 1 / cphi + (hx - hs * sphi) * tphi
    x, y, zeta = ((x / cphi - tphi * zeta) / det,
                  (-hy * tphi * x + (1 / cphi + tphi * (hx - hs * sphi)) * y
                   - tphi * (-hy * sphi) * zeta) / det,
                  (-hs * sphi * x + (1 + hx * sphi) * zeta) / det)
    h = (1 + delta - pz) * cphi ** 2
    px0 = px * cphi + h * tphi
    return x, px0, y, py * cphi, zeta, delta + px0 * tphi - h * tphi ** 2


def bench_beambeam(n, repeats, context=None):
    import xobjects as xo

    el = _bb_element(context)
    p = _bb_particles(n, context)
    el.track(_bb_particles(100, context))  # compile
    copies = [p.copy() for _ in range(repeats)]
    t_el, _ = _best(lambda: el.track(copies.pop()), repeats)
    tracked = p.copy()
    el.track(tracked)
    tracked = tracked.copy(_context=xo.ContextCpu())
    host = p.copy(_context=xo.ContextCpu())
    coords = [np.asarray(getattr(host, a)).copy() for a in ("x", "px", "y", "py", "zeta", "delta")]
    t_np, out = _best(lambda: numpy_beambeam3d(el, *coords, 1.0 / host.p0c[0]), repeats)
    # deviation of the changes (the kicks), relative to the largest change; zeta is only
    # round-off of the boost and back
    dev = max(np.max(np.abs(np.asarray(getattr(tracked, a)) - o)) / np.max(np.abs(o - c))
              for a, o, c in zip(("x", "px", "y", "py", "zeta", "delta"), out, coords) if a != "zeta")
    return n / t_el, n / t_np, dev


# ------------------------------------------------------------ field (Faddeeva)
_FIELD_SRC = """
#include "xfields/fields/_bigaussian_field.h"
/*gpukern*/ void bench_bigaussian_field(const int64_t n, const double sigma_x, const double sigma_y,
        /*gpuglmem*/ const double* x, /*gpuglmem*/ const double* y, /*gpuglmem*/ double* out) {
    for (int64_t ii = 0; ii < n; ii++) { //vectorize_over ii n
        XF_bigaussian_field(x[ii], y[ii], sigma_x, sigma_y, 1e-10,
                            &out[4 * ii], &out[4 * ii + 1], &out[4 * ii + 2], &out[4 * ii + 3]);
    }//end_vectorize
}
"""


def bench_field(n, repeats, context=None):
    import xobjects as xo

    context = context or xo.ContextCpu()
    arr, out = dict(pointer=True, const=True), dict(pointer=True)
    context.add_kernels(sources=[_FIELD_SRC], kernels={"bench_bigaussian_field": xo.Kernel(args=[
        xo.Arg(xo.Int64, name="n"), xo.Arg(xo.Float64, name="sigma_x"), xo.Arg(xo.Float64, name="sigma_y"),
        xo.Arg(xo.Float64, name="x", **arr), xo.Arg(xo.Float64, name="y", **arr),
        xo.Arg(xo.Float64, name="out", **out)], n_threads="n")})
    sigma_x, sigma_y = 17e-6, 12e-6  # the beam-beam benchmark's slices
    rng = np.random.default_rng(2)
    x, y = rng.normal(0, sigma_x, n), rng.normal(0, sigma_y, n)
    x_ctx, y_ctx = context.nparray_to_context_array(x), context.nparray_to_context_array(y)
    res = context.zeros(4 * n, dtype=np.float64)

    def run():
        context.kernels.bench_bigaussian_field(n=n, sigma_x=sigma_x, sigma_y=sigma_y, x=x_ctx, y=y_ctx,
                                               out=res)
        context.synchronize()

    t_el, _ = _best(run, repeats)
    got = context.nparray_from_context_array(res).reshape(-1, 4).T
    t_np, expected = _best(lambda: _be_field(x, y, sigma_x, sigma_y), repeats)
    dev = max(np.max(np.abs(g - e)) / np.max(np.abs(e)) for g, e in zip(got, expected))
    return n / t_el, n / t_np, dev


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--num-particles", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--threads", type=int, default=0, help="also time ContextCpu(omp_num_threads=T)")
    args = parser.parse_args()
    import xobjects as xo

    contexts = [("ContextCpu", None)]
    if args.threads > 0:
        contexts.append((f"ContextCpu(omp_num_threads={args.threads})",
                         xo.ContextCpu(omp_num_threads=args.threads)))
    n = args.num_particles
    print(f"{n:,} particles, best of {args.repeats}")
    for label, bench in (("SpaceCharge3D step, 128x128x64 grid, FFTSolver2p5D", bench_spacecharge),
                         ("BeamBeamBiGaussian3D, 10 slices, phi = 150 urad", bench_beambeam),
                         ("Bassetti-Erskine field and gradients (2 Faddeeva values each)", bench_field)):
        for name, ctx in contexts:
            rate, rate_np, dev = bench(n, args.repeats, ctx)
            print(f"{label} [{name}]: {rate:,.0f} particles/s; numpy {rate_np:,.0f} particles/s; "
                  f"ratio {rate / rate_np:.1f}x; max relative deviation from numpy {dev:.1e}")


if __name__ == "__main__":
    main()
