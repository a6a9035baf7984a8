#include "cvshim.h"

#include <opencv2/core.hpp>
#include <opencv2/core/utils/logger.hpp>
#include <opencv2/dnn.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/ml.hpp>
#include <opencv2/objdetect.hpp>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <memory>
#include <cstring>
#include <exception>
#include <vector>

struct cvs_cascade {
    cv::CascadeClassifier classifier;
    /// The frame (or region) scaled to detection size, and the detections: kept between calls
    /// so that detecting allocates only when their sizes change.
    cv::Mat small;
    std::vector<cv::Rect> faces;
};

struct cvs_net {
    cv::dnn::Net net;
};

namespace {

void set_error(cvs_error *err, int code, const char *message) {
    if (!err) return;
    err->code = code;
    std::strncpy(err->message, message, CVS_ERR_MESSAGE_SIZE - 1);
    err->message[CVS_ERR_MESSAGE_SIZE - 1] = '\0';
}

void clear_error(cvs_error *err) {
    if (err) set_error(err, 0, "");
}

/// Runs `body`, turning any exception into an error code and message. OpenCV's own log is
/// silenced first: its errors reach the caller through `err`, not as stray stderr lines.
template <typename Body> int guarded(cvs_error *err, Body body) {
    static const bool silenced = [] {
        cv::utils::logging::setLogLevel(cv::utils::logging::LOG_LEVEL_SILENT);
        return true;
    }();
    (void)silenced;
    clear_error(err);
    try {
        return body();
    } catch (const cv::Exception &e) {
        set_error(err, 1, e.what());
    } catch (const std::exception &e) {
        set_error(err, 2, e.what());
    } catch (...) {
        set_error(err, 3, "unknown C++ exception");
    }
    return err ? err->code : 1;
}

/// Wraps borrowed pixels without copying them.
cv::Mat wrap(cvs_gray image) {
    return cv::Mat(image.height, image.width, CV_8UC1, const_cast<uint8_t *>(image.pixels),
                   static_cast<size_t>(image.stride));
}

} // namespace

// MARK: Image metrics

int cvs_image_metrics(cvs_gray image, cvs_rect roi, double *laplacian_variance, double *mean_gray, cvs_error *err) {
    return guarded(err, [&] {
        cv::Mat region = wrap(image)(cv::Rect(roi.x, roi.y, roi.width, roi.height));
        *mean_gray = cv::mean(region)[0];
        if (laplacian_variance) {
            cv::Mat laplacian;
            cv::Laplacian(region, laplacian, CV_64F);
            cv::Scalar mean, stddev;
            cv::meanStdDev(laplacian, mean, stddev);
            *laplacian_variance = stddev[0] * stddev[0];
        }
        return 0;
    });
}

int cvs_gray_to_tensor(cvs_gray image, int size, float *out, cvs_error *err) {
    return guarded(err, [&] {
        cv::Mat resized;
        cv::resize(wrap(image), resized, cv::Size(size, size), 0, 0, cv::INTER_LINEAR);
        cv::Mat tensor(size, size, CV_32FC1, out);
        // The same arithmetic as fer's preprocessing: x / 255, then (x - 0.5) * 2.
        resized.convertTo(tensor, CV_32F, 1.0 / 255.0);
        tensor = (tensor - 0.5f) * 2.0f;
        return 0;
    });
}

// MARK: Haar cascade face detection

cvs_cascade *cvs_cascade_load(const char *path, cvs_error *err) {
    cvs_cascade *cascade = nullptr;
    guarded(err, [&] {
        // Owned until loaded: a file that is not a cascade makes load() throw, not return false.
        auto loaded = std::make_unique<cvs_cascade>();
        if (!loaded->classifier.load(path)) {
            set_error(err, 4, "cannot load cascade (missing or not a cascade file)");
            return 4;
        }
        cascade = loaded.release();
        return 0;
    });
    return cascade;
}

void cvs_cascade_free(cvs_cascade *cascade) { delete cascade; }

