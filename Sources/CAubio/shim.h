#ifndef EMOSCAN_CAUBIO_SHIM_H
#define EMOSCAN_CAUBIO_SHIM_H

// Only the pitch tracker and the vectors it takes: aubio.h would also pull in its file I/O.
#include <aubio/types.h>
#include <aubio/fvec.h>
#include <aubio/pitch/pitch.h>

#endif
