// Weights of a drift-kick-drift splitting of a thick element of length L into
// n kicks: drift d_0 L, kick k_0, drift d_1 L, ..., kick k_{n-1}, drift d_n L,
// with sum d_i = 1 and sum k_i = 1.
//
// Integrators (code: name):
//   0 'adaptive' = 2 'uniform': n equal slices, each drift/2-kick-drift/2
//      (end drifts 1/(2n), inner 1/n); the choice of the established
//      implementation for straight elements (as found for the magnets).
//   1 'teapot': TEAPOT splitting (L. Schachinger, R. Talman, "TEAPOT: a
//      thin-element accelerator program for optics and tracking", Part.
//      Accel. 22 (1987) 35): end drifts 1/(2(n+1)), inner drifts
//      n/((n+1)(n-1)), equal kicks 1/n; n = 1 is drift L/2, kick, drift L/2.
//   3 'yoshida-4', 4 'yoshida-6': fourth / sixth-order compositions of the
//      second-order drift-kick-drift step (H. Yoshida, Phys. Lett. A 150
//      (1990) 262, eq. 4.4 and solution A of table 1): a step has kicks
//      w_j and drifts (w_{j-1} + w_j)/2 (w_{-1} = w_last = 0 at the ends);
//      yoshida-4: w = x1, x0, x1 with x1 = 1/(2 - 2^(1/3)), x0 = -2^(1/3) x1;
//      yoshida-6: w = w3, w2, w1, w0, w1, w2, w3. The element is covered by
//      m = ceil(num_kicks / s) equal steps (s = 3 or 7 kicks per step).
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

// Kicks per step of the Yoshida compositions (0: not a Yoshida integrator).
GPUFUN int64_t _dkd_step_size(int64_t integrator){
    if (integrator == 3) return 3;
    if (integrator == 4) return 7;
    return 0;
}

// Kick weight j of one Yoshida step.
GPUFUN double _dkd_yoshida_weight(int64_t integrator, int64_t j){
    if (integrator == 3){
        double const x1 = 1.3512071919596578;   // 1 / (2 - 2^(1/3))
        double const x0 = -1.7024143839193153;  // -2^(1/3) / (2 - 2^(1/3))
        return j == 1 ? x0 : x1;
    }
    double const w1 = -1.17767998417887, w2 = 0.235573213359357, w3 = 0.784513610477560;
    double const w0 = 1. - 2. * (w1 + w2 + w3);
    int64_t const k = j < 4 ? j : 6 - j;  // symmetric: w3 w2 w1 w0 w1 w2 w3
    if (k == 0) return w3;
    if (k == 1) return w2;
    if (k == 2) return w1;
    return w0;
}

GPUFUN int64_t dkd_num_kicks(int64_t integrator, int64_t num_kicks){
    int64_t const s = _dkd_step_size(integrator);
    if (num_kicks < 1) num_kicks = 1;
    if (s > 0) return s * ((num_kicks + s - 1) / s);
    return num_kicks;
}

GPUFUN double dkd_kick_weight(int64_t integrator, int64_t n, int64_t i){
    int64_t const s = _dkd_step_size(integrator);
    if (s > 0) return _dkd_yoshida_weight(integrator, i % s) / (double)(n / s);
    return 1. / (double)n;
}

GPUFUN double dkd_drift_weight(int64_t integrator, int64_t n, int64_t i){
    double const dn = (double)n;
    int64_t const s = _dkd_step_size(integrator);
    if (s > 0){
        double const m = (double)(n / s);
        double const before = i > 0 ? _dkd_yoshida_weight(integrator, (i - 1) % s) : 0.;
        double const after = i < n ? _dkd_yoshida_weight(integrator, i % s) : 0.;
        return 0.5 * (before + after) / m;
    }
    if (integrator == 1){
        if (n == 1) return 0.5;
        if (i == 0 || i == n) return 1. / (2. * (dn + 1.));
        return dn / ((dn + 1.) * (dn - 1.));
    }
    if (i == 0 || i == n) return 0.5 / dn;
    return 1. / dn;
}

#endif  // XTRACK__DRIFT_KICK_SPLITTING_H
