import Foundation
import Model
import Store

/// A job as the API shows it: where it is, and once finished, its result.
struct Analysis: Sendable {
    var job: Job
    /// The result, once the job is finished and its file's latest result is this pipeline's.
    var result: StoredResult?

    var isFinished: Bool { job.state == .done || job.state == .failed }
    var document: Data? { result?.document }

    /// The JSON object `GET /v1/analyses/{id}` answers: the job, links, and the result when there is one.
    ///
    /// - Parameter withResult: include the result's summary and document (single lookups), or the job alone (lists).
    /// - Returns: the object, for `JSONBody.response`.
    func json(withResult: Bool) -> [String: Any] {
        var object: [String: Any] = [
            "id": job.id, "state": job.state.rawValue, "file": job.path, "sha256": job.sha256,
            "size_bytes": job.sizeBytes, "pipeline": Self.pipelineName(job.pipeline), "pipeline_hash": job.pipelineHash,
            "priority": job.priority, "attempts": job.attempts,
            "links": ["self": "/v1/analyses/\(job.id)", "result": "/v1/results/\(job.id)"],
        ]
        object["queued_at"] = job.queuedAt.map(Self.timestamp)
        object["finished_at"] = job.finishedAt.map(Self.timestamp)
        object["error"] = job.error
        object["worker"] = job.worker?.rawValue
        if let entry = result?.entry {
            var summary: [String: Any] = ["status": entry.status.rawValue]
            summary["fused_emotion"] = entry.fusedEmotion
            summary["fused_confidence"] = entry.fusedConfidence
            summary["face_emotion"] = entry.faceEmotion
            summary["face_confidence"] = entry.faceConfidence
            summary["voice_emotion"] = entry.voiceEmotion
            summary["voice_confidence"] = entry.voiceConfidence
            summary["error"] = entry.error
            object["summary"] = summary
        }
        if withResult, let document, let parsed = try? JSONSerialization.jsonObject(with: document) {
            object["result"] = parsed
        }
        return object
    }

    /// A job's pipeline as clients name it: a variant file (`…/.pipelines/default-<hash>.yml`,
    /// a request's changes) by the name of the pipeline it changes, not by a path on the server.
    static func pipelineName(_ reference: String) -> String {
        guard reference.contains("/") else { return reference }
        let stem = URL(fileURLWithPath: reference).deletingPathExtension().lastPathComponent
        return stem.lastIndex(of: "-").map { String(stem[..<$0]) } ?? stem
    }

    static func timestamp(_ date: Date) -> String {
        date.formatted(.iso8601)
    }
}
