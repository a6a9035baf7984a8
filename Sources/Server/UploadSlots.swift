/// How many uploads are received at once: each holds a file open and a core busy hashing, so
/// past the limit a request waits for a slot instead of being refused.
actor UploadSlots {
    private var free: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(_ count: Int) {
        free = max(1, count)
    }

    /// Runs `body` in a slot, waiting for one first.
    func withSlot<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        if free > 0 {
            free -= 1
        } else {
            await withCheckedContinuation { waiting.append($0) }
        }
        defer { handOver() }
        return try await body()
    }

    private func handOver() {
        if waiting.isEmpty { free += 1 } else { waiting.removeFirst().resume() }
    }
}
