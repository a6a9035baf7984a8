import Foundation

/// The queue and the results at a glance: what `emoscan status` shows, and what a server's
/// status endpoint would return.
public struct StoreStatus: Sendable, Equatable {
    /// The jobs by state, with the rate and ETA.
    public var counts: QueueCounts
    /// How many files have a result.
    public var results: Int
    /// Where the store is: the results folder, or the database's address without its password.
    public var root: String

    public init(counts: QueueCounts, results: Int, root: String) {
        self.counts = counts
        self.results = results
        self.root = root
    }

    /// Reads the counts and the number of results, in one call to the store each.
    ///
    /// - Parameter store: The results store to look at.
    /// - Throws: `StoreError` when the database cannot be read.
    public init(of store: ResultStore) async throws {
        self.init(
            counts: try await store.database.counts(), results: try await store.database.resultCount(),
            root: store.location)
    }

    /// The status as one JSON object, keys sorted: `queued`, `waiting_to_retry`, `running`, `done`,
    /// `failed`, `results`, `store`, and when known `per_minute` (to 0.1) and `eta_seconds` (whole).
    ///
    /// - Returns: the object as UTF-8 JSON, on one line.
    /// - Throws: Never in practice; `JSONSerialization`'s error if it refused the object.
    public func json() throws -> Data {
        var object: [String: Any] = [
            "queued": counts.queued, "waiting_to_retry": counts.waitingToRetry, "running": counts.running,
            "done": counts.done, "failed": counts.failed, "results": results, "store": root,
        ]
        if let rate = counts.perMinute { object["per_minute"] = (rate * 10).rounded() / 10 }
        if let eta = counts.etaSeconds { object["eta_seconds"] = Int(eta.rounded()) }
        return try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
    }
}
