import Foundation
import Logging
import Pipeline
import TestSupport
import XCTest

/// What the pipeline tests share: the repository's default pipeline, its text, and a quiet logger.
enum DefaultPipeline {
    /// `<repo>/Pipelines/default.yml`.
    static var path: String { RepoPaths.path("Pipelines/default.yml") }

    /// The file's text, so test variants follow the real file.
    static func text() throws -> String {
        try String(contentsOfFile: path, encoding: .utf8)
    }

    /// The default pipeline, loaded, checked and resolved (models included), with `overrides` applied.
    static func resolved(_ overrides: (inout PipelineDefinition) -> Void = { _ in }) throws -> ResolvedPipeline {
        try PipelineLibrary.load(path, overrides: overrides)
    }

    static let quietLogger = Logger(label: "emoscan.tests", factory: { _ in SwiftLogNoOpLogHandler() })
}

/// Line edits of pipeline YAML: each names a key that must occur exactly once in the text, so a
/// change to default.yml that breaks an edit fails loudly instead of testing something else.
enum YAMLEdit {
    struct NoSuchLine: Error, CustomStringConvertible {
        let description: String
    }

    /// `text` with the value of `key` (wherever it is nested) replaced by `value`.
    static func setting(_ key: String, to value: String, in text: String) throws -> String {
        let regex = try line(of: key, in: text, wholeLine: false)
        return regex.stringByReplacingMatches(in: text, range: NSRange(text.startIndex..., in: text),
                                              withTemplate: "$1" + NSRegularExpression.escapedTemplate(for: "\(key): \(value)"))
    }

    /// `text` with the key's line renamed to `newKey`, value kept.
    static func renaming(_ key: String, to newKey: String, in text: String) throws -> String {
        let regex = try NSRegularExpression(pattern: "^([ \\t]*)\(NSRegularExpression.escapedPattern(for: key)):",
                                            options: [.anchorsMatchLines])
        try expectOne(regex, key, in: text)
        return regex.stringByReplacingMatches(in: text, range: NSRange(text.startIndex..., in: text),
                                              withTemplate: "$1" + NSRegularExpression.escapedTemplate(for: "\(newKey):"))
    }

    /// `text` without the key's line.
    static func removing(_ key: String, in text: String) throws -> String {
        let regex = try line(of: key, in: text, wholeLine: true)
        return regex.stringByReplacingMatches(in: text, range: NSRange(text.startIndex..., in: text), withTemplate: "")
    }

    private static func line(of key: String, in text: String, wholeLine: Bool) throws -> NSRegularExpression {
        let pattern = "^([ \\t]*)\(NSRegularExpression.escapedPattern(for: key)):[^\\n]*" + (wholeLine ? "\\n" : "")
        let regex = try NSRegularExpression(pattern: pattern, options: [.anchorsMatchLines])
        try expectOne(regex, key, in: text)
        return regex
    }

    private static func expectOne(_ regex: NSRegularExpression, _ key: String, in text: String) throws {
        let count = regex.numberOfMatches(in: text, range: NSRange(text.startIndex..., in: text))
        guard count == 1 else {
            throw NoSuchLine(description: "expected exactly one '\(key):' line in the pipeline text, found \(count)")
        }
    }
}

extension XCTestCase {
    /// A fresh folder, removed when the test ends.
    func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("emoscan-pipeline-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    /// Writes `text` to `name` in `folder`, returning its path.
    func write(_ text: String, to name: String, in folder: URL) throws -> String {
        let url = folder.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
        return url.path
    }
}
