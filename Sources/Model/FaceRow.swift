/// One detected face.
public struct FaceRow: Codable, Sendable {
    public var box: FaceBox
    /// Shorter side of the box, in pixels.
    public var size: Int
    /// Variance of the Laplacian inside the box.
    public var sharpness: Double
    public var accepted: Bool
    public var reason: RejectReason?
    /// Class probabilities (only for accepted faces), by label.
    public var probs: [String: Double]?

    public init(
        box: FaceBox, size: Int, sharpness: Double, accepted: Bool, reason: RejectReason?,
        probs: [String: Double]?
    ) {
        self.box = box
        self.size = size
        self.sharpness = sharpness
        self.accepted = accepted
        self.reason = reason
        self.probs = probs
    }
}