int cvs_cascade_detect(cvs_cascade *cascade, cvs_gray image, cvs_rect region, int detect_width, double scale_factor,
                       int min_neighbors, int min_size, int max_size, cvs_rect *boxes, int capacity, int *count,
                       cvs_error *err) {
    return guarded(err, [&] {
        cv::Rect area(region.x, region.y, region.width, region.height);
        area &= cv::Rect(0, 0, image.width, image.height);
        if (area.empty()) area = cv::Rect(0, 0, image.width, image.height);
        cv::Mat source = wrap(image)(area);
        double scale = 1.0;
        cv::Mat small = source;
        if (detect_width > 0 && image.width > detect_width) {
            scale = static_cast<double>(detect_width) / image.width;
            cv::resize(source, cascade->small, cv::Size(), scale, scale, cv::INTER_AREA);
            small = cascade->small;
        }
        int scaled_min = std::max(1, static_cast<int>(min_size * scale));
        int scaled_max = max_size > 0 ? std::max(scaled_min, static_cast<int>(max_size * scale)) : 0;
        std::vector<cv::Rect> &faces = cascade->faces;
        cascade->classifier.detectMultiScale(small, faces, scale_factor, min_neighbors, cv::CASCADE_SCALE_IMAGE,
                                             cv::Size(scaled_min, scaled_min), cv::Size(scaled_max, scaled_max));
        *count = static_cast<int>(faces.size());
        for (int i = 0; i < std::min(capacity, *count); i++) {
            const cv::Rect &f = faces[static_cast<size_t>(i)];
            boxes[i] = cvs_rect{area.x + static_cast<int>(f.x / scale), area.y + static_cast<int>(f.y / scale),
                                static_cast<int>(f.width / scale), static_cast<int>(f.height / scale)};
        }
        return 0;
    });
}

// MARK: DNN (ONNX)

cvs_net *cvs_net_load_onnx(const char *path, cvs_error *err) {
    cvs_net *net = nullptr;
    guarded(err, [&] {
        auto loaded = std::make_unique<cvs_net>();  // owned until loaded: a bad file makes the reader throw
        loaded->net = cv::dnn::readNetFromONNX(path);
        if (loaded->net.empty()) {
            set_error(err, 5, "the ONNX file holds no network");
            return 5;
        }
        loaded->net.setPreferableBackend(cv::dnn::DNN_BACKEND_OPENCV);
        loaded->net.setPreferableTarget(cv::dnn::DNN_TARGET_CPU);
        net = loaded.release();
        return 0;
    });
    return net;
}

void cvs_net_free(cvs_net *net) { delete net; }

int cvs_net_forward(cvs_net *net, const float *input, const int *shape, int dims, float *out, int capacity,
                    int *count, cvs_error *err) {
    return guarded(err, [&] {
        cv::Mat blob(dims, shape, CV_32F, const_cast<float *>(input));
        net->net.setInput(blob);
        cv::Mat result = net->net.forward();
        if (!result.isContinuous()) result = result.clone();
        *count = static_cast<int>(result.total());
        std::memcpy(out, result.ptr<float>(), sizeof(float) * static_cast<size_t>(std::min(capacity, *count)));
        return 0;
    });
}

int cvs_aligned_face_tensor(cvs_gray image, double eye_x, double eye_y, double angle, double side,
                            double eye_height, int size, float *out, cvs_error *err) {
    return guarded(err, [&] {
        // Turn and cut at up to four times the output's size, then shrink by area averaging:
        // one bilinear step from a large face to 48 px would alias, unlike the training crops.
        const int cut = std::max(size, std::min(static_cast<int>(std::lround(side)), 4 * size));
        const double scale = cut / side;
        cv::Mat turn = cv::getRotationMatrix2D(cv::Point2f(static_cast<float>(eye_x), static_cast<float>(eye_y)),
                                               angle, scale);
        turn.at<double>(0, 2) += cut / 2.0 - eye_x;
        turn.at<double>(1, 2) += eye_height * cut - eye_y;
        cv::Mat face;
        cv::warpAffine(wrap(image), face, turn, cv::Size(cut, cut), cv::INTER_LINEAR, cv::BORDER_REPLICATE);
        cv::Mat resized;
        cv::resize(face, resized, cv::Size(size, size), 0, 0, cut > size ? cv::INTER_AREA : cv::INTER_LINEAR);
        cv::Mat tensor(size, size, CV_32FC1, out);
        resized.convertTo(tensor, CV_32F, 1.0 / 255.0);
        tensor = (tensor - 0.5f) * 2.0f;
        return 0;
    });
}

