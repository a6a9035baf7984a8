import Media
import Model

/// Finds faces in a frame. One job: boxes in the frame's pixels, in a region when asked, at an
/// expected size when asked; whole-frame search and looking again near a face are built on it
/// once, here, for every detector (`HaarFaceDetector`, `CenterFaceDetector`).
public protocol FaceDetector: Sendable {
    /// The settings the detector was made with.
    var options: FaceDetectorOptions { get }

    /// The faces in `region` of `image` (the whole image when nil), in the image's pixels.
    ///
    /// - Parameters:
    ///   - image: The frame, gray.
    ///   - region: Where to look (it may reach past the image's edges); nil for the whole image.
    ///   - size: The side of the face expected there, which may narrow the search; nil for any.
    /// - Returns: The boxes found, at most 64, in no particular order, none smaller than `options.minSize`.
    /// - Throws: `OpenCVError` when detection fails.
    func faces(in image: GrayImage, region: FaceBox?, expecting size: Int?) throws -> [FaceBox]
}

extension FaceDetector {
    /// The faces in `image`, largest first.
    ///
    /// - Parameter image: The frame, gray.
    /// - Returns: The boxes in `image`'s pixels, at most 64.
    /// - Throws: `OpenCVError` when detection fails.
    public func detect(in image: GrayImage) throws -> [FaceBox] {
        try faces(in: image, region: nil, expecting: nil).sorted(by: largerFirst)
    }

    /// The faces `previous` found again in `image`, largest first, or nil when any is not found.
    ///
    /// Each is looked for in a region twice its size around where it was, at about its size: a
    /// face moves and turns little between sampled frames of one shot. Nil (a face left, or the
    /// shot changed) tells the caller to search the whole frame.
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
            let candidates = try faces(in: image, region: region, expecting: side)
            guard let best = candidates.max(by: { $0.overlap(with: box) < $1.overlap(with: box) }),
                best.overlap(with: box) > 0
            else { return nil }
            if !found.contains(best) { found.append(best) }
        }
        return found.sorted(by: largerFirst)
    }
}

private func largerFirst(_ a: FaceBox, _ b: FaceBox) -> Bool { a.width * a.height > b.width * b.height }
