import Foundation

/// Test signals made in code.
enum Signals {
    /// `seconds` of a sine at `frequency` Hz, amplitude 0.5, at 22050 Hz, in float32 as librosa gets it.
    static func sine(_ frequency: Double, seconds: Double, sampleRate: Int = 22050) -> [Float] {
        (0 ..< Int(seconds * Double(sampleRate))).map { Float(0.5 * sin(2 * Double.pi * frequency * Double($0) / Double(sampleRate))) }
    }
}
