#ifndef EMOSCAN_CFFMPEG_SHIM_H
#define EMOSCAN_CFFMPEG_SHIM_H

#include <libavformat/avformat.h>
#include <libavcodec/avcodec.h>
#include <libswscale/swscale.h>
#include <libswresample/swresample.h>
#include <libavutil/avutil.h>
#include <libavutil/display.h>
#include <libavutil/error.h>
#include <libavutil/channel_layout.h>
#include <libavutil/imgutils.h>
#include <libavutil/opt.h>
#include <libavutil/sha.h>

// Swift imports neither function-like macros nor macros built from other macros:
// these inline functions give it the values it needs.

static inline int emoscan_averror(int errnum) { return AVERROR(errnum); }
static inline int emoscan_averror_eof(void) { return AVERROR_EOF; }
static inline int emoscan_averror_invaliddata(void) { return AVERROR_INVALIDDATA; }
static inline int64_t emoscan_nopts_value(void) { return AV_NOPTS_VALUE; }
static inline AVRational emoscan_time_base_q(void) { return AV_TIME_BASE_Q; }
static inline int emoscan_av_time_base(void) { return AV_TIME_BASE; }

#endif
