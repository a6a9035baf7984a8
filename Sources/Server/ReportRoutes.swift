import Foundation
import HTTPTypes
import Hummingbird
import Model
import Report
import Store

/// `emoscan report` over HTTP: `GET /v1/results/{id}/report`, one analysis's page, and
/// `GET /v1/report`, the batch's page (`?since=`, `?status=`), whose rows link to the first.
struct ReportRoutes: Sendable {
    let desk: AnalysisDesk

    func add(to router: Router<BasicRequestContext>) {
        router.get("/v1/results/{id}/report") { _, context in try await file(context) }
        router.get("/v1/report") { request, _ in try await batch(request) }
    }

    func file(_ context: BasicRequestContext) async throws -> Response {
        let id = try AnalysisRoutes.id(context)
        guard let analysis = try await desk.analysis(id) else { throw Problem(.notFound, "there is no analysis \(id)") }
        guard let document = analysis.document, let result = try? ResultStore.decode(document) else {
            throw Problem(
                .notFound,
                "analysis \(id) is \(analysis.job.state.rawValue) and has no result document to report yet")
        }
        return Self.page(FileReport(result).html)
    }

    func batch(_ request: Request) async throws -> Response {
        let status = request.uri.queryParameters["status"].map(String.init)
        if let status, !["ok", "failed"].contains(status) {
            throw Problem(.badRequest, "status must be ok or failed (got '\(status)')")
        }
        let entries = try await desk.store.database.results(since: try ResultRoutes.since(request))
            .filter { status == nil || $0.status.rawValue == status }
        let ids = try await jobIDs()
        let rows = entries.map { entry in
            BatchReport.Row(
                file: entry.file, failed: entry.status == .failed, error: entry.error, emotion: entry.fusedEmotion,
                confidence: entry.fusedConfidence, durationSeconds: entry.durationSeconds,
                framesAccepted: entry.framesAccepted, framesSampled: entry.framesSampled, analyzedAt: entry.analyzedAt,
                report: ids[entry.file].map { "/v1/results/\($0)/report" })
        }
        return Self.page(BatchReport(rows: rows, title: "\(rows.count) results in \(desk.store.location)").html)
    }

    /// The finished jobs' ids by file (the latest job of a file wins), read a page at a time.
    private func jobIDs() async throws -> [String: Int64] {
        var ids: [String: Int64] = [:]
        for state in [JobState.done, .failed] {
            var query = JobQuery(state: state, limit: 1000)
            while true {
                let jobs = try await desk.store.database.jobs(query)
                for job in jobs { ids[job.path] = max(ids[job.path] ?? 0, job.id) }
                guard jobs.count == query.limit, let last = jobs.last else { break }
                query.afterID = last.id
            }
        }
        return ids
    }

    static func page(_ html: String) -> Response {
        Response(
            status: .ok, headers: [.contentType: "text/html; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }
}
