#ifndef EMOSCAN_HALF_PRECISION_H
#define EMOSCAN_HALF_PRECISION_H

#include <stddef.h>
#include <stdint.h>

// Matrix-vector products over IEEE float16 weights (stored as their bits), in float32.
// A single decoder query multiplies each weight once, so widening them as they are read beats
// keeping a float32 copy; this is where that widening runs at memory speed (F16C on x86-64)
// instead of one library call per weight.

/// y[r] = bias[r] + sum_i w[r * cols + i] * x[i], for r in 0..<rows (bias may be NULL).
void emoscan_half_matvec(const uint16_t *w, size_t rows, size_t cols, const float *x, const float *bias, float *y);

/// y[i] = sum_r w[r * cols + i] * v[r], for i in 0..<cols: the transposed product.
void emoscan_half_matvec_transposed(const uint16_t *w, size_t rows, size_t cols, const float *v, float *y);

#endif
