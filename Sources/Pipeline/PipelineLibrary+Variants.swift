import Foundation
import Model

extension PipelineLibrary {
    /// Writes `pipeline` (a named pipeline with a request's changes: fewer frames, one branch) as
    /// a pipeline file of its own, so that a queued job can name it by path and any worker load
    /// it: `<folder>/<name>-<hash>.yml`, its model paths absolute. The same settings give the
    /// same file, written once.
    ///
    /// - Parameters:
    ///   - pipeline: the resolved pipeline.
    ///   - folder: where variants are kept; created when missing.
    /// - Returns: the file's path, a reference for `load` that resolves to a pipeline of the same hash.
    /// - Throws: Foundation's error when the folder or file cannot be written.
    public static func writeVariant(of pipeline: ResolvedPipeline, in folder: URL) throws -> String {
        var definition = pipeline.definition
        definition.detector.path = pipeline.detectorOptions.path
        definition.faceModel.path = pipeline.faceModelSpec.path
        definition.voiceModel.path = pipeline.voiceModelSpec.path
        definition.whisper?.path = pipeline.whisperSpec?.path ?? ""
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase  // as files spell the keys; JSON is YAML
        let file = folder.appendingPathComponent("\(definition.name)-\(pipeline.hash.prefix(16)).yml")
        if !FileManager.default.fileExists(atPath: file.path) {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let temporary = folder.appendingPathComponent(".\(UUID().uuidString).yml")
            try encoder.encode(definition).write(to: temporary)
            guard rename(temporary.path, file.path) == 0 else {
                throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
            }
        }
        return file.path
    }
}
