import Foundation
import Hummingbird

/// A request's analysis options, by name, wherever they came from: the query string, a form's
/// fields or a JSON body. Seed 003's names (`analyze_audio`, `analyze_video`) are read too.
struct AnalysisParameters: Sendable {
    let value: @Sendable (String) -> String?

    /// The query string's parameters, then `fields` (a form's, a JSON body's members as text) where the query has none.
    init(query: Request, fields: [String: String] = [:]) {
        var merged = fields
        for (name, value) in query.uri.queryParameters { merged[String(name)] = String(value) }
        value = { [merged] name in merged[name] }
    }

    /// The options, on a pipeline by default `defaultPipeline`.
    ///
    /// - Throws: `Problem` 400 for a value that is not of its kind.
    func options(defaultPipeline: String) throws -> AnalysisDesk.Options {
        AnalysisDesk.Options(
            pipeline: PipelineChoice(
                name: value("pipeline") ?? defaultPipeline, maxFrames: try integer("max_frames"),
                face: try boolean("face") ?? boolean("analyze_video"),
                voice: try boolean("voice") ?? boolean("analyze_audio")),
            priority: try integer("priority") ?? 0)
    }

    /// `?wait=`: seconds to wait for the result, at most `limit`; 0 when absent.
    func wait(limit: TimeInterval) throws -> TimeInterval {
        guard let text = value("wait") else { return 0 }
        guard let seconds = Double(text), seconds >= 0, seconds.isFinite else {
            throw Problem(.badRequest, "wait must be a number of seconds (got '\(text)')")
        }
        return min(seconds, limit)
    }

    func integer(_ name: String) throws -> Int? {
        guard let text = value(name) else { return nil }
        guard let number = Int(text) else {
            throw Problem(.badRequest, "\(name) must be a whole number (got '\(text)')")
        }
        return number
    }

    func boolean(_ name: String) throws -> Bool? {
        switch value(name)?.lowercased() {
        case nil: return nil
        case "true", "1", "yes", "on": return true
        case "false", "0", "no", "off": return false
        case let text?: throw Problem(.badRequest, "\(name) must be true or false (got '\(text)')")
        }
    }
}
