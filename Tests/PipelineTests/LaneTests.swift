import Foundation
import Pipeline
import XCTest

final class LaneTests: XCTestCase {
    /// The thread a piece of work ran on.
    private static func currentThread() -> pthread_t { pthread_self() }

    func testATaskAndItsChildrenRunOnTheLaneThreadOnly() async {
        let lane = Lane(name: "test lane")
        defer { lane.close() }
        let threads = await withTaskExecutorPreference(lane) {
            await withTaskGroup(of: [pthread_t].self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        var seen = [Self.currentThread()]
                        await Task.yield()
                        seen.append(Self.currentThread())
                        return seen
                    }
                }
                async let child = Self.currentThread()
                var all = [Self.currentThread(), await child]
                for await seen in group { all += seen }
                return all
            }
        }
        XCTAssertEqual(threads.count, 10)
        XCTAssertTrue(threads.allSatisfy { pthread_equal($0, threads[0]) != 0 }, "every job ran on one thread")
    }

    func testWorkersOfForEachConcurrentlyEachHaveTheirOwnThread() async {
        let recorder = ThreadRecorder()
        await forEachConcurrently(
            Array(0..<8), workers: [0, 1],
            { item, worker in
                recorder.record(worker: worker, thread: Self.currentThread())
                await Task.yield()
                recorder.record(worker: worker, thread: Self.currentThread())
                return item
            },
            finished: { _, _ in })
        let threads = recorder.threads
        XCTAssertEqual(threads.count, 2)
        for (worker, seen) in threads {
            XCTAssertEqual(seen.count, 1, "worker \(worker) stayed on one thread")
        }
        XCTAssertEqual(
            pthread_equal(threads[0]!.first!, threads[1]!.first!), 0, "the two workers ran on different threads")
    }
}

/// The threads each worker was seen on (`pthread_t` values, deduplicated).
private final class ThreadRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private var seen: [Int: [pthread_t]] = [:]

    func record(worker: Int, thread: pthread_t) {
        lock.withLock {
            if !(seen[worker] ?? []).contains(where: { pthread_equal($0, thread) != 0 }) {
                seen[worker, default: []].append(thread)
            }
        }
    }

    var threads: [Int: [pthread_t]] { lock.withLock { seen } }
}
