/// One sampled frame: its time, its light, and what became of each face in it. A frame without
/// an accepted face is a row that says why, never a dropped row.
public struct FrameRow: Codable, Sendable {
    public var index: Int
    /// Presentation time in seconds.
    public var t: Double
    /// Mean gray level of the whole frame (0-255).
    public var brightness: Double
    /// True when at least one face in the frame was classified.
    public var accepted: Bool
    /// Why nothing in the frame was classified (nil when accepted).
    public var reason: RejectReason?
    /// Faces found, largest first.
    public var faces: [FaceRow]

    public init(index: Int, t: Double, brightness: Double, accepted: Bool, reason: RejectReason?, faces: [FaceRow]) {
        self.index = index
        self.t = t
        self.brightness = brightness
        self.accepted = accepted
        self.reason = reason
        self.faces = faces
    }
}
