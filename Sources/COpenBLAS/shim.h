#ifndef EMOSCAN_COPENBLAS_SHIM_H
#define EMOSCAN_COPENBLAS_SHIM_H

// OpenBLAS's CBLAS, which also declares openblas_set_num_threads.
#include <cblas.h>

#endif
