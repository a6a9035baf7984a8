import Foundation

/// Test signals made in code.
public enum Signals {
    /// `seconds` of a sine at `frequency` Hz, amplitude 0.5, at 22050 Hz, in float32 as librosa gets it.
    public static func sine(_ frequency: Double, seconds: Double, sampleRate: Int = 22050) -> [Float] {
        (0..<Int(seconds * Double(sampleRate))).map {
            Float(0.5 * sin(2 * Double.pi * frequency * Double($0) / Double(sampleRate)))
        }
    }

    /// `seconds` of a voice-like harmonic tone at `sampleRate`: harmonics 1–5 of `fundamental` Hz,
    /// harmonic k at amplitude 0.3 / k and phase k.
    public static func harmonicTone(_ fundamental: Double, seconds: Double, sampleRate: Int = 16000) -> [Float] {
        (0..<Int(seconds * Double(sampleRate))).map { n in
            Float(harmonics(of: fundamental, at: Double(n) / Double(sampleRate)))
        }
    }

    /// The value of `harmonicTone` at `time` seconds, before rounding to float32.
    public static func harmonics(of fundamental: Double, at time: Double) -> Double {
        var sum = 0.0
        for k in 1...5 {
            let harmonic = Double(k)
            sum += 0.3 / harmonic * sin(2 * Double.pi * fundamental * harmonic * time + harmonic)
        }
        return sum
    }

    /// `count` samples of white noise uniform in ±`amplitude`, the same every run (SplitMix64 from `seed`).
    public static func whiteNoise(count: Int, amplitude: Double = 0.3, seed: UInt64 = 1) -> [Float] {
        var state = seed
        return (0..<count).map { _ in
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            z ^= z >> 31
            return Float(amplitude * (Double(z >> 11) / Double(1 << 53) * 2 - 1))
        }
    }
}
