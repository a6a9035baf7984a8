import Foundation
import Model

/// An entry as text columns: `summary.csv`'s, and those of a database that stores them as text.
///
/// The column names are a published interface: add columns at the end, never rename one.
extension ResultEntry {
    public static let columns = [
        "file", "status", "error", "duration_s", "frames_sampled", "frames_with_face", "frames_accepted",
        "face_emotion", "face_confidence", "result", "pipeline", "pipeline_hash", "analyzed_at",
        "voice_emotion", "voice_confidence", "fused_emotion", "fused_confidence", "fusion_method",
        "language", "language_confidence",
    ]

    /// The entry's columns, in `columns` order; an absent value is empty.
    public var fields: [String] {
        let confidence = Self.text(confidence:)
        return [
            file, status.rawValue, error ?? "", durationSeconds.map { String(format: "%.3f", $0) } ?? "",
            framesSampled.map(String.init) ?? "", framesWithFace.map(String.init) ?? "",
            framesAccepted.map(String.init) ?? "", faceEmotion ?? "", confidence(faceConfidence), document ?? "",
            pipeline ?? "", pipelineHash ?? "", analyzedAt ?? "", voiceEmotion ?? "", confidence(voiceConfidence),
            fusedEmotion ?? "", confidence(fusedConfidence), fusionMethod?.rawValue ?? "", language ?? "",
            confidence(languageConfidence),
        ]
    }

    /// A confidence as the columns write it (four decimals); empty when absent.
    ///
    /// - Parameter value: the confidence; nil when absent.
    /// - Returns: the value with four decimals, or the empty string.
    public static func text(confidence value: Double?) -> String {
        value.map { String(format: "%.4f", $0) } ?? ""
    }

    /// Reads an entry back from its columns by name (a `summary.csv` row, a database row); a
    /// missing or empty column is an absent value.
    ///
    /// - Parameter fields: values by column name (`columns`); other names are ignored, and a missing or unknown
    ///   `status` reads as `failed`.
    public init(fields: [String: String]) {
        func text(_ column: String) -> String? { fields[column].flatMap { $0.isEmpty ? nil : $0 } }
        self.init(
            file: fields["file"] ?? "", status: text("status").flatMap(FileResult.Status.init) ?? .failed,
            error: text("error"), durationSeconds: text("duration_s").flatMap(Double.init),
            framesSampled: text("frames_sampled").flatMap { Int($0) },
            framesWithFace: text("frames_with_face").flatMap { Int($0) },
            framesAccepted: text("frames_accepted").flatMap { Int($0) }, faceEmotion: text("face_emotion"),
            faceConfidence: text("face_confidence").flatMap(Double.init), document: text("result"),
            pipeline: text("pipeline"), pipelineHash: text("pipeline_hash"), analyzedAt: text("analyzed_at"),
            voiceEmotion: text("voice_emotion"), voiceConfidence: text("voice_confidence").flatMap(Double.init),
            fusedEmotion: text("fused_emotion"), fusedConfidence: text("fused_confidence").flatMap(Double.init),
            fusionMethod: text("fusion_method").flatMap(FusedAggregate.Method.init), language: text("language"),
            languageConfidence: text("language_confidence").flatMap(Double.init))
    }

    /// `entries` as a CSV document: the header, then one line per entry.
    ///
    /// - Parameter entries: the entries, one line each, in the order given.
    /// - Returns: the CSV text, every line ending in `\n`.
    public static func csv(_ entries: [ResultEntry]) -> String {
        ([columns.joined(separator: ",")] + entries.map(\.csvLine)).map { $0 + "\n" }.joined()
    }

    /// The entry as one CSV line (RFC 4180 quoting), without the line break.
    public var csvLine: String {
        fields.map(Self.quoted).joined(separator: ",")
    }

    static func quoted(_ field: String) -> String {
        // "\r\n" is one Character, equal to neither "\r" nor "\n": test for any line break.
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
