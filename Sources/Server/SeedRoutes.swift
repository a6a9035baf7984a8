import Foundation
import HTTPTypes
import Hummingbird
import Model
import Pipeline
import Store

/// The request and answer shapes of the services emoscan grew from, so that a client written
/// for one works unchanged: thin aliases over `POST /v1/analyses?wait=…`, each answer filled
/// from emoscan's result and linking to the full document.
///
/// - seed 003: `POST /api/analyze` (`file`, `analyze_audio`, `analyze_video`, `max_frames`);
/// - seed 000: `POST /detect-human-emotion` (an `image` and an `audio` part, fused as one file's would be);
/// - seed 001: `POST /predict` (an audio `file`).
struct SeedRoutes: Sendable {
    let analyses: AnalysisRoutes
    /// How long an alias waits for its result when the request says nothing (these clients expect an answer).
    static let defaultWait: TimeInterval = 120

    func add(to router: Router<BasicRequestContext>) {
        router.post("/api/analyze") { request, _ in try await analyze(request) }
        router.post("/detect-human-emotion") { request, _ in try await detectHumanEmotion(request) }
        router.post("/predict") { request, _ in try await predict(request) }
    }

    /// Seed 003: `status`, `analysis_id` and `results` with `audio_emotion` and `video_emotion`.
    func analyze(_ request: Request) async throws -> Response {
        let (submitted, parameters) = try await analyses.receive(request)
        let analysis = try await finish(submitted[0], parameters: parameters)
        var object: [String: Any] = [
            "status": status(of: [analysis]), "analysis_id": String(analysis.job.id), "links": links(analysis),
        ]
        object["error"] = error(of: analysis)
        if let result = result(of: analysis) {
            var results: [String: Any] = [:]
            if let voice = result.aggregate.voice {
                results["audio_emotion"] = Self.answer(voice.emotion, voice.confidence)
            }
            if let face = result.aggregate.face {
                var video: [String: Any] = ["frame_count": face.framesSampled, "processed_frames": face.framesAccepted]
                video["dominant_emotion"] = face.emotion
                video["emotion_scores"] = face.probs
                results["video_emotion"] = video
            }
            object["results"] = results
            object["processing_time"] = result.timings.totalSeconds
        }
        return respond(object, analysis)
    }

    /// Seed 000: the image's face and the audio's voice, each analysed alone and fused with the
    /// pipeline's own fusion: `overall_emotion`, `face_emotion`, `voice_emotion`, `combined_confidence`.
    func detectHumanEmotion(_ request: Request) async throws -> Response {
        let (submitted, parameters) = try await analyses.receive(request, parts: ["image", "audio"]) { options, part in
            if part == "image" { options.pipeline.voice = false } else { options.pipeline.face = false }
        }
        let image = try await finish(submitted[0], parameters: parameters)
        let audio = try await finish(submitted[1], parameters: parameters)
        var object: [String: Any] = [
            "status": status(of: [image, audio]), "analysis_ids": [String(image.job.id), String(audio.job.id)],
            "links": ["image": links(image), "audio": links(audio)],
        ]
        let errors = [("image", image), ("audio", audio)].compactMap { part, analysis in
            error(of: analysis).map { "\(part): \($0)" }
        }
        if !errors.isEmpty { object["error"] = errors.joined(separator: "; ") }
        let imageResult = result(of: image), audioResult = result(of: audio)
        let face = imageResult?.aggregate.face, voice = audioResult?.aggregate.voice
        // The fusion the results were analysed with: their documents carry the pipeline's settings.
        if let settings = (imageResult ?? audioResult)?.pipeline.settings, face != nil || voice != nil {
            let fused = Fusion(settings: settings.fusion, labels: settings.faceModel.labels).fuse(
                face: face, voice: voice)
            object["overall_emotion"] = fused.emotion
            object["combined_confidence"] = fused.confidence
            object["fusion"] = fused.note ?? fused.method.rawValue
            object["face_emotion"] = face.map { Self.answer($0.emotion, $0.confidence) }
            object["voice_emotion"] = voice.map { Self.answer($0.emotion, $0.confidence) }
        }
        let finished = [image, audio].allSatisfy(\.isFinished)
        return JSONBody.response(object, status: finished ? .ok : .accepted)
    }

    /// Seed 001: the audio's voice alone: `emotion`, `probabilities`, `audio_file`.
    func predict(_ request: Request) async throws -> Response {
        let (submitted, parameters) = try await analyses.receive(request) { options, _ in
            options.pipeline.face = false
        }
        let analysis = try await finish(submitted[0], parameters: parameters)
        var object: [String: Any] = [
            "status": status(of: [analysis]), "analysis_id": String(analysis.job.id), "links": links(analysis),
            "audio_file": URL(fileURLWithPath: analysis.job.path).lastPathComponent,
        ]
        object["error"] = error(of: analysis)
        if let voice = result(of: analysis)?.aggregate.voice {
            object["emotion"] = voice.emotion
            object["confidence"] = voice.confidence
            object["probabilities"] = voice.probs
        }
        return respond(object, analysis)
    }

    // MARK: Helpers

    /// Waits for the analysis as `?wait=` says, `defaultWait` when it says nothing.
    private func finish(_ analysis: Analysis, parameters: AnalysisParameters) async throws -> Analysis {
        let limit = analyses.configuration.maxWait
        let seconds = parameters.value("wait") == nil ? min(Self.defaultWait, limit) : try parameters.wait(limit: limit)
        guard !analysis.isFinished, seconds > 0 else { return analysis }
        return try await analyses.desk.wait(for: analysis.job.id, upTo: seconds) ?? analysis
    }

    private func result(of analysis: Analysis) -> FileResult? {
        analysis.document.flatMap { try? ResultStore.decode($0) }
    }

    /// `error` when an analysis failed, `pending` while one is unfinished, else `success`.
    private func status(of analyses: [Analysis]) -> String {
        if analyses.contains(where: { $0.job.state == .failed || $0.result?.entry.status == .failed }) {
            return "error"
        }
        return analyses.allSatisfy(\.isFinished) ? "success" : "pending"
    }

    /// Why the analysis failed; nil when it did not.
    private func error(of analysis: Analysis) -> String? {
        guard analysis.job.state == .failed || analysis.result?.entry.status == .failed else { return nil }
        return analysis.result?.entry.error ?? analysis.job.error ?? "failed"
    }

    private func links(_ analysis: Analysis) -> [String: String] {
        ["analysis": "/v1/analyses/\(analysis.job.id)", "result": "/v1/results/\(analysis.job.id)"]
    }

    private func respond(_ object: [String: Any], _ analysis: Analysis) -> Response {
        JSONBody.response(
            object, status: analysis.isFinished ? .ok : .accepted,
            headers: [.location: "/v1/analyses/\(analysis.job.id)"])
    }

    private static func answer(_ emotion: String?, _ confidence: Double?) -> [String: Any] {
        var object: [String: Any] = [:]
        object["emotion"] = emotion
        object["confidence"] = confidence
        return object
    }
}
