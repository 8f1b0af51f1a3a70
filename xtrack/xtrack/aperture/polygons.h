// Boundary polygons of aperture profiles (structures.py): `len_points`
// points equally spaced in arc length, counter-clockwise, the last point
// repeating the first, and whether the profile is convex.
//   circle: exact angles 2 pi k / (n - 1) from (r, 0);
//   rectangle, octagon (from (w, 0)), polygon (from its first vertex):
//     walked along the counter-clockwise edges, every point exactly on an edge;
//   ellipse, rect-ellipse, racetrack: the boundary r(theta) of a convex shape
//     around the origin (ray intersection), arc length integrated over fine
//     steps in theta and each point put back on the boundary at its angle.
#ifndef XTRACK_APERTURE_POLYGONS_H
#define XTRACK_APERTURE_POLYGONS_H

#include "xobjects/headers/common.h"

#define XT_APER_PI 3.14159265358979323846

// distance from the origin to the boundary along (c, s) (first quadrant by symmetry)
GPUFUN double aper_profile_radius(int64_t code, const double* p, double c, double s){
    c = fabs(c); s = fabs(s);
    double r_ell = 1e300, r_rect = 1e300;
    if (code == 2 || code == 3){  // ellipse (code 2: half_major, half_minor; 3: params 2, 3)
        double const a = code == 2 ? p[0] : p[2], b = code == 2 ? p[1] : p[3];
        r_ell = 1. / sqrt((c / a) * (c / a) + (s / b) * (s / b));
        if (code == 2) return r_ell;
    }
    if (code == 3 || code == 4){
        if (c > 0.) r_rect = p[0] / c;
        if (s > 0. && p[1] / s < r_rect) r_rect = p[1] / s;
    }
    if (code == 3) return r_ell < r_rect ? r_ell : r_rect;
    // racetrack: edges |x| = w (|y| <= h - b), |y| = h (|x| <= w - a), corner
    // quarter ellipse centred at (w - a, h - b) with semi-axes a, b
    double const w = p[0], h = p[1], a = p[2], b = p[3];
    if (c * r_rect <= w - a + 1e-15 * w || s * r_rect <= h - b + 1e-15 * h) return r_rect;
    double const x0 = w - a, y0 = h - b;
    // ((t c - x0)/a)^2 + ((t s - y0)/b)^2 = 1, larger root
    double const qa = (c / a) * (c / a) + (s / b) * (s / b);
    double const qb = -2. * (c * x0 / (a * a) + s * y0 / (b * b));
    double const qc = (x0 / a) * (x0 / a) + (y0 / b) * (y0 / b) - 1.;
    return (-qb + sqrt(qb * qb - 4. * qa * qc)) / (2. * qa);
}

GPUFUN void aper_polygon_walk(const double* v, int64_t nv, int64_t reversed, double* points,
                              int64_t len_points){
    double perimeter = 0.;
    for (int64_t i = 0; i < nv; i++){
        int64_t const j = (i + 1) % nv;
        perimeter += hypot(v[2 * j] - v[2 * i], v[2 * j + 1] - v[2 * i + 1]);
    }
    double const ds = perimeter / (double)(len_points - 1);
    int64_t edge = 0;
    double s_edge = 0.;  // arc length at the start of `edge`
    for (int64_t k = 0; k < len_points - 1; k++){
        double const s = ds * (double)k;
        while (1){
            int64_t const i0 = reversed ? (nv - edge) % nv : edge;
            int64_t const i1 = reversed ? (nv - edge - 1 + nv) % nv : (edge + 1) % nv;
            double const ex = v[2 * i1] - v[2 * i0], ey = v[2 * i1 + 1] - v[2 * i0 + 1];
            double const le = hypot(ex, ey);
            if (s <= s_edge + le || edge == nv - 1){
                double const f = le > 0. ? (s - s_edge) / le : 0.;
                points[2 * k] = v[2 * i0] + f * ex;
                points[2 * k + 1] = v[2 * i0 + 1] + f * ey;
                break;
            }
            s_edge += le;
            edge++;
        }
    }
}

