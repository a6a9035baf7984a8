#ifndef EMOSCAN_CVSHIM_H
#define EMOSCAN_CVSHIM_H

// A plain-C face on the few OpenCV calls emoscan makes. Every function catches OpenCV's C++
// exceptions and reports them as a non-zero return code with a message in `err`, so no exception
// ever unwinds into Swift (which would abort the process).

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum { CVS_ERR_MESSAGE_SIZE = 256 };

/// An error from a shim call: `code` 0 means success.
typedef struct {
    int code;
    char message[CVS_ERR_MESSAGE_SIZE];
} cvs_error;

/// A borrowed 8-bit single-channel image (row-major, `stride` bytes per row).
typedef struct {
    const uint8_t *pixels;
    int width;
    int height;
    int stride;
} cvs_gray;

typedef struct {
    int x, y, width, height;
} cvs_rect;

// MARK: Image metrics

/// Mean gray level inside `roi`, and the variance of its Laplacian (a focus measure) unless
/// `laplacian_variance` is NULL: the Laplacian costs far more than the mean.
int cvs_image_metrics(cvs_gray image, cvs_rect roi, double *laplacian_variance, double *mean_gray, cvs_error *err);

/// Bilinear resize of `image` to `size`×`size`, scaled from [0, 255] to [-1, 1] into `out` (size*size floats).
int cvs_gray_to_tensor(cvs_gray image, int size, float *out, cvs_error *err);

// MARK: Haar cascade face detection

typedef struct cvs_cascade cvs_cascade;

cvs_cascade *cvs_cascade_load(const char *path, cvs_error *err);
void cvs_cascade_free(cvs_cascade *cascade);

/// Detects faces in `region` of `image` (all of it when the region is empty), scaled by
/// `detect_width / image.width` (never up), returning boxes in the image's coordinates.
/// `min_size` and `max_size` (0: no limit) are in the image's pixels. Writes at most `capacity`
/// boxes and the number found (which may exceed capacity) in `count`.
int cvs_cascade_detect(cvs_cascade *cascade, cvs_gray image, cvs_rect region, int detect_width, double scale_factor,
                       int min_neighbors, int min_size, int max_size, cvs_rect *boxes, int capacity, int *count,
                       cvs_error *err);

// MARK: DNN (ONNX)

typedef struct cvs_net cvs_net;

cvs_net *cvs_net_load_onnx(const char *path, cvs_error *err);
void cvs_net_free(cvs_net *net);

/// Turns off OpenCV's layer fusion: with it, OpenCV 4.6 gives wrong outputs for some graphs
/// (CenterFace's) once the input's size has changed.
void cvs_net_disable_fusion(cvs_net *net);

/// Runs the network on one float tensor of `dims` dimensions `shape` and copies the flattened
/// first output into `out`. `count` receives the output's element count (which may exceed `capacity`).
int cvs_net_forward(cvs_net *net, const float *input, const int *shape, int dims, float *out, int capacity,
                    int *count, cvs_error *err);

/// The face whose eyes' midpoint is (`eye_x`, `eye_y`) and whose eye line is `angle` degrees
/// from horizontal, turned level and cut as a square of `side` pixels with the eyes' midpoint at
/// half its width and `eye_height` of its height (outside the frame: the nearest edge pixel),
/// as a `size` × `size` tensor scaled to [-1, 1] like `cvs_gray_to_tensor`'s.
int cvs_aligned_face_tensor(cvs_gray image, double eye_x, double eye_y, double angle, double side,
                            double eye_height, int size, float *out, cvs_error *err);

/// Runs the network on one float tensor and copies each of the `n` outputs `names`, flattened,
/// one after another into `out`; `counts[i]` receives output i's element count. Fails when they
/// hold more than `capacity` values in all.
int cvs_net_forward_outputs(cvs_net *net, const float *input, const int *shape, int dims, const char *const *names,
                            int n, float *out, int capacity, int *counts, cvs_error *err);

/// `region` of `image` (outside the image: black) resized bilinearly to `width` × `height`, as a
/// 1×3×height×width tensor of 0-255 values with the gray in each channel: what a network trained
/// on colour photographs (CenterFace) reads from a gray frame.
int cvs_gray_region_to_rgb_tensor(cvs_gray image, cvs_rect region, int width, int height, float *out,
                                  cvs_error *err);

// MARK: Fourier transform

/// Magnitudes of the real DFT of each of `rows` rows of `n` values (`frames`, row-major), into
/// `magnitudes` (rows × (n/2 + 1), bins 0 … n/2), computed in double precision by `cv::dft`.
int cvs_dft_magnitudes(const double *frames, int rows, int n, double *magnitudes, cvs_error *err);

// MARK: Template matching

/// The normalised cross-correlation of `pattern` (`pattern_length` floats) with the stretch of
/// `signal` as long starting at each of 0 … `signal_length` − `pattern_length`, into `scores`
/// (`cv::matchTemplate` with `TM_CCORR_NORMED`): how well a cycle of a voice matches what follows.
int cvs_match_normed(const float *signal, int signal_length, const float *pattern, int pattern_length, float *scores,
                     cvs_error *err);

// MARK: JPEG

/// Decodes a JPEG file to gray with libjpeg (the decoder OpenCV's imread uses). On success
/// `*pixels` holds width*height bytes, tightly packed, to be released with `cvs_free`.
int cvs_read_jpeg_gray(const char *path, uint8_t **pixels, int *width, int *height, cvs_error *err);
void cvs_free(void *pointer);

// MARK: Statistical classifiers (ml)

/// The `ml` models emoscan trains: an RBF-kernel SVM, a random forest, a multi-layer perceptron.
enum { CVS_ML_SVM = 0, CVS_ML_RTREES = 1, CVS_ML_MLP = 2 };

typedef struct cvs_ml_model cvs_ml_model;

/// Trains a `kind` classifier on `rows` samples of `cols` floats (row-major) with class indices
/// `labels` (0 … classes-1). Classes are balanced (SVM class weights, forest priors, MLP sample
/// weights, each inversely proportional to the class's size). `grid` searches the SVM's C and
/// gamma with `trainAuto` (5 internal folds); for the other kinds it is ignored. OpenCV's random
/// generator is seeded with `seed` first, so the same input gives the same model.
cvs_ml_model *cvs_ml_train(int kind, const float *samples, int rows, int cols, const int *labels, int classes,
                           int grid, uint64_t seed, cvs_error *err);

/// A model written by `cvs_ml_serialize`.
cvs_ml_model *cvs_ml_deserialize(int kind, const char *text, int classes, cvs_error *err);

/// The model as OpenCV's YAML text, to be released with `cvs_free`.
int cvs_ml_serialize(const cvs_ml_model *model, char **text, cvs_error *err);

/// Per-class scores for one sample, summing to 1: the forest's vote shares, the MLP's outputs
/// through a softmax, and for the SVM (which decides without probabilities) 1 for its class.
int cvs_ml_scores(const cvs_ml_model *model, const float *sample, int cols, float *scores, cvs_error *err);

void cvs_ml_free(cvs_ml_model *model);

// MARK: Threads

/// Sets OpenCV's own worker thread count (0 = sequential); emoscan parallelises across files and stages instead.
void cvs_set_num_threads(int threads);

#ifdef __cplusplus
}
#endif

#endif
