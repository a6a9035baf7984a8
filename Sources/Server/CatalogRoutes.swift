import Foundation
import Hummingbird
import Model
import Pipeline

/// `/v1/pipelines` and `/v1/models`: what this server can analyse with, and every model behind
/// it with its source, digest, labels, licence and measured accuracy (seed 001's `/models/info`).
struct CatalogRoutes: Sendable {
    func add(to router: Router<BasicRequestContext>) {
        router.get("/v1/pipelines") { _, _ in JSONBody.response(["pipelines": Self.pipelines().map(\.json)]) }
        router.get("/v1/models") { _, _ in
            let home = PipelineLibrary.home
            let models = Self.pipelines().flatMap { entry in
                (entry.pipeline?.models ?? []).map { model -> [String: Any] in
                    let card = ModelCard(for: model, home: home)
                    var object: [String: Any] = [
                        "pipeline": entry.name, "role": model.role, "name": model.name, "source": model.source,
                        "sha256": model.sha256, "labels": model.labels, "card": card.path,
                    ]
                    object["licence"] = card.licence
                    object["evaluation"] = card.evaluation
                    return object
                }
            }
            return JSONBody.response(["models": models])
        }
    }

    /// A pipeline of `Pipelines/`, loaded, or the reason it does not load (a model not fetched).
    struct Entry {
        var name: String
        var pipeline: ResolvedPipeline?
        var error: String?

        var json: [String: Any] {
            var object: [String: Any] = ["name": name]
            if let pipeline {
                object["description"] = pipeline.definition.description
                object["hash"] = pipeline.hash
                object["modalities"] = [
                    "face": pipeline.definition.modalities.face, "voice": pipeline.definition.modalities.voice,
                ]
                object["max_frames"] = pipeline.definition.sampling.maxFrames
                object["models"] = pipeline.models.map { "\($0.role): \($0.name)" }
            }
            object["error"] = error
            return object
        }
    }

    static func pipelines() -> [Entry] {
        let folder = PipelineLibrary.home.appendingPathComponent("Pipelines")
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
            .filter { $0.hasSuffix(".yml") }.map { String($0.dropLast(4)) }.sorted()
        return names.map { name in
            do {
                return Entry(name: name, pipeline: try PipelineLibrary.load(name))
            } catch {
                return Entry(name: name, error: "\(error)")
            }
        }
    }
}
