import Foundation
import Logging
import Model
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

/// Line edits of pipeline YAML. A key is a setting's name (`max_frames`) or, where the name
/// occurs in several sections, `section.name` (`face_model.path`); it must match exactly one line,
/// so a change to default.yml that breaks an edit fails loudly instead of testing something else.
enum YAMLEdit {
    struct NoSuchLine: Error, CustomStringConvertible {
        let description: String
    }

    /// `text` with the value of `key` replaced by `value`.
    static func setting(_ key: String, to value: String, in text: String) throws -> String {
        try editing(key, in: text) { indent, name, _ in "\(indent)\(name): \(value)" }
    }

    /// `text` with the key's line renamed to `newKey`, value kept.
    static func renaming(_ key: String, to newKey: String, in text: String) throws -> String {
        try editing(key, in: text) { indent, name, line in
            indent + newKey + line.dropFirst(indent.count + name.count)
        }
    }

    /// `text` without the key's line.
    static func removing(_ key: String, in text: String) throws -> String {
        try editing(key, in: text) { _, _, _ in nil }
    }

    /// Replaces the one line holding `key` with what `edit` makes of it (indent, name, whole
    /// line), or removes it when `edit` gives nil.
    private static func editing(
        _ key: String, in text: String,
        _ edit: (_ indent: String, _ name: String, _ line: String) -> String?
    ) throws -> String {
        let parts = key.split(separator: ".").map(String.init)
        let (section, name) = parts.count == 2 ? (parts[0], parts[1]) : (nil, key)
        var lines = text.components(separatedBy: "\n")
        var current: String?
        var matches: [Int] = []
        for (index, line) in lines.enumerated() {
            let indent = String(line.prefix { $0 == " " || $0 == "\t" })
            if indent.isEmpty, let colon = line.firstIndex(of: ":") { current = String(line[..<colon]) }
            guard line.dropFirst(indent.count).hasPrefix(name + ":") else { continue }
            if let section, indent.isEmpty || current != section { continue }
            matches.append(index)
        }
        guard matches.count == 1, let index = matches.first else {
            throw NoSuchLine(
                description: "expected exactly one '\(key):' line in the pipeline text, found \(matches.count)")
        }
        let line = lines[index]
        let indent = String(line.prefix { $0 == " " || $0 == "\t" })
        if let edited = edit(indent, name, line) { lines[index] = edited } else { lines.remove(at: index) }
        return lines.joined(separator: "\n")
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
