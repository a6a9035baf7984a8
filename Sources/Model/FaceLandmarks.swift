import Foundation

/// Five points of a face, in the frame's pixels, as CenterFace gives them: the eyes (the
/// subject's right eye is the one on the image's left), the nose tip and the mouth's corners.
public struct FaceLandmarks: Codable, Sendable, Equatable {
    /// A point in the frame's pixels.
    public struct Point: Codable, Sendable, Equatable {
        public var x: Double
        public var y: Double

        public init(x: Double, y: Double) {
            self.x = x
            self.y = y
        }
    }

    /// The eye on the image's left.
    public var leftEye: Point
    /// The eye on the image's right.
    public var rightEye: Point
    public var nose: Point
    public var mouthLeft: Point
    public var mouthRight: Point

    public init(leftEye: Point, rightEye: Point, nose: Point, mouthLeft: Point, mouthRight: Point) {
        self.leftEye = leftEye
        self.rightEye = rightEye
        self.nose = nose
        self.mouthLeft = mouthLeft
        self.mouthRight = mouthRight
    }

    /// The eye line's angle from horizontal, in degrees: positive when the image's right eye is lower.
    public var eyeLineDegrees: Double {
        atan2(rightEye.y - leftEye.y, rightEye.x - leftEye.x) * 180 / .pi
    }
}
