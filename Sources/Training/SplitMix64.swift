import Foundation

/// SplitMix64 (Steele, Lea and Flood 2014): the same numbers for a seed on every platform, so
/// training (and test data) can be reproduced bit for bit.
public struct SplitMix64: Sendable {
    private var state: UInt64

    /// A generator whose whole sequence is fixed by `seed`.
    ///
    /// - Parameter seed: The starting state; any value, 0 included.
    public init(seed: UInt64) {
        state = seed
    }

    /// The next 64 random bits.
    ///
    /// - Returns: A value uniform over all of `UInt64`.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in (0, 1): 24 random bits, never 0.
    ///
    /// - Returns: `(k + 0.5) / 2^24` for the top 24 bits `k` of `next()`.
    public mutating func nextUniform() -> Float {
        (Float(next() >> 40) + 0.5) / Float(1 << 24)
    }

    /// Standard normal, by Box–Muller.
    ///
    /// - Returns: A sample of the standard normal distribution; each call draws two uniforms.
    public mutating func nextGaussian() -> Float {
        let radius = (-2 * log(nextUniform())).squareRoot()
        return radius * cos(2 * Float.pi * nextUniform())
    }

    /// Fisher–Yates.
    ///
    /// - Parameter values: The values to put in a random order, in place.
    public mutating func shuffle(_ values: inout [Int]) {
        guard values.count > 1 else { return }
        for index in stride(from: values.count - 1, to: 0, by: -1) {
            values.swapAt(index, Int(next() % UInt64(index + 1)))
        }
    }
}
