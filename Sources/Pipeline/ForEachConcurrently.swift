/// Runs `work` on every item, as many at once as there are `workers`, each worker taking the next
/// item as soon as it is free: the one way emoscan spreads files over analyzers (`analyze`,
/// `evaluate`, `train`). A worker is what must not be shared between tasks, such as a
/// `FileAnalyzer` with its own networks.
///
/// With several workers each runs on its own `Lane` (one core each); a single worker has the
/// shared pool, so one file alone gets its branches run side by side on every core.
///
/// `finished` receives each item's index and output as it finishes, not in input order, so one
/// long recording never holds back the answers for the files after it.
///
/// - Parameters:
///   - items: the items, each handed to `work` once.
///   - workers: one per item processed at once, each used by one task at a time; with none, nothing runs.
///   - work: processes one item with one worker.
///   - finished: called on the caller's task, one call at a time, with each item's index in `items` and its output.
public func forEachConcurrently<Item: Sendable, Worker: Sendable, Output: Sendable>(
    _ items: [Item], workers: [Worker], _ work: @escaping @Sendable (Item, Worker) async -> Output,
    finished: (_ index: Int, Output) -> Void
) async {
    let lanes = workers.count > 1 ? Lane.forWorkers(workers.count) : []
    defer { for lane in lanes { lane.close() } }
    await withTaskGroup(of: (worker: Int, index: Int, output: Output).self) { group in
        var next = 0
        func start(_ worker: Int) {
            guard next < items.count else { return }
            let (index, item) = (next, items[next])
            next += 1
            group.addTask(executorPreference: lanes.isEmpty ? nil : lanes[worker]) {
                (worker, index, await work(item, workers[worker]))
            }
        }
        workers.indices.forEach(start)
        for await done in group {
            finished(done.index, done.output)
            start(done.worker)
        }
    }
}
