// Physical and mathematical constants used by the xtrack kernels.
// CODATA 2018 values, as in scipy.constants (the Python side uses those).
#ifndef XTRACK_HEADERS_CONSTANTS_H
#define XTRACK_HEADERS_CONSTANTS_H

#define C_LIGHT 299792458.0            // [m/s] speed of light in vacuum
#define QELEM 1.602176634e-19          // [C] elementary charge
#define EPSILON_0 8.8541878128e-12     // [F/m] vacuum permittivity
#define MU_0 1.25663706212e-06         // [H/m] vacuum permeability
#define MASS_ELECTRON 9.1093837015e-31 // [kg] electron mass
#define PI 3.141592653589793
#define DEG2RAD 0.017453292519943295   // pi / 180
#define RAD2DEG 57.29577951308232      // 180 / pi
#define SQRT_PI 1.7724538509055159
#define POW2(X) ((X) * (X))
#define POW3(X) ((X) * (X) * (X))
#define POW4(X) ((X) * (X) * (X) * (X))

#endif  // XTRACK_HEADERS_CONSTANTS_H
