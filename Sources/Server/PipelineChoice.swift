import Foundation
import Model
import Pipeline

/// A request's pipeline: a name from `Pipelines/` and the changes it may ask for.
struct PipelineChoice: Sendable, Hashable {
    var name: String
    var maxFrames: Int?
    /// Nil keeps the pipeline's own setting.
    var face: Bool?
    var voice: Bool?

    /// The job's pipeline reference and hash: the name itself when nothing changes, else a
    /// variant file written into `variants`.
    ///
    /// - Throws: `Problem` 400 for a path, an unknown name or settings out of range; 503 when a model is missing.
    func resolve(variants: URL) throws -> (reference: String, hash: String) {
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || "-_".contains($0) }) else {
            throw Problem(.badRequest, "pipeline must be a name from GET /v1/pipelines, not '\(name)'")
        }
        if let maxFrames, !(1...10_000).contains(maxFrames) {
            throw Problem(.badRequest, "max_frames must be between 1 and 10000 (got \(maxFrames))")
        }
        if face == false, voice == false {
            throw Problem(.badRequest, "turning off both the video and the audio leaves nothing to analyse")
        }
        let pipeline: ResolvedPipeline
        do {
            pipeline = try PipelineLibrary.load(name) { definition in
                if let maxFrames { definition.sampling.maxFrames = maxFrames }
                if let face { definition.modalities.face = face }
                if let voice { definition.modalities.voice = voice }
            }
        } catch let error as PipelineError {
            if case .notFound = error { throw Problem(.badRequest, "\(error)") }
            throw Problem(.serviceUnavailable, "pipeline \(name) cannot be loaded: \(error)")
        }
        guard maxFrames != nil || face != nil || voice != nil else { return (name, pipeline.hash) }
        do {
            return (try PipelineLibrary.writeVariant(of: pipeline, in: variants), pipeline.hash)
        } catch {
            throw Problem(.init(code: 507), "the pipeline variant could not be written in \(variants.path): \(error)")
        }
    }
}
