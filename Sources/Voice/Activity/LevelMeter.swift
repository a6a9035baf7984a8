import Foundation

/// Short-time level of a signal that arrives in chunks: the mean power of each frame of
/// `frameLength` samples, every `hop` samples, in dB relative to full scale.
///
/// Only the levels are kept (one `Float` per hop: about 620 kB for an hour at 22050 Hz), so the
/// first pass over a long recording stays small.
public struct LevelMeter: Sendable {
    public let frameLength: Int
    public let hop: Int
    /// dBFS of each complete frame so far (a silent frame reads `LevelMeter.floorDB`).
    public private(set) var levels: [Float] = []
    /// The power floor added before taking the logarithm, so digital silence is finite.
    public static let floorDB: Float = -120

    /// Samples not yet covered by a complete frame (less than one frame).
    private var pending: [Float] = []

    /// A meter that has heard nothing yet.
    ///
    /// - Parameters:
    ///   - frameLength: Samples per frame; at least `hop` (a precondition).
    ///   - hop: Samples from one frame's start to the next's; more than 0.
    public init(frameLength: Int = 1024, hop: Int = 512) {
        precondition(frameLength >= hop && hop > 0)
        self.frameLength = frameLength
        self.hop = hop
    }

    /// Takes the next chunk of the signal and appends the level of every frame it completes.
    ///
    /// - Parameter samples: The chunk, continuing the signal where the last one ended.
    public mutating func consume(_ samples: [Float]) {
        pending.append(contentsOf: samples)
        var start = 0
        while pending.count - start >= frameLength {
            levels.append(Self.level(pending[start..<start + frameLength]))
            start += hop
        }
        pending.removeFirst(start)
    }

    /// Ends the signal: a recording shorter than one frame still gets one level, over what it has.
    public mutating func finish() {
        if levels.isEmpty, !pending.isEmpty { levels.append(Self.level(pending[...])) }
        pending.removeAll()
    }

    /// Where frame `index` starts, in samples.
    ///
    /// - Parameter index: The frame's index in `levels`.
    /// - Returns: `index × hop`.
    public func start(ofFrame index: Int) -> Int { index * hop }

    private static func level(_ frame: ArraySlice<Float>) -> Float {
        var power: Double = 0
        for sample in frame { power += Double(sample) * Double(sample) }
        power /= Double(frame.count)
        return Float(max(Double(floorDB), 10 * log10(power + 1e-12)))
    }
}
