import Foundation

/// A stream that ends before the duration its container declares: the file was cut off (a full
/// disk, an interrupted transfer) or is still being written. What exists is analysed; this says
/// how much that is.
public struct Truncation: Codable, Sendable, Equatable, CustomStringConvertible {
    /// Where the media really ends, in seconds from the stream's start.
    public var contentSeconds: Double
    /// The duration the container states.
    public var declaredSeconds: Double

    public init(contentSeconds: Double, declaredSeconds: Double) {
        self.contentSeconds = contentSeconds
        self.declaredSeconds = declaredSeconds
    }

    /// "truncated: media ends at 1.57 s of 3.24 s declared".
    public var description: String {
        "truncated: media ends at \(Self.words(contentSeconds)) of \(Self.words(declaredSeconds)) declared"
    }

    /// A length of time for a warning: `0.48 s`, `12.5 s`, `4.2 min`, `10 h`.
    static func words(_ seconds: Double) -> String {
        if seconds < 10 { return String(format: "%.2f s", seconds) }
        if seconds < 120 { return String(format: "%.1f s", seconds) }
        if seconds < 7200 { return String(format: "%.1f min", seconds / 60) }
        let hours = String(format: "%.1f", seconds / 3600)
        return (hours.hasSuffix(".0") ? String(hours.dropLast(2)) : hours) + " h"
    }
}
