/// How faces are searched for: a pipeline's `detector:`.
public struct FaceDetectorOptions: Codable, Sendable, Equatable {
    /// The Haar cascade or CenterFace.
    public var kind: FaceDetectorKind
    /// The detector's file: the cascade's XML (Debian's `opencv-data`) or CenterFace's ONNX
    /// (`Scripts/models/fetch-models centerface`); as written in the pipeline file, then absolute once resolved.
    public var path: String
    /// The digest the file must have.
    public var sha256: String
    /// Frames are scaled down to this width for detection and boxes mapped back. The smallest
    /// face found is then about 1/13 of the frame's width at 320 px (the cascade's 24 px window,
    /// CenterFace's about 24 px), an interview shot's face; the cost grows with the square of the width.
    public var detectionWidth: Int
    /// The cascade's size step between searched face sizes (Haar only).
    public var scaleFactor: Double
    /// The cascade's overlapping detections needed for a face (Haar only).
    public var minNeighbors: Int
    /// The heatmap's peak a face needs, 0 to 1 (CenterFace only).
    public var minScore: Double
    /// Smallest face searched for, in the frame's pixels.
    public var minSize: Int
    /// Every this many sampled frames the whole frame is searched; on the frames between, the
    /// faces of the frame before are looked for near where they were (`redetect`), which costs a
    /// fraction of a whole-frame search. 1 searches every frame whole.
    public var fullSearchEvery: Int

    /// Debian's copy of OpenCV's frontal-face cascade.
    public static let debianCascade = "/usr/share/opencv4/haarcascades/haarcascade_frontalface_default.xml"
    /// Its sha256 in Debian 12's opencv-data 4.6.0.
    public static let debianCascadeSHA256 = "0f7d4527844eb514d4a4948e822da90fbb16a34a0bbbbc6adc6498747a5aafb0"

    public init(
        kind: FaceDetectorKind = .haar, path: String = debianCascade, sha256: String = debianCascadeSHA256,
        detectionWidth: Int = 320, scaleFactor: Double = 1.2, minNeighbors: Int = 5, minScore: Double = 0.5,
        minSize: Int = 48, fullSearchEvery: Int = 5
    ) {
        self.kind = kind
        self.path = path
        self.sha256 = sha256
        self.detectionWidth = detectionWidth
        self.scaleFactor = scaleFactor
        self.minNeighbors = minNeighbors
        self.minScore = minScore
        self.minSize = minSize
        self.fullSearchEvery = fullSearchEvery
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case kind, path, sha256, detectionWidth, scaleFactor, minNeighbors, minScore, minSize, fullSearchEvery
    }
}