void cvs_net_disable_fusion(cvs_net *net) { net->net.enableFusion(false); }

int cvs_net_forward_outputs(cvs_net *net, const float *input, const int *shape, int dims, const char *const *names,
                            int n, float *out, int capacity, int *counts, cvs_error *err) {
    return guarded(err, [&] {
        cv::Mat blob(dims, shape, CV_32F, const_cast<float *>(input));
        net->net.setInput(blob);
        std::vector<cv::String> wanted(names, names + n);
        std::vector<cv::Mat> results;
        net->net.forward(results, wanted);
        size_t offset = 0;
        for (int i = 0; i < n; i++) {
            cv::Mat result = results[i].isContinuous() ? results[i] : results[i].clone();
            counts[i] = static_cast<int>(result.total());
            if (offset + result.total() > static_cast<size_t>(capacity)) {
                set_error(err, 5, "the network's outputs are larger than expected");
                return 5;
            }
            std::memcpy(out + offset, result.ptr<float>(), sizeof(float) * result.total());
            offset += result.total();
        }
        return 0;
    });
}

int cvs_gray_region_to_rgb_tensor(cvs_gray image, cvs_rect region, int width, int height, float *out,
                                  cvs_error *err) {
    return guarded(err, [&] {
        cv::Mat frame = wrap(image);
        // The region padded with black where it leaves the frame, so a face at an edge keeps its place.
        cv::Mat patch = cv::Mat::zeros(region.height, region.width, CV_8UC1);
        cv::Rect inside = cv::Rect(region.x, region.y, region.width, region.height) & cv::Rect(0, 0, image.width, image.height);
        if (inside.area() > 0) {
            frame(inside).copyTo(patch(cv::Rect(inside.x - region.x, inside.y - region.y, inside.width, inside.height)));
        }
        cv::Mat resized;
        cv::resize(patch, resized, cv::Size(width, height), 0, 0, cv::INTER_LINEAR);
        const size_t plane = static_cast<size_t>(width) * static_cast<size_t>(height);
        cv::Mat channel(height, width, CV_32FC1, out);
        resized.convertTo(channel, CV_32F);
        std::memcpy(out + plane, out, sizeof(float) * plane);
        std::memcpy(out + 2 * plane, out, sizeof(float) * plane);
        return 0;
    });
}

// MARK: Fourier transform

int cvs_dft_magnitudes(const double *frames, int rows, int n, double *magnitudes, cvs_error *err) {
    return guarded(err, [&] {
        cv::Mat input(rows, n, CV_64F, const_cast<double *>(frames));
        // CCS-packed rows: re0, re1, im1, …, re(n/2) for even n.
        cv::Mat packed;
        cv::dft(input, packed, cv::DFT_ROWS);
        const int bins = n / 2 + 1;
        for (int r = 0; r < rows; r++) {
            const double *row = packed.ptr<double>(r);
            double *out = magnitudes + static_cast<size_t>(r) * static_cast<size_t>(bins);
            out[0] = std::abs(row[0]);
            for (int k = 1; k < bins; k++) {
                if (2 * k == n) {
                    out[k] = std::abs(row[n - 1]);
                } else {
                    out[k] = std::hypot(row[2 * k - 1], row[2 * k]);
                }
            }
        }
        return 0;
    });
}

// MARK: Template matching

int cvs_match_normed(const float *signal, int signal_length, const float *pattern, int pattern_length, float *scores,
                     cvs_error *err) {
    return guarded(err, [&] {
        cv::Mat image(1, signal_length, CV_32F, const_cast<float *>(signal));
        cv::Mat templ(1, pattern_length, CV_32F, const_cast<float *>(pattern));
        // Already the result's size and type, so matchTemplate writes into `scores`.
        cv::Mat result(1, signal_length - pattern_length + 1, CV_32F, scores);
        cv::matchTemplate(image, templ, result, cv::TM_CCORR_NORMED);
        return 0;
    });
}

// MARK: Threads

void cvs_set_num_threads(int threads) { cv::setNumThreads(threads); }

// MARK: Statistical classifiers (ml)

struct cvs_ml_model {
    int kind;
    int classes;
    cv::Ptr<cv::ml::StatModel> model;
};

