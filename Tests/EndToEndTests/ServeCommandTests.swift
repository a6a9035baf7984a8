import Foundation
import TestSupport
import XCTest

/// `emoscan serve` over real HTTP on loopback: uploads and paths in, results out, every error a
/// problem document, limits held, concurrent uploads each analysed once, SIGTERM mid-job.
final class ServeCommandTests: XCTestCase {
    override func setUpWithError() throws {
        try EmoscanProcess.requireBuilt()
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/curl") else {
            throw XCTSkip("curl is not installed (Scripts/setup installs it): the server tests need an HTTP client")
        }
    }

    func testUploadPollResultAndExport() throws {
        let store = freshFolder()
        let server = try ServedEmoscan(self, store: store)
        let clip = try GeneratedMedia.distinctClips(1)[0]

        let queued = try server.upload(clip)
        XCTAssertTrue([200, 202].contains(queued.status), queued.text)
        let id = try XCTUnwrap(queued.json["id"] as? Int, queued.text)
        XCTAssertEqual(queued.headers["location"], "/v1/analyses/\(id)")
        let upload = try XCTUnwrap(queued.json["file"] as? String)
        XCTAssertEqual(upload, store + "/uploads/" + (queued.json["sha256"] as? String ?? "?"), "kept by content hash")
        XCTAssertEqual(
            try Data(contentsOf: URL(fileURLWithPath: upload)), try Data(contentsOf: URL(fileURLWithPath: clip)))

        let finished = try server.finished(id)
        XCTAssertEqual(finished["state"] as? String, "done", "\(finished)")
        let result = try XCTUnwrap(finished["result"] as? [String: Any], "\(finished)")
        XCTAssertEqual((result["file"] as? [String: Any])?["path"] as? String, upload)

        let document = try server.call("/v1/results/\(id)")
        XCTAssertEqual(document.status, 200)
        XCTAssertEqual(document.headers["content-type"], "application/json")
        XCTAssertEqual((document.json["file"] as? [String: Any])?["path"] as? String, upload)
        let row = try server.call("/v1/results/\(id)?format=csv")
        XCTAssertEqual(CSVText.rows(row.text).count, 2, row.text)
        XCTAssertEqual(CSVText.rows(row.text).last?.first, upload)

        // The same content again: the same job, answered with its result at once.
        let again = try server.upload(clip)
        XCTAssertEqual(again.status, 200, again.text)
        XCTAssertEqual(again.json["id"] as? Int, id)
        XCTAssertNotNil(again.json["result"])

        let report = try server.call("/v1/results/\(id)/report")
        XCTAssertEqual(report.status, 200)
        XCTAssertEqual(report.headers["content-type"], "text/html; charset=utf-8")
        XCTAssertTrue(report.text.contains(#"class="timeline""#))
        let batch = try server.call("/v1/report")
        XCTAssertTrue(batch.text.contains(#"<a href="/v1/results/\#(id)/report">"#), batch.text)
        for path in ["/v1/results.csv", "/v1/results.jsonl"] {
            let export = try server.call(path)
            XCTAssertEqual(export.status, 200, path)
            XCTAssertTrue(export.text.contains(upload), "\(path): \(export.text)")
        }
        let cli = try emoscan(["results", "export", "--store", store, "--format", "csv"])
        XCTAssertEqual(cli.status, 0, cli.stderr)
        XCTAssertEqual(CSVText.rows(cli.stdout).dropFirst().map { $0[0] }, [upload])
        let listed = try server.call("/v1/analyses?state=done").json["analyses"] as? [[String: Any]]
        XCTAssertEqual(listed?.map { $0["id"] as? Int }, [id])
    }

    func testPathModeOnlyUnderAllowedRootsAndWaitGivesTheResult() throws {
        let root = freshFolder(), outside = freshFolder()
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        let image = root + "/still.png"
        try FileManager.default.copyItem(atPath: try GeneratedMedia.stillImage(), toPath: image)
        try FileManager.default.copyItem(atPath: try GeneratedMedia.stillImage(), toPath: outside + "/still.png")
        try FileManager.default.createSymbolicLink(
            atPath: root + "/escape.png", withDestinationPath: outside + "/still.png")
        try Data("not a recording".utf8).write(to: URL(fileURLWithPath: root + "/notes.txt"))
        let server = try ServedEmoscan(self, store: freshFolder(), arguments: ["--allow-root", root])

        func byPath(_ path: String, query: String = "") throws -> ServedEmoscan.Answer {
            let body = String(decoding: try JSONSerialization.data(withJSONObject: ["path": path]), as: UTF8.self)
            return try server.call("/v1/analyses" + query, ["-H", "Content-Type: application/json", "-d", body])
        }
        let waited = try byPath(image, query: "?wait=60")
        XCTAssertEqual(waited.status, 200, "?wait returns the finished analysis: \(waited.text)")
        XCTAssertEqual(waited.json["state"] as? String, "done")
        XCTAssertEqual(waited.json["file"] as? String, image)
        XCTAssertNotNil(waited.json["result"])

        try expectProblem(try byPath(outside + "/still.png"), 403, mentioning: "not under a folder")
        try expectProblem(try byPath(root + "/escape.png"), 403, mentioning: "not under a folder")
        try expectProblem(
            try byPath(root + "/../" + URL(fileURLWithPath: outside).lastPathComponent + "/still.png"), 403)
        try expectProblem(try byPath(root + "/missing.mp4"), 404, mentioning: "no such file")
        try expectProblem(try byPath(root + "/notes.txt"), 415, mentioning: "not a recording")
    }

    func testEveryErrorIsAProblemDocument() throws {
        let server = try ServedEmoscan(
            self, store: freshFolder(), token: "s3cret-token", arguments: ["--max-upload", "1MB"])
        let clip = try GeneratedMedia.distinctClips(1)[0]

        let anonymous = try server.call("/v1/analyses", authorised: false)
        try expectProblem(anonymous, 401, mentioning: "Authorization: Bearer")
        XCTAssertEqual(anonymous.headers["www-authenticate"], "Bearer")
        try expectProblem(
            try server.call("/v1/analyses", ["-H", "Authorization: Bearer wrong"], authorised: false), 401)
        let health = try server.call("/health", ["-H", "Origin: https://elsewhere.example"], authorised: false)
        XCTAssertEqual(health.status, 200, "liveness needs no token")
        XCTAssertNil(health.headers["access-control-allow-origin"], "no CORS without --cors")

        let text = freshFolder() + ".txt"
        try Data("hello, not a video".utf8).write(to: URL(fileURLWithPath: text))
        try expectProblem(try server.upload(text), 415, mentioning: "not a recording")
        let big = freshFolder() + ".bin"
        try Data(count: 2_000_000).write(to: URL(fileURLWithPath: big))
        try expectProblem(try server.upload(big), 413, mentioning: "--max-upload")
        try expectProblem(try server.call("/v1/analyses/987654"), 404, mentioning: "no analysis 987654")
        try expectProblem(try server.call("/v1/analyses/987654", ["-X", "DELETE"]), 404)
        try expectProblem(try server.call("/v1/nothing-here"), 404, mentioning: "no such endpoint")
        try expectProblem(try server.upload(clip, query: "?wait=soon"), 400, mentioning: "wait must be")
        try expectProblem(
            try server.upload(clip, query: "?pipeline=../etc"), 400, mentioning: "pipeline must be a name")
        try expectProblem(try server.upload(clip, query: "?pipeline=nonesuch"), 400, mentioning: "nonesuch")
        try expectProblem(
            try server.call("/v1/analyses", ["-H", "Content-Type: application/json", "-d", "[1"]), 400,
            mentioning: "JSON object")
        try expectProblem(
            try server.call(
                "/v1/analyses", ["-H", "Content-Type: application/json", "-d", #"{"path": "/etc/passwd"}"#]),
            403, mentioning: "--allow-root")

        let done = try server.upload(clip, query: "?wait=60")
        let id = try XCTUnwrap(done.json["id"] as? Int, done.text)
        try expectProblem(try server.call("/v1/analyses/\(id)", ["-X", "DELETE"]), 409, mentioning: "only a queued")
        try expectProblem(
            try server.call(
                "/v1/labels",
                ["-H", "Content-Type: application/json", "-d", #"{"analysis_id": \#(id), "emotion": "bored"}"#]),
            400, mentioning: "emotion must be one of")
        let label = try server.call(
            "/v1/labels",
            ["-H", "Content-Type: application/json", "-d", #"{"analysis_id": \#(id), "emotion": "happy"}"#])
        XCTAssertEqual(label.status, 201, label.text)
        XCTAssertEqual(label.json["file"] as? String, done.json["file"] as? String)
    }

    func testAHugeUploadIsRefusedAtTheLimitWithoutGrowingMemory() throws {
        let store = freshFolder()
        let server = try ServedEmoscan(self, store: store, arguments: ["--max-upload", "100MB"])
        // 3 GB, sparse: nothing is read from disk, and nothing of it may be held by the server.
        let huge = freshFolder() + ".huge"
        XCTAssertTrue(FileManager.default.createFile(atPath: huge, contents: nil))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: huge))
        try handle.truncate(atOffset: 3_000_000_000)
        try handle.close()
        _ = try server.call("/health")
        let before = server.peakMemory

        // Its length announced: refused before a byte of the body is read.
        try expectProblem(try server.upload(huge), 413, mentioning: "--max-upload")
        // Streamed without a length: read up to the limit, then refused.
        try expectProblem(try server.call("/v1/analyses", ["-T", huge, "-H", "Transfer-Encoding: chunked"]), 413)
        let growth = server.peakMemory - before
        XCTAssertLessThan(growth, 64 << 20, "the server's peak memory grew by \(growth >> 20) MB on a refused upload")
        let left = try FileManager.default.contentsOfDirectory(atPath: store + "/uploads")
        XCTAssertEqual(left.filter { !$0.hasPrefix(".pipelines") }, [], "a refused upload left files behind")
    }

    func testTwentyUploadsAtOnceAreEachAnalysedOnce() throws {
        let store = freshFolder()
        let server = try ServedEmoscan(self, store: store, arguments: ["--workers", "2"])
        let images = try GeneratedMedia.distinctImages(20)
        let collected = Locked([ServedEmoscan.Answer?](repeating: nil, count: images.count))
        DispatchQueue.concurrentPerform(iterations: images.count) { index in
            let answer = try? server.upload(images[index])
            collected.withLock { $0[index] = answer }
        }
        let answers = collected.withLock { $0 }
        let ids = answers.compactMap { $0?.json["id"] as? Int }
        XCTAssertEqual(Set(ids).count, images.count, "every upload got a job of its own: \(answers.map { $0?.status })")
        for id in ids { _ = try server.finished(id) }

        let listed = try XCTUnwrap(try server.call("/v1/analyses?limit=100").json["analyses"] as? [[String: Any]])
        XCTAssertEqual(listed.count, images.count)
        XCTAssertEqual(listed.filter { $0["state"] as? String == "done" }.count, images.count, "\(listed)")
        XCTAssertEqual(listed.filter { $0["attempts"] as? Int != 1 }.count, 0, "a job was analysed twice")
        let counts = try status(store)
        XCTAssertEqual(counts["done"] as? Int, images.count)
        XCTAssertEqual(counts["results"] as? Int, images.count)
        let metrics = try server.call("/metrics").text
        XCTAssertTrue(metrics.contains(#"emoscan_jobs{state="done"} 20"#), metrics)
        XCTAssertTrue(metrics.contains("emoscan_files_analysed_total 20"), metrics)
        XCTAssertTrue(metrics.contains(#"emoscan_stage_duration_seconds_count{stage="total"} 20"#), metrics)
    }

    func testSIGTERMMidJobPutsItBackInTheQueueAndExitsZero() throws {
        let store = freshFolder()
        let server = try ServedEmoscan(self, store: store, arguments: ["--verbose"])
        let slow = try GeneratedMedia.distinctClips(1, seconds: 8, size: "640x480", rate: 25)[0]
        let queued = try server.upload(slow)
        XCTAssertEqual(queued.status, 202, queued.text)
        XCTAssertTrue(
            server.process.waitForLogLines(timeout: 60) { $0.contains { $0.message == "claimed" } }, "no job claimed")
        server.process.send(SIGTERM)
        let stopped = try server.process.wait(timeout: 60)
        XCTAssertEqual(stopped.status, 0, stopped.stderr)
        XCTAssertFalse(stopped.signalled)
        XCTAssertFalse(stopped.logLines.contains { $0.message == "analysed" }, "the job finished before the signal")
        let stop = stopped.logLines.first { $0.message == "workers stopped" }
        XCTAssertEqual(stop?["jobs put back in the queue"], "1", stopped.stderr)
        let counts = try status(store)
        XCTAssertEqual([counts["queued"] as? Int, counts["running"] as? Int, counts["done"] as? Int], [1, 0, 0])
    }

    func testTheSeedsRequestShapes() throws {
        let server = try ServedEmoscan(self, store: freshFolder())
        let video = try GeneratedMedia.videoWithSpeech()
        let speech = try GeneratedMedia.speech()
        let image = try GeneratedMedia.stillImage()

        let analyze = try server.call("/api/analyze", ["-F", "file=@\(video)", "-F", "max_frames=4"])
        XCTAssertEqual(analyze.status, 200, analyze.text)
        XCTAssertEqual(analyze.json["status"] as? String, "success")
        XCTAssertNotNil(Int(analyze.json["analysis_id"] as? String ?? ""), "seed 003's id is a string")
        let results = try XCTUnwrap(analyze.json["results"] as? [String: Any], analyze.text)
        let videoEmotion = try XCTUnwrap(results["video_emotion"] as? [String: Any])
        XCTAssertEqual(videoEmotion["frame_count"] as? Int, 4, "max_frames reached the pipeline")
        XCTAssertNotNil(videoEmotion["processed_frames"] as? Int)
        XCTAssertNotNil(results["audio_emotion"] as? [String: Any])

        let predict = try server.call("/predict", ["-F", "file=@\(speech)"])
        XCTAssertEqual(predict.status, 200, predict.text)
        XCTAssertNotNil(predict.json["emotion"] as? String, predict.text)
        XCTAssertEqual((predict.json["probabilities"] as? [String: Double])?.count, 8, "the voice model's eight")

        let fused = try server.call("/detect-human-emotion", ["-F", "image=@\(image)", "-F", "audio=@\(speech)"])
        XCTAssertEqual(fused.status, 200, fused.text)
        XCTAssertEqual(fused.json["status"] as? String, "success")
        XCTAssertNotNil(fused.json["voice_emotion"] as? [String: Any], fused.text)
        XCTAssertNotNil(fused.json["overall_emotion"] as? String, fused.text)
        XCTAssertNotNil(fused.json["combined_confidence"] as? Double, fused.text)
        try expectProblem(
            try server.call("/detect-human-emotion", ["-F", "image=@\(image)"]), 400, mentioning: "'audio'")
    }

    func testHealthReadinessCatalogAndTheOpenAPIDocumentNamesOnlyRealRoutes() throws {
        let server = try ServedEmoscan(self, store: freshFolder(), arguments: ["--cors", "https://app.example"])
        XCTAssertEqual(try server.call("/ready").json["status"] as? String, "ready")
        let preflight = try server.call(
            "/v1/analyses",
            ["-X", "OPTIONS", "-H", "Origin: https://app.example", "-H", "Access-Control-Request-Method: POST"])
        XCTAssertEqual(preflight.headers["access-control-allow-origin"], "https://app.example", "\(preflight.headers)")
        let pipelines = try XCTUnwrap(try server.call("/v1/pipelines").json["pipelines"] as? [[String: Any]])
        XCTAssertTrue(pipelines.contains { $0["name"] as? String == "default" && $0["hash"] != nil }, "\(pipelines)")
        let models = try XCTUnwrap(try server.call("/v1/models").json["models"] as? [[String: Any]])
        let voice = models.first { $0["pipeline"] as? String == "default" && $0["role"] as? String == "voice_emotion" }
        XCTAssertEqual((voice?["sha256"] as? String)?.count, 64, "\(models)")
        XCTAssertTrue(
            (voice?["evaluation"] as? String ?? "").contains("RAVDESS"), "the card's figures: \(voice ?? [:])")
        XCTAssertTrue((voice?["licence"] as? String ?? "").contains("CC BY-NC-SA"), "\(voice ?? [:])")

        let document = try server.call("/openapi.yaml")
        XCTAssertEqual(document.status, 200)
        XCTAssertTrue(document.text.hasPrefix("openapi: 3.1"), document.text)
        var routes: [(String, String)] = []
        var path: String?
        for line in document.text.split(separator: "\n") {
            if let match = line.firstMatch(of: /^  (\/[^:]*):$/) { path = String(match.output.1) }
            if let match = line.firstMatch(of: /^    (get|post|put|delete):$/), let path {
                routes.append((match.output.1.uppercased(), path.replacingOccurrences(of: "{id}", with: "1")))
            }
            if line.hasPrefix("components:") { break }
        }
        XCTAssertGreaterThanOrEqual(routes.count, 19, "the document's routes: \(routes)")
        for (method, route) in routes {
            let answer = try server.call(route, ["-X", method, "--max-time", "20", "-H", "Content-Type: text/plain"])
            XCTAssertFalse(answer.text.contains("no such endpoint"), "\(method) \(route) is documented but not served")
        }
    }

    func testOtherThanLoopbackWithoutATokenIsRefused() throws {
        let run = try emoscan(["serve", "--host", "0.0.0.0", "--store", freshFolder()])
        XCTAssertEqual(run.status, 2)
        XCTAssertTrue(run.stderr.contains("--token-file"), run.stderr)
    }

    /// `answer` is a problem document with `status`, whose detail mentions `words`.
    private func expectProblem(
        _ answer: ServedEmoscan.Answer, _ status: Int, mentioning words: String = "", line: UInt = #line
    ) throws {
        XCTAssertEqual(answer.status, status, answer.text, line: line)
        XCTAssertEqual(answer.headers["content-type"], "application/problem+json", line: line)
        let json = answer.json
        XCTAssertEqual(json["status"] as? Int, status, line: line)
        let detail = try XCTUnwrap(json["detail"] as? String, answer.text, line: line)
        XCTAssertTrue(words.isEmpty || detail.contains(words), "'\(detail)' does not mention '\(words)'", line: line)
    }
}
