/// How faces are searched for: a pipeline's `detector:`.
public struct FaceDetectorOptions: Codable, Sendable, Equatable {
    /// OpenCV's Haar cascade file (`haarcascade_frontalface_default.xml` from Debian's
    /// `opencv-data`): as written in the pipeline file, then absolute once resolved.
    public var cascade: String
    /// Frames are scaled down to this width for detection and boxes mapped back. The cascade's
    /// 24 px window then sets the smallest face found (1/13 of the width at 320 px, an interview
    /// shot's face); the cost grows with the square of the width.
    public var detectionWidth: Int
    public var scaleFactor: Double
    public var minNeighbors: Int
    /// Smallest face searched for, in the frame's pixels.
    public var minSize: Int
    /// Every this many sampled frames the whole frame is searched; on the frames between, the
    /// faces of the frame before are looked for near where they were (`redetect`), which costs a
    /// fraction of a whole-frame search. 1 searches every frame whole.
    public var fullSearchEvery: Int

    /// Debian's copy of OpenCV's frontal-face cascade.
    public static let debianCascade = "/usr/share/opencv4/haarcascades/haarcascade_frontalface_default.xml"

    public init(
        cascade: String = debianCascade, detectionWidth: Int = 320, scaleFactor: Double = 1.2,
        minNeighbors: Int = 5, minSize: Int = 48, fullSearchEvery: Int = 5
    ) {
        self.cascade = cascade
        self.detectionWidth = detectionWidth
        self.scaleFactor = scaleFactor
        self.minNeighbors = minNeighbors
        self.minSize = minSize
        self.fullSearchEvery = fullSearchEvery
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case cascade, detectionWidth, scaleFactor, minNeighbors, minSize, fullSearchEvery
    }
}