namespace {

const char *const ml_node_name = "model";

/// Weights inversely proportional to each class's size, averaging 1 over the samples.
std::vector<float> balanced_class_weights(const int *labels, int rows, int classes) {
    std::vector<int> counts(static_cast<size_t>(classes), 0);
    for (int i = 0; i < rows; i++) counts[static_cast<size_t>(labels[i])]++;
    std::vector<float> weights(static_cast<size_t>(classes), 0.f);
    for (int c = 0; c < classes; c++) {
        if (counts[static_cast<size_t>(c)] > 0) {
            weights[static_cast<size_t>(c)] = static_cast<float>(rows) / static_cast<float>(classes * counts[static_cast<size_t>(c)]);
        }
    }
    return weights;
}

cv::Ptr<cv::ml::StatModel> make_model(int kind, int cols, int classes) {
    switch (kind) {
    case CVS_ML_SVM: {
        auto svm = cv::ml::SVM::create();
        svm->setType(cv::ml::SVM::C_SVC);
        svm->setKernel(cv::ml::SVM::RBF);
        svm->setC(10);
        svm->setGamma(1.0 / cols);
        svm->setTermCriteria(cv::TermCriteria(cv::TermCriteria::MAX_ITER + cv::TermCriteria::EPS, 10000, 1e-6));
        return svm;
    }
    case CVS_ML_RTREES: {
        auto forest = cv::ml::RTrees::create();
        forest->setMaxDepth(16);
        forest->setMinSampleCount(2);
        forest->setActiveVarCount(0);  // sqrt(cols)
        forest->setTermCriteria(cv::TermCriteria(cv::TermCriteria::MAX_ITER, 300, 0));
        return forest;
    }
    case CVS_ML_MLP: {
        auto mlp = cv::ml::ANN_MLP::create();
        cv::Mat layers = (cv::Mat_<int>(1, 3) << cols, std::max(16, std::min(128, cols / 2)), classes);
        mlp->setLayerSizes(layers);
        // OpenCV's default symmetric sigmoid (1.7159·tanh(2x/3)) reaches the ±1 targets. Plain
        // back-propagation, stopped early: on speaker-grouped folds of RAVDESS, RPROP reached 0.38
        // (1 s padding); back-propagation 0.57 after 150 epochs, 0.55 after 300, 0.47 after 1000
        // (0.2 s padding: it overfits).
        mlp->setActivationFunction(cv::ml::ANN_MLP::SIGMOID_SYM, 0, 0);
        mlp->setTrainMethod(cv::ml::ANN_MLP::BACKPROP, 0.001, 0.1);
        mlp->setTermCriteria(cv::TermCriteria(cv::TermCriteria::MAX_ITER + cv::TermCriteria::EPS, 150, 1e-6));
        return mlp;
    }
    default:
        CV_Error(cv::Error::StsBadArg, "unknown classifier kind");
    }
}

}  // namespace

cvs_ml_model *cvs_ml_train(int kind, const float *samples, int rows, int cols, const int *labels, int classes,
                           int grid, uint64_t seed, cvs_error *err) {
    cvs_ml_model *result = nullptr;
    guarded(err, [&] {
        cv::setRNGSeed(static_cast<int>(seed & 0x7fffffff));
        cv::Mat data(rows, cols, CV_32F, const_cast<float *>(samples));
        cv::Mat classIndex(rows, 1, CV_32S, const_cast<int *>(labels));
        const std::vector<float> weights = balanced_class_weights(labels, rows, classes);
        auto model = make_model(kind, cols, classes);
        cv::Ptr<cv::ml::TrainData> train;
        if (kind == CVS_ML_MLP) {
            // The MLP learns ±1 targets, one output per class, each sample weighted by its class.
            cv::Mat targets(rows, classes, CV_32F, cv::Scalar(-1));
            cv::Mat sampleWeights(rows, 1, CV_32F);
            for (int i = 0; i < rows; i++) {
                targets.at<float>(i, labels[i]) = 1;
                sampleWeights.at<float>(i) = weights[static_cast<size_t>(labels[i])];
            }
            train = cv::ml::TrainData::create(data, cv::ml::ROW_SAMPLE, targets, cv::noArray(), cv::noArray(),
                                              sampleWeights);
        } else {
            train = cv::ml::TrainData::create(data, cv::ml::ROW_SAMPLE, classIndex);
        }
        cv::Mat classWeights(1, classes, CV_64F);
        for (int c = 0; c < classes; c++) classWeights.at<double>(c) = weights[static_cast<size_t>(c)];
        if (kind == CVS_ML_SVM) {
            auto svm = model.dynamicCast<cv::ml::SVM>();
            svm->setClassWeights(classWeights);
            if (grid) {
                svm->trainAuto(train, 5, cv::ml::SVM::getDefaultGrid(cv::ml::SVM::C),
                               cv::ml::SVM::getDefaultGrid(cv::ml::SVM::GAMMA), cv::ml::ParamGrid(0, 0, 0),
                               cv::ml::ParamGrid(0, 0, 0), cv::ml::ParamGrid(0, 0, 0), cv::ml::ParamGrid(0, 0, 0), true);
            } else {
                svm->train(train);
            }
        } else {
            if (kind == CVS_ML_RTREES) model.dynamicCast<cv::ml::RTrees>()->setPriors(classWeights);
            model->train(train);
        }
        if (!model->isTrained()) CV_Error(cv::Error::StsError, "training did not converge to a model");
        result = new cvs_ml_model{kind, classes, model};
        return 0;
    });
    return result;
}

