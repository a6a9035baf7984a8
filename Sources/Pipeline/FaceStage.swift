import Media
import Model
import Vision

/// The video branch's per-frame work: light check, face detection, size and blur checks, and
/// classification of the faces that pass. Every frame comes out as a row, whatever happened.
public struct FaceStage: Sendable {
    public let filters: FrameFilters
    public let detector: any FaceDetector
    public let classifier: FaceClassifier

    public init(filters: FrameFilters, detector: any FaceDetector, classifier: FaceClassifier) {
        self.filters = filters
        self.detector = detector
        self.classifier = classifier
    }

    /// The row for `frame`. `previous` are the faces the frame sampled before it had: between
    /// whole-frame searches they are looked for near where they were (see `FaceDetector.redetect`).
    ///
    /// - Parameters:
    ///   - frame: the sampled frame.
    ///   - previous: the faces of the frame sampled before; empty to search the whole frame, as is done anyway every
    ///     `fullSearchEvery` frames.
    /// - Returns: the frame's row: its brightness and each face found with its checks and, when it passed, its
    ///   probabilities; `reason` says why no face was accepted.
    /// - Throws: `OpenCVError` when a quality metric, the detector or the face model fails.
    public func process(_ frame: SampledFrame, previous: [FaceBox] = []) throws -> FrameRow {
        let image = frame.image
        let brightness = try QualityMetrics.brightness(of: image)
        var row = FrameRow(
            index: frame.index, t: frame.time, brightness: brightness, accepted: false, reason: nil, faces: [])
        // Too dark or washed out: the detector would only find noise, so it is not run.
        if brightness < filters.minBrightness {
            row.reason = .tooDark
            return row
        }
        if brightness > filters.maxBrightness {
            row.reason = .tooBright
            return row
        }
        let searchWhole = previous.isEmpty || frame.index % detector.options.fullSearchEvery == 0
        let boxes = try (searchWhole ? nil : detector.redetect(previous, in: image)) ?? detector.detect(in: image)
        for box in boxes {
            let sharpness = try QualityMetrics.measure(image, in: box).sharpness
            var face = FaceRow(box: box, size: box.size, sharpness: sharpness, accepted: false, reason: nil, probs: nil)
            if box.size < filters.minFaceSize {
                face.reason = .faceTooSmall
            } else if sharpness < filters.minSharpness {
                face.reason = .tooBlurred
            } else {
                let probabilities = try classifier.classify(face: box, in: image)
                face.probs = Dictionary(
                    uniqueKeysWithValues: zip(classifier.spec.labels, probabilities.map(Double.init)))
                face.accepted = true
            }
            row.faces.append(face)
        }
        row.accepted = row.faces.contains(where: \.accepted)
        if !row.accepted { row.reason = row.faces.first?.reason ?? .noFace }
        return row
    }
}
