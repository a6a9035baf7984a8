import CVShim
import CVSupport
import Media
import Model

/// Image-quality measures the filters judge frames and faces by.
public struct QualityMetrics: Codable, Sendable, Equatable {
    /// Mean gray level, 0 (black) to 255 (white).
    public var brightness: Double
    /// Variance of the Laplacian: low for a blurred region, high for a sharp one.
    public var sharpness: Double

    public init(brightness: Double, sharpness: Double) {
        self.brightness = brightness
        self.sharpness = sharpness
    }

    /// Measures `region` of `image` (the whole image when nil).
    ///
    /// - Parameters:
    ///   - image: The frame, gray.
    ///   - region: The part to measure, cut to the image's bounds; nil, or a box wholly outside the image, measures
    ///     the whole image.
    /// - Returns: The region's mean gray level and the variance of its Laplacian.
    /// - Throws: `OpenCVError` when OpenCV fails.
    public static func measure(_ image: GrayImage, in region: FaceBox? = nil) throws -> QualityMetrics {
        let box =
            region?.clamped(toWidth: image.width, height: image.height)
            ?? FaceBox(x: 0, y: 0, width: image.width, height: image.height)
        var sharpness = 0.0, brightness = 0.0
        try withCVGray(image) { gray in
            try withCVCall("image metrics") { error in
                cvs_image_metrics(
                    gray,
                    cvs_rect(
                        x: Int32(box.x), y: Int32(box.y), width: Int32(box.width),
                        height: Int32(box.height)), &sharpness, &brightness, &error)
            }
        }
        return QualityMetrics(brightness: brightness, sharpness: sharpness)
    }

    /// Mean gray level of the whole image: all the frame-level light check needs, without the
    /// Laplacian that `measure` also computes.
    ///
    /// - Parameter image: The frame, gray.
    /// - Returns: The mean gray level, 0 (black) to 255 (white).
    /// - Throws: `OpenCVError` when OpenCV fails.
    public static func brightness(of image: GrayImage) throws -> Double {
        var brightness = 0.0
        try withCVGray(image) { gray in
            try withCVCall("image brightness") { error in
                cvs_image_metrics(
                    gray, cvs_rect(x: 0, y: 0, width: Int32(image.width), height: Int32(image.height)),
                    nil, &brightness, &error)
            }
        }
        return brightness
    }
}
