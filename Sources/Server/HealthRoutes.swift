import Foundation
import HTTPTypes
import Hummingbird
import Store

/// `/health` (the process answers), `/ready` (the store answers and the default pipeline's models
/// are loaded), `/metrics` (Prometheus text) and `/openapi.yaml` (this API, described).
struct HealthRoutes: Sendable {
    let store: ResultStore
    let metrics: ServerMetrics
    /// Whether the workers' models are loaded: set once the default pipeline loaded at start-up.
    let modelsLoaded: @Sendable () -> Bool

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
        guard modelsLoaded() else {
            throw Problem(.serviceUnavailable, "the models are still loading", headers: [.retryAfter: "2"])
        }
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