cvs_ml_model *cvs_ml_deserialize(int kind, const char *text, int classes, cvs_error *err) {
    cvs_ml_model *result = nullptr;
    guarded(err, [&] {
        cv::FileStorage storage(text, cv::FileStorage::READ | cv::FileStorage::MEMORY);
        auto model = make_model(kind, 1, std::max(1, classes));
        model->read(storage[ml_node_name]);
        if (!model->isTrained()) CV_Error(cv::Error::StsParseError, "the text holds no trained model");
        result = new cvs_ml_model{kind, classes, model};
        return 0;
    });
    return result;
}

int cvs_ml_serialize(const cvs_ml_model *model, char **text, cvs_error *err) {
    return guarded(err, [&] {
        cv::FileStorage storage(".yml", cv::FileStorage::WRITE | cv::FileStorage::MEMORY);
        storage << ml_node_name << "{";
        model->model->write(storage);
        storage << "}";
        const std::string written = storage.releaseAndGetString();
        *text = static_cast<char *>(std::malloc(written.size() + 1));
        std::memcpy(*text, written.c_str(), written.size() + 1);
        return 0;
    });
}

int cvs_ml_scores(const cvs_ml_model *model, const float *sample, int cols, float *scores, cvs_error *err) {
    return guarded(err, [&] {
        // A forest reads only the variables its splits use, so a short vector would be read past its end.
        if (cols != model->model->getVarCount()) CV_Error(cv::Error::StsBadSize, "the feature vector has the wrong length");
        cv::Mat input(1, cols, CV_32F, const_cast<float *>(sample));
        std::fill(scores, scores + model->classes, 0.f);
        switch (model->kind) {
        case CVS_ML_RTREES: {
            // Row 0 holds the class indices, row 1 each one's votes.
            cv::Mat votes;
            model->model.dynamicCast<cv::ml::RTrees>()->getVotes(input, votes, 0);
            double total = 0;
            for (int j = 0; j < votes.cols; j++) total += votes.at<int>(1, j);
            for (int j = 0; j < votes.cols; j++) {
                const int c = votes.at<int>(0, j);
                if (c >= 0 && c < model->classes && total > 0) scores[c] = static_cast<float>(votes.at<int>(1, j) / total);
            }
            break;
        }
        case CVS_ML_MLP: {
            cv::Mat outputs;
            model->model->predict(input, outputs);
            double peak = -1e30, total = 0;
            for (int c = 0; c < model->classes; c++) peak = std::max(peak, static_cast<double>(outputs.at<float>(c)));
            for (int c = 0; c < model->classes; c++) total += std::exp(outputs.at<float>(c) - peak);
            for (int c = 0; c < model->classes; c++) scores[c] = static_cast<float>(std::exp(outputs.at<float>(c) - peak) / total);
            break;
        }
        default: {
            const int c = static_cast<int>(model->model->predict(input));
            if (c >= 0 && c < model->classes) scores[c] = 1;
        }
        }
        return 0;
    });
}

void cvs_ml_free(cvs_ml_model *model) { delete model; }

