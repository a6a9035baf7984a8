/// One FER+ image's ten annotators' votes: a row of its `label.csv`,
/// `ferNNNNNNN.png,"(0, 0, 48, 48)",neutral,happiness,surprise,sadness,anger,disgust,fear,contempt,unknown,NF`.
///
/// FER+ (Barsoum et al. 2016) is scored by majority vote, and images without a clear answer are
/// left out: a tie between the top votes, or a majority for unknown or for not a face.
public struct FERPlusVotes: Sendable, Equatable {
    /// The emotions annotators could choose, in `label.csv`'s column order.
    public static let emotions = [
        "neutral", "happiness", "surprise", "sadness", "anger", "disgust", "fear", "contempt",
    ]

    /// Votes for each of `emotions`, then for unknown, then for not a face: ten counts.
    public var counts: [Int]

    /// What the votes say.
    public enum Majority: Sendable, Equatable {
        /// One of `emotions` has more votes than anything else.
        case emotion(String)
        /// No clear answer: `tie`, `unknown`, `not a face` or `no votes`.
        case leftOut(reason: String)
    }

    public init(counts: [Int]) {
        precondition(counts.count == Self.emotions.count + 2, "FER+ has ten vote columns")
        self.counts = counts
    }

    /// The majority vote, or why there is none.
    public var majority: Majority {
        let top = counts.max() ?? 0
        guard top > 0 else { return .leftOut(reason: "no votes") }
        let leaders = counts.indices.filter { counts[$0] == top }
        guard leaders.count == 1 else { return .leftOut(reason: "tie") }
        switch leaders[0] {
        case Self.emotions.count: return .leftOut(reason: "unknown")
        case Self.emotions.count + 1: return .leftOut(reason: "not a face")
        case let index: return .emotion(Self.emotions[index])
        }
    }

    /// The rows of a `label.csv`, by image file name; lines that are not such a row are skipped.
    ///
    /// - Parameter text: the file's contents.
    /// - Returns: each image's votes, keyed by its file name (`fer0028638.png`).
    public static func parse(_ text: String) -> [String: FERPlusVotes] {
        var rows: [String: FERPlusVotes] = [:]
        for line in text.split(whereSeparator: \.isNewline) {
            // The box column is quoted and holds commas, so the counts are read from the end.
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            guard fields.count >= 12, let name = fields.first, !name.isEmpty else { continue }
            let counts = fields.suffix(10).compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard counts.count == 10, counts.allSatisfy({ $0 >= 0 }) else { continue }
            rows[String(name)] = FERPlusVotes(counts: counts)
        }
        return rows
    }
}
