import Foundation
import HTTPTypes
import Hummingbird
import Pipeline
import Store

/// `/v1/results`: the store's results as `results list`, `show` and `export` give them, and
/// `/v1/labels`, a person's corrections as `emoscan label` records them.
struct ResultRoutes: Sendable {
    let desk: AnalysisDesk
    /// Documents read per query of a streamed export.
    static let pageSize = 200

    var store: ResultStore { desk.store }

    func add(to router: Router<BasicRequestContext>) {
        router.get("/v1/results") { request, _ in try await list(request) }
        router.get("/v1/results.csv") { request, _ in try await export(request, csv: true) }
        router.get("/v1/results.jsonl") { request, _ in try await export(request, csv: false) }
        router.get("/v1/results/{id}") { request, context in try await show(request, context: context) }
        router.post("/v1/labels") { request, _ in try await label(request) }
    }

    /// The summary rows since `?since=`, `?limit=` of them (default 100) from `?offset=`.
    func list(_ request: Request) async throws -> Response {
        let query = request.uri.queryParameters
        let limit = try Self.number(query["limit"], name: "limit", in: 1...1000) ?? 100
        let offset = try Self.number(query["offset"], name: "offset", in: 0...Int.max) ?? 0
        let rows = try await store.database.results(since: try Self.since(request))
        let page = rows.dropFirst(offset).prefix(limit)
        var object: [String: Any] = ["results": page.map(Self.json), "total": rows.count]
        if offset + page.count < rows.count { object["next_offset"] = offset + page.count }
        return JSONBody.response(object)
    }

    /// The result document of analysis `id`; `?format=csv` for its summary row with the header.
    func show(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let id = try AnalysisRoutes.id(context)
        guard let analysis = try await desk.analysis(id) else { throw Problem(.notFound, "there is no analysis \(id)") }
        guard let document = analysis.document else {
            let state = analysis.job.state
            throw Problem(
                .notFound,
                analysis.isFinished
                    ? "analysis \(id) \(state.rawValue) without a result document: \(analysis.job.error ?? "see GET /v1/analyses/\(id)")"
                    : "analysis \(id) is \(state.rawValue): its result is not ready (GET /v1/analyses/\(id)?wait=30 waits for it)"
            )
        }
        switch request.uri.queryParameters["format"].map(String.init) ?? "json" {
        case "json": return JSONBody.response(data: document)
        case "csv":
            return Self.text(ResultEntry.csv(analysis.result.map { [$0.entry] } ?? []), type: "text/csv; charset=utf-8")
        case let format: throw Problem(.badRequest, "format must be json or csv (got '\(format)')")
        }
    }

    /// `results export` over HTTP: the CSV, or one document a line, streamed a page at a time.
    func export(_ request: Request, csv: Bool) async throws -> Response {
        let rows = try await store.database.results(since: try Self.since(request))
        let store = store
        let body = ResponseBody { writer in
            if csv { try await writer.write(ByteBuffer(string: ResultEntry.columns.joined(separator: ",") + "\n")) }
            for start in stride(from: 0, to: rows.count, by: Self.pageSize) {
                let page = Array(rows[start..<min(start + Self.pageSize, rows.count)])
                var buffer = ByteBuffer()
                if csv {
                    for row in page { buffer.writeString(row.csvLine + "\n") }
                } else {
                    for document in try await store.exportDocuments(for: page, pretty: false) {
                        buffer.writeBytes(document)
                        buffer.writeString("\n")
                    }
                }
                try await writer.write(buffer)
            }
            try await writer.finish(nil)
        }
        return Response(
            status: .ok,
            headers: [.contentType: csv ? "text/csv; charset=utf-8" : "application/jsonl; charset=utf-8"], body: body)
    }

    /// `{"file": …}` or `{"analysis_id": …}`, and `{"emotion": …}`: 201 with the label.
    func label(_ request: Request) async throws -> Response {
        let body = try await JSONBody.object(of: request, limit: UploadReceiver.maxFieldBytes)
        let file: String
        if let path = body["file"] as? String, path.hasPrefix("/"), !path.contains("\0") {
            file = URL(fileURLWithPath: path).standardizedFileURL.path
        } else if let number = body["analysis_id"] as? NSNumber, "\(number)" == String(number.int64Value) {
            let id = number.int64Value
            guard let analysis = try await desk.analysis(id) else {
                throw Problem(.notFound, "there is no analysis \(id)")
            }
            file = analysis.job.path
        } else {
            throw Problem(.badRequest, "name the file: {\"analysis_id\": 12} or {\"file\": \"/absolute/path.mp4\"}")
        }
        let emotions = PipelineLibrary.emotionLabels()
        guard let emotion = (body["emotion"] as? String)?.lowercased(), emotions.contains(emotion) else {
            throw Problem(.badRequest, "emotion must be one of: \(emotions.joined(separator: ", "))")
        }
        try await store.database.setLabel(HumanLabel(file: file, emotion: emotion, source: "api"))
        return JSONBody.response(["file": file, "emotion": emotion, "source": "api"], status: .created)
    }

    // MARK: Helpers

    static func since(_ request: Request) throws -> Date? {
        guard let text = request.uri.queryParameters["since"] else { return nil }
        guard let date = try? Date(String(text), strategy: .iso8601) else {
            throw Problem(.badRequest, "since must be an ISO 8601 time such as 2026-12-07T09:00:00Z (got '\(text)')")
        }
        return date
    }

    static func number(_ text: Substring?, name: String, in range: ClosedRange<Int>) throws -> Int? {
        guard let text else { return nil }
        guard let number = Int(text), range.contains(number) else {
            throw Problem(.badRequest, "\(name) must be a whole number from \(range.lowerBound) (got '\(text)')")
        }
        return number
    }

    static func text(_ text: String, type: String) -> Response {
        Response(status: .ok, headers: [.contentType: type], body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    /// A summary row as JSON: numbers as numbers, absent values left out.
    static func json(_ entry: ResultEntry) -> [String: Any] {
        let numeric: Set<String> = [
            "duration_s", "frames_sampled", "frames_with_face", "frames_accepted", "face_confidence",
            "voice_confidence", "fused_confidence", "language_confidence",
        ]
        var object: [String: Any] = [:]
        for (column, value) in zip(ResultEntry.columns, entry.fields) where !value.isEmpty && column != "result" {
            object[column] = numeric.contains(column) ? (Double(value) as Any? ?? value) : value
        }
        return object
    }
}
