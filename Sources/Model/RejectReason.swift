/// Why a frame or face did not count towards the file's emotion.
public enum RejectReason: String, Codable, Sendable {
    case tooDark = "too_dark"
    case tooBright = "too_bright"
    case noFace = "no_face"
    case faceTooSmall = "face_too_small"
    case tooBlurred = "too_blurred"
}
