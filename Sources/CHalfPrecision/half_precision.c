#include "half_precision.h"

#include <string.h>

// IEEE binary16 to binary32, subnormals, infinities and NaNs included.
static float widen(uint16_t h) {
    uint32_t sign = (uint32_t)(h & 0x8000) << 16, exponent = (h >> 10) & 0x1f, mantissa = h & 0x3ff, bits;
    if (exponent == 0x1f) {
        bits = sign | 0x7f800000 | (mantissa << 13);
    } else if (exponent != 0) {
        bits = sign | ((exponent + 112) << 23) | (mantissa << 13);
    } else if (mantissa == 0) {
        bits = sign;
    } else {
        exponent = 113;
        while (!(mantissa & 0x400)) { mantissa <<= 1; exponent--; }
        bits = sign | (exponent << 23) | ((mantissa & 0x3ff) << 13);
    }
    float f;
    memcpy(&f, &bits, sizeof f);
    return f;
}

static void matvec_portable(const uint16_t *w, size_t rows, size_t cols, const float *x, const float *bias, float *y) {
    for (size_t r = 0; r < rows; r++) {
        const uint16_t *row = w + r * cols;
        float sum = 0;
        for (size_t i = 0; i < cols; i++) sum += widen(row[i]) * x[i];
        y[r] = (bias ? bias[r] : 0) + sum;
    }
}

static void transposed_portable(const uint16_t *w, size_t rows, size_t cols, const float *v, float *y) {
    for (size_t i = 0; i < cols; i++) y[i] = 0;
    for (size_t r = 0; r < rows; r++) {
        const uint16_t *row = w + r * cols;
        for (size_t i = 0; i < cols; i++) y[i] += widen(row[i]) * v[r];
    }
}

#if defined(__x86_64__)
#include <immintrin.h>

__attribute__((target("avx2,f16c,fma")))
static void matvec_f16c(const uint16_t *w, size_t rows, size_t cols, const float *x, const float *bias, float *y) {
    for (size_t r = 0; r < rows; r++) {
        const uint16_t *row = w + r * cols;
        __m256 acc = _mm256_setzero_ps();
        size_t i = 0;
        for (; i + 8 <= cols; i += 8) {
            __m256 weights = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(row + i)));
            acc = _mm256_fmadd_ps(weights, _mm256_loadu_ps(x + i), acc);
        }
        __m128 half = _mm_add_ps(_mm256_castps256_ps128(acc), _mm256_extractf128_ps(acc, 1));
        half = _mm_hadd_ps(half, half);
        half = _mm_hadd_ps(half, half);
        float sum = _mm_cvtss_f32(half);
        for (; i < cols; i++) sum += widen(row[i]) * x[i];
        y[r] = (bias ? bias[r] : 0) + sum;
    }
}

__attribute__((target("avx2,f16c,fma")))
static void transposed_f16c(const uint16_t *w, size_t rows, size_t cols, const float *v, float *y) {
    for (size_t i = 0; i < cols; i++) y[i] = 0;
    for (size_t r = 0; r < rows; r++) {
        const uint16_t *row = w + r * cols;
        __m256 scale = _mm256_set1_ps(v[r]);
        size_t i = 0;
        for (; i + 8 <= cols; i += 8) {
            __m256 weights = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(row + i)));
            _mm256_storeu_ps(y + i, _mm256_fmadd_ps(weights, scale, _mm256_loadu_ps(y + i)));
        }
        for (; i < cols; i++) y[i] += widen(row[i]) * v[r];
    }
}

// The CPU model is read once at start-up (compiler-rt's constructor); testing its bits is cheap.
static int has_f16c(void) {
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("f16c");
}
#endif

void emoscan_half_matvec(const uint16_t *w, size_t rows, size_t cols, const float *x, const float *bias, float *y) {
#if defined(__x86_64__)
    if (has_f16c()) { matvec_f16c(w, rows, cols, x, bias, y); return; }
#endif
    matvec_portable(w, rows, cols, x, bias, y);
}

void emoscan_half_matvec_transposed(const uint16_t *w, size_t rows, size_t cols, const float *v, float *y) {
#if defined(__x86_64__)
    if (has_f16c()) { transposed_f16c(w, rows, cols, v, y); return; }
#endif
    transposed_portable(w, rows, cols, v, y);
}
