// Amazon Linux 2023 (Lambda's provided.al2023) has glibc 2.34. Linked on Debian 12 (glibc 2.36), the only
// symbol that a bootstrap would need from a newer glibc is `hypotf@GLIBC_2.35`: Swift's static Glibc module
// refers to hypotf, and glibc 2.35 gave hypotf a new symbol version. A definition in the executable itself
// satisfies that reference at link time, so the bootstrap asks libm for no hypotf at all; scripts/package
// checks every file of a package with `objdump -T` and refuses one that needs more than glibc 2.34.
//
// hypotf is computed in double precision: the squares of any two finite floats are finite and exact enough in
// a double that the rounded square root is the correctly rounded float result in all but rare ties, and
// infinities win over NaN as C requires (hypot(±inf, NaN) is +inf).

#include "GlibcCompat.h"

#include <math.h>

float hypotf(float x, float y) {
    if (isinf(x) || isinf(y)) {
        return INFINITY;
    }
    double dx = (double)x;
    double dy = (double)y;
    return (float)sqrt(dx * dx + dy * dy);
}
