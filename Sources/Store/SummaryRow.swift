import Foundation
import Pipeline

/// One line of `summary.csv`: a file's latest result in the columns other tools read.
///
/// The column names are a published interface: add columns at the end, never rename one.
public struct SummaryRow: Sendable, Equatable {
    public static let columns = [
        "file", "status", "error", "duration_s", "frames_sampled", "frames_with_face", "frames_accepted",
        "face_emotion", "face_confidence", "result", "pipeline", "pipeline_hash", "analyzed_at",
        "voice_emotion", "voice_confidence", "fused_emotion", "fused_confidence", "fusion_method",
    ]

    /// Values by column name.
    public var values: [String: String]

    public init(values: [String: String]) {
        self.values = values
    }

    public init(_ result: FileResult, documentPath: String) {
        let face = result.aggregate.face, voice = result.aggregate.voice, fused = result.aggregate.fused
        func confidence(_ value: Double?) -> String { value.map { String(format: "%.4f", $0) } ?? "" }
        values = [
            "file": result.file.path,
            "status": result.status.rawValue,
            "error": result.error ?? "",
            "duration_s": result.file.durationSeconds.map { String(format: "%.3f", $0) } ?? "",
            "frames_sampled": face.map { String($0.framesSampled) } ?? "",
            "frames_with_face": face.map { String($0.framesWithFace) } ?? "",
            "frames_accepted": face.map { String($0.framesAccepted) } ?? "",
            "face_emotion": face?.emotion ?? "",
            "face_confidence": confidence(face?.confidence),
            "result": documentPath,
            "pipeline": result.pipeline.name,
            "pipeline_hash": result.pipeline.hash,
            "analyzed_at": result.analyzedAt,
            "voice_emotion": voice?.emotion ?? "",
            "voice_confidence": confidence(voice?.confidence),
            "fused_emotion": fused.emotion ?? "",
            "fused_confidence": confidence(fused.confidence),
            "fusion_method": result.status == .ok ? fused.method.rawValue : "",
        ]
    }

    public var file: String { values["file"] ?? "" }

    /// `rows` as a CSV document: the header, then one line per row.
    public static func csv(_ rows: [SummaryRow]) -> String {
        ([columns.joined(separator: ",")] + rows.map(\.csvLine)).map { $0 + "\n" }.joined()
    }

    /// The row as one CSV line (RFC 4180 quoting), without the line break.
    public var csvLine: String {
        Self.columns.map { Self.quoted(values[$0] ?? "") }.joined(separator: ",")
    }

    static func quoted(_ field: String) -> String {
        // "\r\n" is one Character, equal to neither "\r" nor "\n": test for any line break.
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
