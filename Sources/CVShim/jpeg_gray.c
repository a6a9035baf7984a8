// JPEG to 8-bit gray with libjpeg(-turbo): the decoder OpenCV's imread and therefore fer use.
// FFmpeg's own JPEG decoder differs from it by ±1 on some pixels, enough to flip a borderline
// prediction on 48×48 crops, so face crops that are scored against fer's numbers read through here.

#include "cvshim.h"

#include <setjmp.h>
#include <stdio.h>  // before jpeglib.h, which uses FILE without including it
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>

typedef struct {
    struct jpeg_error_mgr base;
    jmp_buf escape;
} escaping_error_mgr;

static void escape_on_error(j_common_ptr info) {
    longjmp(((escaping_error_mgr *)info->err)->escape, 1);
}

static void quiet(j_common_ptr info) { (void)info; }

int cvs_read_jpeg_gray(const char *path, uint8_t **pixels, int *width, int *height, cvs_error *err) {
    *pixels = NULL;
    FILE *file = fopen(path, "rb");
    if (!file) {
        err->code = 6;
        snprintf(err->message, CVS_ERR_MESSAGE_SIZE, "cannot open %s", path);
        return err->code;
    }
    struct jpeg_decompress_struct info;
    escaping_error_mgr errors;
    info.err = jpeg_std_error(&errors.base);
    errors.base.error_exit = escape_on_error;
    errors.base.output_message = quiet;
    uint8_t *volatile out = NULL;
    if (setjmp(errors.escape)) {
        errors.base.format_message((j_common_ptr)&info, err->message);
        err->code = 7;
        jpeg_destroy_decompress(&info);
        fclose(file);
        free(out);
        return err->code;
    }
    jpeg_create_decompress(&info);
    jpeg_stdio_src(&info, file);
    jpeg_read_header(&info, TRUE);
    info.out_color_space = JCS_GRAYSCALE;
    jpeg_start_decompress(&info);
    size_t stride = info.output_width;
    out = malloc(stride * info.output_height);
    if (!out) longjmp(errors.escape, 1);
    while (info.output_scanline < info.output_height) {
        JSAMPROW row = out + stride * info.output_scanline;
        jpeg_read_scanlines(&info, &row, 1);
    }
    jpeg_finish_decompress(&info);
    *width = (int)info.output_width;
    *height = (int)info.output_height;
    jpeg_destroy_decompress(&info);
    fclose(file);
    *pixels = out;
    err->code = 0;
    err->message[0] = '\0';
    return 0;
}

void cvs_free(void *pointer) { free(pointer); }
