import CVShim
import CVSupport
import Media
import Model

/// Images that are already face crops (FER2013, CK+), read the way the face model's authors read them.
public enum FaceCrop {
    /// Loads a crop as gray. JPEGs go through libjpeg, like OpenCV's `imread` in fer's own code,
    /// because FFmpeg's JPEG decoder differs by ±1 on some pixels; other formats (PNG is lossless,
    /// so every decoder agrees) go through FFmpeg as one-frame media.
    ///
    /// - Parameter path: The image file; a `.jpg` or `.jpeg` name (any case) means JPEG.
    /// - Returns: The image, gray; one in another format wider than 1280 px is scaled down to that width, as frames
    ///   are.
    /// - Throws: `OpenCVError` when a JPEG cannot be read; `MediaError` when another image cannot be opened or decoded.
    public static func load(path: String) throws -> GrayImage {
        let lowercased = path.lowercased()
        guard lowercased.hasSuffix(".jpg") || lowercased.hasSuffix(".jpeg") else {
            let sampler = try FrameSampler(file: try MediaFile(path: path), options: SamplingOptions(maxFrames: 1))
            guard let frame = try sampler.next() else {
                throw MediaError.noDecodableFrame(path: path, reason: "no image")
            }
            return frame.image
        }
        var pixels: UnsafeMutablePointer<UInt8>?
        var width: Int32 = 0, height: Int32 = 0
        try withCVCall("reading JPEG \(path)") { error in
            cvs_read_jpeg_gray(path, &pixels, &width, &height, &error)
        }
        defer { cvs_free(pixels) }
        let count = Int(width) * Int(height)
        return GrayImage(
            width: Int(width), height: Int(height),
            pixels: Array(UnsafeBufferPointer(start: pixels, count: count)))
    }
}
