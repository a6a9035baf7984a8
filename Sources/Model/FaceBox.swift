/// A face's bounding box in a frame's pixel coordinates, with its landmarks when the detector gives them.
public struct FaceBox: Codable, Sendable, Equatable {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int
    /// CenterFace's five points; nil from the Haar cascade.
    public var landmarks: FaceLandmarks?

    public init(x: Int, y: Int, width: Int, height: Int, landmarks: FaceLandmarks? = nil) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
        self.landmarks = landmarks
    }

    /// The face size the quality filter compares with its minimum: the shorter side, in pixels.
    public var size: Int { min(width, height) }

    /// Intersection over union with `other`: 1 for the same box, 0 for boxes apart.
    ///
    /// - Parameter other: the box to compare with.
    /// - Returns: the area of the intersection over that of the union, 0 to 1.
    public func overlap(with other: FaceBox) -> Double {
        let width = min(x + self.width, other.x + other.width) - max(x, other.x)
        let height = min(y + self.height, other.y + other.height) - max(y, other.y)
        guard width > 0, height > 0 else { return 0 }
        let shared = Double(width * height)
        return shared / (Double(self.width * self.height + other.width * other.height) - shared)
    }

    /// This box cut to the image's bounds (nil when nothing is left).
    ///
    /// - Parameters:
    ///   - imageWidth: the image's width, in pixels.
    ///   - imageHeight: the image's height, in pixels.
    /// - Returns: the part of the box inside the image; nil when none of it is.
    public func clamped(toWidth imageWidth: Int, height imageHeight: Int) -> FaceBox? {
        let left = max(0, x), top = max(0, y)
        let right = min(imageWidth, x + width), bottom = min(imageHeight, y + height)
        guard right > left, bottom > top else { return nil }
        return FaceBox(x: left, y: top, width: right - left, height: bottom - top, landmarks: landmarks)
    }
}
