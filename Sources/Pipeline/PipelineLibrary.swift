import Foundation
import Model

/// Where named pipelines live: `Pipelines/` in emoscan's home, which is `$EMOSCAN_HOME`, else
/// the nearest folder above the executable that holds `Pipelines/`, else the current directory.
public enum PipelineLibrary {
    public static var home: URL {
        if let configured = ProcessInfo.processInfo.environment["EMOSCAN_HOME"], !configured.isEmpty {
            return URL(fileURLWithPath: configured)
        }
        var folder = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath()
            .deletingLastPathComponent()
        while folder.path != "/" {
            if FileManager.default.fileExists(atPath: folder.appendingPathComponent("Pipelines").path) { return folder }
            folder.deleteLastPathComponent()
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    }

    /// Every emotion a model of a pipeline in `Pipelines/` can say, sorted: the words a person's
    /// label (`emoscan label`) may use. A pipeline file that does not load adds none.
    ///
    /// - Returns: the labels of the face and voice models of every `.yml` file in `Pipelines/`, sorted, each once.
    public static func emotionLabels() -> [String] {
        let folder = home.appendingPathComponent("Pipelines")
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter {
            $0.hasSuffix(".yml")
        }
        var labels = Set<String>()
        for file in files {
            guard let definition = try? PipelineDefinition.load(path: folder.appendingPathComponent(file).path) else {
                continue
            }
            labels.formUnion(definition.faceModel.labels)
            labels.formUnion(definition.voiceModel.labels)
        }
        return labels.sorted()
    }

    /// Whether `nameOrPath` is a path (it has a slash or a .yml/.yaml ending) rather than a name in `Pipelines/`.
    static func isPath(_ nameOrPath: String) -> Bool {
        nameOrPath.contains("/") || nameOrPath.hasSuffix(".yml") || nameOrPath.hasSuffix(".yaml")
    }

    /// The pipeline as a queued job records it for its workers: a name stays a name, a path
    /// becomes absolute, so that a `run` started in another folder finds it.
    ///
    /// - Parameter nameOrPath: a pipeline name, or a path (it has a `/` or a `.yml` or `.yaml` ending).
    /// - Returns: the name unchanged, or the path made absolute and standardized.
    /// - Throws: `PipelineError` when there is no such pipeline.
    public static func reference(for nameOrPath: String) throws -> String {
        let path = try path(for: nameOrPath)
        return isPath(nameOrPath) ? URL(fileURLWithPath: path).standardizedFileURL.path : nameOrPath
    }

    /// The file for `nameOrPath`: a path, or a name in `Pipelines/`.
    ///
    /// - Parameter nameOrPath: a path (it has a `/` or a `.yml` or `.yaml` ending), or a name in `Pipelines/`.
    /// - Returns: the path as given, or `Pipelines/<name>.yml` in `home`.
    /// - Throws: `PipelineError.unreadable` for a missing path, `.notFound` for an unknown name.
    public static func path(for nameOrPath: String) throws -> String {
        if isPath(nameOrPath) {
            guard FileManager.default.fileExists(atPath: nameOrPath) else {
                throw PipelineError.unreadable(path: nameOrPath, reason: "no such file")
            }
            return nameOrPath
        }
        let folder = home.appendingPathComponent("Pipelines")
        let candidate = folder.appendingPathComponent("\(nameOrPath).yml").path
        guard FileManager.default.fileExists(atPath: candidate) else {
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
                .filter { $0.hasSuffix(".yml") }.map { String($0.dropLast(4)) }.sorted()
            throw PipelineError.notFound(nameOrPath, available: names)
        }
        return candidate
    }

    /// Loads and resolves a pipeline by name or path, applying `overrides` to its definition first.
    ///
    /// - Parameters:
    ///   - nameOrPath: a pipeline name in `Pipelines/`, or a path to a `.yml` file.
    ///   - overrides: changes to the definition as loaded (command-line options), made before it is resolved.
    /// - Returns: the resolved pipeline.
    /// - Throws: `PipelineError` when there is no such pipeline, it does not parse or validate, or a model of a branch
    ///   that runs is missing or has another digest; `MediaError` when a model or the cascade cannot be read.
    public static func load(
        _ nameOrPath: String, overrides: (inout PipelineDefinition) -> Void = { _ in }
    )
        throws -> ResolvedPipeline
    {
        let path = try path(for: nameOrPath)
        var definition = try PipelineDefinition.load(path: path)
        overrides(&definition)
        return try ResolvedPipeline(definition, sourcePath: path)
    }
}
