import Foundation
import HTTPTypes
import Hummingbird
import Store

/// `/health` (the process answers), `/ready` (the store answers; the default pipeline's models
/// were loaded before the server began to listen), `/metrics` (Prometheus text) and
/// `/openapi.yaml` (this API, described).
struct HealthRoutes: Sendable {
    let store: ResultStore
    let metrics: ServerMetrics

    func add(to router: Router<BasicRequestContext>) {
        router.get("/health") { _, _ in JSONBody.response(["status": "ok"]) }
        router.get("/ready") { _, _ in try await ready() }
        router.get("/metrics") { _, _ in
            let counts = try? await store.database.counts()
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: metrics.exposition(counts: counts))))
        }
        router.get("/openapi.yaml") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: OpenAPIDocument.yaml)))
        }
    }

    func ready() async throws -> Response {
        let counts: QueueCounts
        do {
            counts = try await store.database.counts()
        } catch {
            throw Problem(
                .serviceUnavailable,
                "the results store \(store.location) does not answer: \(StoreError.words(for: error))",
                headers: [.retryAfter: "5"])
        }
        return JSONBody.response([
            "status": "ready", "store": store.location, "queued": counts.queued, "running": counts.running,
        ])
    }
}
