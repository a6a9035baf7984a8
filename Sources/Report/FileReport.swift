import Foundation
import Model

/// One file's result as a page people read: the file's facts, the pipeline and its models, the
/// answer (fused, face, voice) and how it was reached, the emotions over time, their spread, and
/// the warnings. One self-contained HTML file: no script, no fetch, readable offline and from
/// e-mail; every value from the file is escaped by the template.
public struct FileReport: Sendable {
    public let result: FileResult

    public init(_ result: FileResult) {
        self.result = result
    }

    /// The page.
    public var html: String {
        ReportTemplates.render(context, page: "file")
    }

    /// What the template shows, as plain values.
    var context: [String: Any] {
        let file = result.file
        let aggregate = result.aggregate
        var facts: [[String: String]] = [
            ["name": "File", "value": file.path],
            ["name": "Status", "value": result.status.rawValue + (result.error.map { ": \($0)" } ?? "")],
        ]
        if let duration = file.durationSeconds { facts.append(["name": "Duration", "value": Self.seconds(duration)]) }
        if let size = file.sizeBytes { facts.append(["name": "Size", "value": Self.bytes(size)]) }
        if let container = file.container { facts.append(["name": "Container", "value": container]) }
        if let video = file.video {
            var text = "\(video.codec), \(video.width)×\(video.height)"
            if video.rotation != 0 { text += ", rotated \(video.rotation)°" }
            if let rate = video.averageFrameRate { text += String(format: ", %.2f fps", rate) }
            facts.append(["name": "Video", "value": text])
        }
        if let audio = file.audio {
            facts.append([
                "name": "Audio", "value": "\(audio.codec), \(audio.sampleRate) Hz, \(audio.channels) channels",
            ])
        }
        facts.append(["name": "Analysed", "value": result.analyzedAt])
        facts.append(["name": "Pipeline", "value": "\(result.pipeline.name) (\(result.pipeline.hash.prefix(12)))"])

        let faceLabels = result.pipeline.settings.faceModel.labels
        var charts: [[String: String]] = []
        if let probs = aggregate.fused.probs {
            charts.append(["title": "Fused", "svg": BarChart(probs: probs, labels: faceLabels).svg])
        }
        if let face = aggregate.face, let probs = face.probs {
            charts.append(["title": "Face", "svg": BarChart(probs: probs, labels: faceLabels).svg])
        }
        if let voice = aggregate.voice, let probs = voice.probs {
            charts.append(["title": "Voice", "svg": BarChart(probs: probs, labels: voice.labels).svg])
        }
        return [
            "title": URL(fileURLWithPath: file.path).lastPathComponent,
            "pageTitle": "emoscan: " + URL(fileURLWithPath: file.path).lastPathComponent,
            "css": ReportStyle.css,
            "facts": facts,
            "models": result.models.map { model in
                [
                    "role": model.role.replacingOccurrences(of: "_", with: " "), "name": model.name,
                    "sha256": model.sha256,
                    "source": model.source,
                ]
            },
            "answers": answers,
            "fusion": fusionInWords,
            "timeline": TimelineChart(result).svg,
            "legend": faceLabels.map { ["label": $0, "color": EmotionPalette.color(for: $0)] },
            "charts": charts,
            "warnings": result.warnings,
            "hasWarnings": !result.warnings.isEmpty,
            "failed": result.status == .failed,
            "error": result.error ?? "",
        ]
    }

    /// The fused, face and voice answers with their confidences.
    var answers: [[String: String]] {
        let aggregate = result.aggregate
        let rows: [(String, String?, Double?)] = [
            ("Fused", aggregate.fused.emotion, aggregate.fused.confidence),
            ("Face", aggregate.face?.emotion, aggregate.face?.confidence),
            ("Voice", aggregate.voice?.emotion, aggregate.voice?.confidence),
        ]
        return rows.map { name, emotion, confidence in
            [
                "name": name, "emotion": emotion ?? "none",
                "confidence": confidence.map { String(format: "%.2f", $0) } ?? "–",
                "color": emotion.map(EmotionPalette.color(for:)) ?? EmotionPalette.nothing,
            ]
        }
    }

    /// How the fused answer was reached, in plain words.
    var fusionInWords: String {
        let fused = result.aggregate.fused
        let weights = String(format: "face %.2f, voice %.2f", fused.faceWeight, fused.voiceWeight)
        let method: String
        switch fused.method {
        case .weighted: method = "face and voice weighted by their confidence (\(weights))"
        case .faceOnly: method = "the face alone"
        case .voiceOnly: method = "the voice alone"
        case .none: method = "no answer: neither the face nor the voice gave one"
        }
        return fused.note.map { "\(method); \($0)" } ?? method
    }

    static func seconds(_ value: Double) -> String {
        value < 60 ? String(format: "%.1f s", value) : String(format: "%d min %02d s", Int(value) / 60, Int(value) % 60)
    }

    static func bytes(_ value: Int) -> String {
        value < 1_000_000 ? "\(value) bytes" : String(format: "%.1f MB", Double(value) / 1e6)
    }
}
