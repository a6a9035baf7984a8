import CVShim
import CVSupport
import Foundation
import Media
import Model

/// Finds frontal faces with an OpenCV Haar cascade.
///
/// Calls are serialised by a lock: OpenCV does not promise that one `CascadeClassifier` may
/// detect on two threads at once, and each worker owns its own detector anyway.
public final class HaarFaceDetector: FaceDetector, @unchecked Sendable {
    public let options: FaceDetectorOptions
    private let cascade: OpaquePointer
    private let lock = NSLock()

    /// Loads the Haar cascade `options.path` names.
    ///
    /// - Parameter options: The cascade file and the search's settings.
    /// - Throws: `OpenCVError` when OpenCV cannot load the cascade.
    public init(options: FaceDetectorOptions) throws {
        self.options = options
        let loaded = try withCVCall("loading face cascade \(options.path)") { error in
            cvs_cascade_load(options.path, &error)
        }
        guard let loaded else {
            throw OpenCVError(operation: "loading face cascade \(options.path)", message: "no cascade")
        }
        cascade = loaded
    }

    deinit { cvs_cascade_free(cascade) }

    /// The cascade's detections in `region` (the whole image when nil), in the image's pixels:
    /// from `options.minSize` up, or at two thirds to one and a half times `size` when given.
    ///
    /// - Parameters:
    ///   - image: The frame, gray.
    ///   - region: Where to look; nil for the whole image.
    ///   - size: The side of the face expected there; nil for any.
    /// - Returns: The boxes, at most 64, in no particular order.
    /// - Throws: `OpenCVError` when detection fails.
    public func faces(in image: GrayImage, region: FaceBox?, expecting size: Int?) throws -> [FaceBox] {
        try search(
            image, region: region, minSize: max(options.minSize, (size ?? 0) * 2 / 3), maxSize: size.map { $0 * 3 / 2 })
    }

    /// The cascade's detections in `region` (the whole image when nil), in the image's pixels.
    private func search(_ image: GrayImage, region: FaceBox?, minSize: Int, maxSize: Int?) throws -> [FaceBox] {
        let capacity = 64
        var boxes = [cvs_rect](repeating: cvs_rect(), count: capacity)
        var count: Int32 = 0
        let area =
            region.map { cvs_rect(x: Int32($0.x), y: Int32($0.y), width: Int32($0.width), height: Int32($0.height)) }
            ?? cvs_rect()
        _ = try lock.withLock {
            try withCVGray(image) { gray in
                try withCVCall("face detection") { error in
                    cvs_cascade_detect(
                        cascade, gray, area, Int32(options.detectionWidth), options.scaleFactor,
                        Int32(options.minNeighbors), Int32(minSize), Int32(maxSize ?? 0), &boxes,
                        Int32(capacity), &count, &error)
                }
            }
        }
        return boxes.prefix(min(Int(count), capacity))
            .map { FaceBox(x: Int($0.x), y: Int($0.y), width: Int($0.width), height: Int($0.height)) }
    }
}
