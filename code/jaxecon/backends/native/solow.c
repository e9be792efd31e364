/* The Solow law of motion k' = a s k^alpha + (1 - delta) k, iterated n times.
 *
 * Built two ways: as a program that prints k after 1000 steps from k0 = 0.2, and
 * (with -DSOLOW_LIBRARY) as a shared library whose solow() the Python package calls
 * through ctypes, so timings exclude process start-up. */
#include <math.h>

double solow(double k0, double s, double alpha, double delta, double a, long n)
{
    double k = k0;
    for (long i = 0; i < n; i++) {
        k = a * s * pow(k, alpha) + (1.0 - delta) * k;
    }
    return k;
}

#ifndef SOLOW_LIBRARY
#include <stdio.h>

int main(void)
{
    double k = solow(0.2, 0.3, 0.4, 0.1, 1.0, 1000);
    printf("k = %f\n", k);
    return 0;
}
#endif
