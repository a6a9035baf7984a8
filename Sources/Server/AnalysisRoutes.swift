import Foundation
import HTTPTypes
import Hummingbird
import Store

/// `/v1/analyses`: ask for an analysis (an upload or a path), follow it, list them, cancel one.
struct AnalysisRoutes: Sendable {
    let desk: AnalysisDesk
    let receiver: UploadReceiver
    let slots: UploadSlots
    let configuration: ServerConfiguration

    func add(to router: Router<BasicRequestContext>) {
        router.post("/v1/analyses") { request, _ in try await create(request) }
        // `curl -T clip.mp4 …/v1/analyses` uploads with PUT.
        router.put("/v1/analyses") { request, _ in try await create(request) }
        router.get("/v1/analyses") { request, _ in try await list(request) }
        router.get("/v1/analyses/{id}") { request, context in
            let analysis = try await find(context)
            return JSONBody.response(analysis.json(withResult: true))
        }
        router.delete("/v1/analyses/{id}") { _, context in try await cancel(context) }
    }

    /// A JSON body names a file by path; any other body is the recording (raw, or a multipart form with a `file`).
    func create(_ request: Request) async throws -> Response {
        let isJSON =
            request.headers[.contentType].map { MediaType(from: $0)?.isType(.applicationJson) ?? false } ?? false
        let analysis: Analysis
        let parameters: AnalysisParameters
        if isJSON {
            let body = try await JSONBody.object(of: request, limit: UploadReceiver.maxFieldBytes)
            parameters = AnalysisParameters(query: request, fields: body.mapValues { "\($0)" })
            guard let path = body["path"] as? String else {
                throw Problem(.badRequest, "a JSON body names the file to analyse: {\"path\": \"/data/clip.mp4\"}")
            }
            let options = try parameters.options(defaultPipeline: configuration.defaultPipeline)
            analysis = try await desk.submit(path: path, options: options)
        } else {
            let (analyses, uploadParameters) = try await receive(request)
            (analysis, parameters) = (analyses[0], uploadParameters)
        }
        return try await answer(analysis, waiting: parameters.wait(limit: configuration.maxWait))
    }

    /// Receives an upload in a slot and queues the file of each of `parts` (a raw body's is `file`).
    ///
    /// - Parameters:
    ///   - request: the request, its body not yet read.
    ///   - parts: the form's file parts to queue, in order.
    ///   - adjust: changes a part's options (by part name) from what the request asked: an alias that listens only.
    /// - Returns: an analysis per part, in order, and the request's parameters (the query's, then the form's fields).
    /// - Throws: `Problem` for an upload refused or a part missing; `StoreError` when the store fails.
    func receive(
        _ request: Request, parts: [String] = ["file"],
        adjust: @escaping @Sendable (inout AnalysisDesk.Options, String) -> Void = { _, _ in }
    ) async throws -> ([Analysis], AnalysisParameters) {
        try await slots.withSlot {
            let upload = try await receiver.receive(request)
            defer { upload.discard() }
            let parameters = AnalysisParameters(query: request, fields: upload.fields)
            var analyses: [Analysis] = []
            for part in parts {
                guard let file = upload.files[part] else {
                    throw Problem(
                        .badRequest,
                        "the form has no '\(part)' part with a recording (it has: "
                            + (Array(upload.files.keys) + Array(upload.fields.keys)).sorted().joined(separator: ", ")
                            + ")")
                }
                var options = try parameters.options(defaultPipeline: configuration.defaultPipeline)
                adjust(&options, part)
                analyses.append(try await desk.submit(upload: file, options: options))
            }
            return (analyses, parameters)
        }
    }

    /// 200 with the result when it is finished (at once, or within `waiting` seconds), else 202.
    func answer(_ analysis: Analysis, waiting seconds: TimeInterval) async throws -> Response {
        var current = analysis
        if !current.isFinished, seconds > 0, let waited = try await desk.wait(for: analysis.job.id, upTo: seconds) {
            current = waited
        }
        return JSONBody.response(
            current.json(withResult: true), status: current.isFinished ? .ok : .accepted,
            headers: [.location: "/v1/analyses/\(current.job.id)"])
    }

    /// `?state=&since=&emotion=&limit=&cursor=`, a page at a time; `next` links the following page.
    func list(_ request: Request) async throws -> Response {
        let query = request.uri.queryParameters
        var filter = JobQuery(limit: 100)
        if let state = query["state"] {
            guard let parsed = JobState(rawValue: String(state)) else {
                throw Problem(
                    .badRequest,
                    "state must be one of \(JobState.allCases.map(\.rawValue).joined(separator: ", ")) (got '\(state)')"
                )
            }
            filter.state = parsed
        }
        if let since = query["since"] {
            guard let date = try? Date(String(since), strategy: .iso8601) else {
                throw Problem(
                    .badRequest, "since must be an ISO 8601 time such as 2026-12-07T09:00:00Z (got '\(since)')")
            }
            filter.queuedSince = date
        }
        filter.fusedEmotion = query["emotion"].map { String($0).lowercased() }
        if let limit = query["limit"] {
            guard let number = Int(limit), (1...1000).contains(number) else {
                throw Problem(.badRequest, "limit must be between 1 and 1000 (got '\(limit)')")
            }
            filter.limit = number
        }
        if let cursor = query["cursor"] {
            guard let id = Int64(cursor) else {
                throw Problem(.badRequest, "cursor must be a value from a 'next' link")
            }
            filter.afterID = id
        }
        let jobs = try await desk.store.database.jobs(filter)
        var object: [String: Any] = ["analyses": jobs.map { Analysis(job: $0).json(withResult: false) }]
        if jobs.count == filter.limit, let last = jobs.last {
            var items = URLComponents()
            items.queryItems =
                query.filter { $0.key != "cursor" }.map { URLQueryItem(name: String($0.key), value: String($0.value)) }
                + [URLQueryItem(name: "cursor", value: String(last.id))]
            object["next"] = "/v1/analyses?" + (items.percentEncodedQuery ?? "")
        }
        return JSONBody.response(object)
    }

    /// 204 for a queued job, now gone; 409 for one a worker holds or that is finished.
    func cancel(_ context: BasicRequestContext) async throws -> Response {
        let id = try Self.id(context)
        switch try await desk.store.database.cancel(id) {
        case nil: throw Problem(.notFound, "there is no analysis \(id)")
        case .queued?: return Response(status: .noContent)
        case let state?:
            throw Problem(.conflict, "analysis \(id) is \(state.rawValue): only a queued analysis can be cancelled")
        }
    }

    func find(_ context: BasicRequestContext) async throws -> Analysis {
        let id = try Self.id(context)
        guard let analysis = try await desk.analysis(id) else { throw Problem(.notFound, "there is no analysis \(id)") }
        return analysis
    }

    static func id(_ context: BasicRequestContext) throws -> Int64 {
        guard let id = context.parameters.get("id", as: Int64.self) else {
            throw Problem(.badRequest, "an analysis id is a whole number, as POST /v1/analyses answered it")
        }
        return id
    }
}