/*gpukern*/ void build_polygon_for_profile(ProfileData profile, /*gpuglmem*/ double* points,
                                           int64_t len_points, /*gpuglmem*/ int8_t* out_is_convex){
    int64_t const code = ProfileData_get_shape_code(profile);
    double p[4];
    for (int64_t i = 0; i < 4; i++) p[i] = ProfileData_get_params(profile, i);
    int64_t const n = len_points;
    out_is_convex[0] = 1;
    if (code == 0){
        for (int64_t k = 0; k < n - 1; k++){
            double const t = 2. * XT_APER_PI * (double)k / (double)(n - 1);
            points[2 * k] = p[0] * cos(t);
            points[2 * k + 1] = p[0] * sin(t);
        }
    }
    else if (code == 1 || code == 5){
        double v[18];
        int64_t nv;
        double const w = p[0], h = p[1];
        if (code == 1){
            // from (w, 0), a point of symmetry: the samples are symmetric too
            double const r[10] = {w, 0., w, h, -w, h, -w, -h, w, -h};
            for (int64_t i = 0; i < 10; i++) v[i] = r[i];
            nv = 5;
        }
        else {
            double const d = sqrt(2.) * p[2];
            double const r[18] = {w, 0., w, d - w, d - h, h, -(d - h), h,
                                  -w, d - w, -w, -(d - w), -(d - h), -h, d - h, -h, w, -(d - w)};
            for (int64_t i = 0; i < 18; i++) v[i] = r[i];
            nv = 9;
        }
        aper_polygon_walk(v, nv, 0, points, n);
    }
    else if (code == 6){
        int64_t const nv = ProfileData_len_vertices(profile) / 2;
        double const* v = ProfileData_getp1_vertices(profile, 0);
        double area2 = 0.;
        int64_t sign = 0, convex = 1;
        for (int64_t i = 0; i < nv; i++){
            int64_t const j = (i + 1) % nv, l = (i + 2) % nv;
            area2 += v[2 * i] * v[2 * j + 1] - v[2 * j] * v[2 * i + 1];
            double const cross = (v[2 * j] - v[2 * i]) * (v[2 * l + 1] - v[2 * j + 1])
                                 - (v[2 * j + 1] - v[2 * i + 1]) * (v[2 * l] - v[2 * j]);
            int64_t const sg = cross > 0. ? 1 : (cross < 0. ? -1 : 0);
            if (sg != 0){
                if (sign != 0 && sg != sign) convex = 0;
                sign = sg;
            }
        }
        out_is_convex[0] = (int8_t)convex;
        aper_polygon_walk(v, nv, area2 < 0., points, n);
    }
    else {
        int64_t const m = 64 * n > 20000 ? 64 * n : 20000;
        double const dt = 2. * XT_APER_PI / (double)m;
        double perimeter = 0.;
        double xp = aper_profile_radius(code, p, 1., 0.), yp = 0.;
        for (int64_t i = 1; i <= m; i++){
            double const c = cos(dt * i), s = sin(dt * i);
            double const r = aper_profile_radius(code, p, c, s);
            perimeter += hypot(r * c - xp, r * s - yp);
            xp = r * c; yp = r * s;
        }
        double const ds = perimeter / (double)(n - 1);
        points[0] = aper_profile_radius(code, p, 1., 0.);
        points[1] = 0.;
        int64_t k = 1;
        double s_acc = 0.;
        xp = points[0]; yp = 0.;
        for (int64_t i = 1; i <= m && k < n - 1; i++){
            double const c = cos(dt * i), s = sin(dt * i);
            double const r = aper_profile_radius(code, p, c, s);
            double const step = hypot(r * c - xp, r * s - yp);
            while (k < n - 1 && s_acc + step >= ds * (double)k){
                double const t = dt * ((double)(i - 1) + (ds * (double)k - s_acc) / step);
                double const rt = aper_profile_radius(code, p, cos(t), sin(t));
                points[2 * k] = rt * cos(t);
                points[2 * k + 1] = rt * sin(t);
                k++;
            }
            s_acc += step;
            xp = r * c; yp = r * s;
        }
        for (; k < n - 1; k++){ points[2 * k] = points[0]; points[2 * k + 1] = points[1]; }
    }
    points[2 * (n - 1)] = points[0];
    points[2 * (n - 1) + 1] = points[1];
}

#endif  // XTRACK_APERTURE_POLYGONS_H
