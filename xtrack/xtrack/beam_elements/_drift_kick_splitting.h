// Weights of a drift-kick-drift splitting of a thick element of length L into
// n kicks: drift d_0 L, kick k_0, drift d_1 L, ..., kick k_{n-1}, drift d_n L,
// with sum d_i = 1 and sum k_i = 1.
//
// Integrators (code: name):
//   0 'adaptive' = 1 'teapot': TEAPOT splitting (L. Schachinger, R. Talman,
//      "TEAPOT: a thin-element accelerator program for optics and tracking",
//      Part. Accel. 22 (1987) 35): end drifts 1/(2(n+1)), inner drifts
//      n/((n+1)(n-1)), equal kicks 1/n; n = 1 is drift L/2, kick, drift L/2.
//   2 'uniform': n equal slices, each drift/2-kick-drift/2 (end drifts
//      1/(2n), inner 1/n).
//   3 'yoshida-4': fourth-order composition of the second-order
//      drift-kick-drift step (H. Yoshida, Phys. Lett. A 150 (1990) 262,
//      eq. 4.4): x1 = 1/(2 - 2^(1/3)), x0 = -2^(1/3) x1; one step has kicks
//      x1, x0, x1 and drifts x1/2, (x0+x1)/2, (x0+x1)/2, x1/2; the element is
//      covered by m = ceil(num_kicks / 3) equal steps (3 m kicks).
// num_kicks <= 0 counts as 1.
//
// Functions:
//   GPUFUN int64_t dkd_num_kicks(int64_t integrator, int64_t num_kicks);
//   GPUFUN double dkd_kick_weight(int64_t integrator, int64_t n, int64_t i);
//   GPUFUN double dkd_drift_weight(int64_t integrator, int64_t n, int64_t i);
// where n = dkd_num_kicks(...), kick index 0 <= i < n, drift 0 <= i <= n.
#ifndef XTRACK__DRIFT_KICK_SPLITTING_H
#define XTRACK__DRIFT_KICK_SPLITTING_H

#include "xtrack/headers/track.h"

#define DKD_YOSHIDA4_X1 1.3512071919596578   // 1 / (2 - 2^(1/3))
#define DKD_YOSHIDA4_X0 -1.7024143839193153  // -2^(1/3) / (2 - 2^(1/3))

GPUFUN int64_t dkd_num_kicks(int64_t integrator, int64_t num_kicks){
    if (num_kicks < 1) num_kicks = 1;
    if (integrator == 3) return 3 * ((num_kicks + 2) / 3);
    return num_kicks;
}

GPUFUN double dkd_kick_weight(int64_t integrator, int64_t n, int64_t i){
    if (integrator == 3){
        double const m = (double)(n / 3);
        return ((i % 3) == 1 ? DKD_YOSHIDA4_X0 : DKD_YOSHIDA4_X1) / m;
    }
    return 1. / (double)n;
}

GPUFUN double dkd_drift_weight(int64_t integrator, int64_t n, int64_t i){
    double const dn = (double)n;
    if (integrator == 3){
        double const m = (double)(n / 3);
        int64_t const j = i % 3;
        if (i == 0 || i == n) return 0.5 * DKD_YOSHIDA4_X1 / m;
        if (j == 0) return DKD_YOSHIDA4_X1 / m;  // two half drifts of adjacent steps
        return 0.5 * (DKD_YOSHIDA4_X0 + DKD_YOSHIDA4_X1) / m;
    }
    if (integrator == 2){
        if (i == 0 || i == n) return 0.5 / dn;
        return 1. / dn;
    }
    if (n == 1) return 0.5;
    if (i == 0 || i == n) return 1. / (2. * (dn + 1.));
    return dn / ((dn + 1.) * (dn - 1.));
}

#endif  // XTRACK__DRIFT_KICK_SPLITTING_H
