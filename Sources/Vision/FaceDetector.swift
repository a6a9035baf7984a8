import CVShim
import CVSupport
import Foundation
import Media

/// Settings for the Haar cascade face detector.
public struct FaceDetectorOptions: Sendable, Equatable {
    /// The cascade file (OpenCV's `haarcascade_frontalface_default.xml` from Debian's `opencv-data`).
    public var cascadePath: String
    /// Frames are scaled down to this width for detection and boxes mapped back. The cascade's
    /// 24 px window then sets the smallest face found (1/13 of the width at 320 px, an interview
    /// shot's face); the cost grows with the square of the width.
    public var detectionWidth: Int
    public var scaleFactor: Double
    public var minNeighbors: Int
    /// Smallest face searched for, in the frame's pixels.
    public var minSize: Int

    public init(cascadePath: String, detectionWidth: Int = 320, scaleFactor: Double = 1.2, minNeighbors: Int = 5,
                minSize: Int = 48) {
        self.cascadePath = cascadePath
        self.detectionWidth = detectionWidth
        self.scaleFactor = scaleFactor
        self.minNeighbors = minNeighbors
        self.minSize = minSize
    }
}

/// Finds frontal faces with an OpenCV Haar cascade.
///
/// Calls are serialised by a lock: OpenCV does not promise that one `CascadeClassifier` may
/// detect on two threads at once, and each worker owns its own detector anyway.
public final class FaceDetector: @unchecked Sendable {
    public let options: FaceDetectorOptions
    private let cascade: OpaquePointer
    private let lock = NSLock()

    public init(options: FaceDetectorOptions) throws {
        self.options = options
        let loaded = try withCVCall("loading face cascade \(options.cascadePath)") { error in
            cvs_cascade_load(options.cascadePath, &error)
        }
        guard let loaded else {
            throw OpenCVError(operation: "loading face cascade \(options.cascadePath)", message: "no cascade")
        }
        cascade = loaded
    }

    deinit { cvs_cascade_free(cascade) }

    /// The faces in `image`, largest first.
    public func detect(in image: GrayImage) throws -> [FaceBox] {
        let capacity = 64
        var boxes = [cvs_rect](repeating: cvs_rect(), count: capacity)
        var count: Int32 = 0
        _ = try lock.withLock {
            try withCVGray(image) { gray in
                try withCVCall("face detection") { error in
                    cvs_cascade_detect(cascade, gray, Int32(options.detectionWidth), options.scaleFactor,
                                       Int32(options.minNeighbors), Int32(options.minSize), &boxes,
                                       Int32(capacity), &count, &error)
                }
            }
        }
        return boxes.prefix(min(Int(count), capacity))
            .map { FaceBox(x: Int($0.x), y: Int($0.y), width: Int($0.width), height: Int($0.height)) }
            .sorted { $0.width * $0.height > $1.width * $1.height }
    }
}
