/// Which face detector a pipeline runs: `detector.kind`.
public enum FaceDetectorKind: String, Codable, Sendable, CaseIterable {
    /// OpenCV's Haar cascade: frontal, upright faces only, and no landmarks.
    case haar
    /// CenterFace, a CNN trained on WIDER FACE: turned and tilted faces too, and five landmarks
    /// per face, which let the face be levelled before it is classified.
    case centerface
}
