import CVShim
import CVSupport
import Foundation
import Media
import Model

/// Finds frontal faces with an OpenCV Haar cascade.
///
/// Calls are serialised by a lock: OpenCV does not promise that one `CascadeClassifier` may
/// detect on two threads at once, and each worker owns its own detector anyway.
public final class FaceDetector: @unchecked Sendable {
    public let options: FaceDetectorOptions
    private let cascade: OpaquePointer
    private let lock = NSLock()

    /// Loads the Haar cascade `options.cascade` names.
    ///
    /// - Parameter options: The cascade file and the search's settings.
    /// - Throws: `OpenCVError` when OpenCV cannot load the cascade.
    public init(options: FaceDetectorOptions) throws {
        self.options = options
        let loaded = try withCVCall("loading face cascade \(options.cascade)") { error in
            cvs_cascade_load(options.cascade, &error)
        }
        guard let loaded else {
            throw OpenCVError(operation: "loading face cascade \(options.cascade)", message: "no cascade")
        }
        cascade = loaded
    }

    deinit { cvs_cascade_free(cascade) }

    /// The faces in `image`, largest first.
    ///
    /// - Parameter image: The frame, gray.
    /// - Returns: The boxes in `image`'s pixels, at most 64, searched for from `options.minSize` up.
    /// - Throws: `OpenCVError` when detection fails.
    public func detect(in image: GrayImage) throws -> [FaceBox] {
        try search(image, region: nil, minSize: options.minSize, maxSize: nil).sorted(by: Self.largerFirst)
    }

    /// The faces `previous` found again in `image`, largest first, or nil when any is not found.
    ///
    /// Each is looked for in a region twice its size around where it was, at two thirds to one
    /// and a half times its size: a face moves and turns little between sampled frames of one
    /// shot. Nil (a face left, or the shot changed) tells the caller to search the whole frame.
    ///
    /// - Parameters:
    ///   - previous: The faces of the frame sampled before; none gives an empty answer, not nil.
    ///   - image: The frame to look in, gray.
    /// - Returns: The faces found again (two previous faces that find the same box give it once); nil when any is not.
    /// - Throws: `OpenCVError` when detection fails.
    public func redetect(_ previous: [FaceBox], in image: GrayImage) throws -> [FaceBox]? {
        var found: [FaceBox] = []
        for box in previous {
            let side = max(box.width, box.height)
            let region = FaceBox(
                x: box.x - side / 2, y: box.y - side / 2, width: box.width + side, height: box.height + side)
            let candidates = try search(
                image, region: region, minSize: max(options.minSize, side * 2 / 3),
                maxSize: side * 3 / 2)
            guard let best = candidates.max(by: { $0.overlap(with: box) < $1.overlap(with: box) }),
                best.overlap(with: box) > 0
            else { return nil }
            if !found.contains(best) { found.append(best) }
        }
        return found.sorted(by: Self.largerFirst)
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

    private static func largerFirst(_ a: FaceBox, _ b: FaceBox) -> Bool { a.width * a.height > b.width * b.height }
}
