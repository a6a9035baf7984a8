import Foundation

/// One thread that runs, one at a time, the jobs of every task that prefers it: a worker's lane.
///
/// emoscan's parallelism has one layer: files. A worker that analyses files on its own lane uses
/// one core however its file's branches are split into tasks (decoding, detection and the voice
/// interleave at their suspension points), so N workers use N cores and the throughput grows
/// with N instead of the workers' tasks crowding each other on the shared pool. FFmpeg and OpenCV
/// are kept to one thread each for the same reason.
///
/// Use it with `withTaskExecutorPreference(lane)` or `TaskGroup.addTask(executorPreference:)`;
/// child tasks inherit it. Call `close()` when its work is done: the thread then ends.
public final class Lane: TaskExecutor, @unchecked Sendable {
    private let condition = NSCondition()
    /// Waiting jobs, oldest first; `head` avoids shifting the array on every job.
    private var queue: [UnownedJob] = []
    private var head = 0
    private var closed = false

    /// Starts the lane's thread, named `name` (it shows in `top -H` and in debuggers).
    ///
    /// - Parameters:
    ///   - name: the thread's name.
    ///   - niceness: the thread's nice value (Linux; 0 elsewhere): above 0 it yields its core to the
    ///     process's other threads (a server's requests) whenever they have work. Threads it starts
    ///     (OpenBLAS's) inherit it.
    public init(name: String, niceness: Int32 = 0) {
        let thread = Thread { [self] in
            #if os(Linux)
            // On Linux a nice value is a thread's own; `who` 0 is the calling thread.
            if niceness != 0 { setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, niceness) }
            #endif
            runJobs()
        }
        thread.name = name
        // As much stack as a process's main thread: FFmpeg, OpenCV and the voice features run here.
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// One lane for each of `count` workers, named "emoscan worker 1", "emoscan worker 2", ….
    ///
    /// - Parameters:
    ///   - count: how many workers; fewer than one gets one lane.
    ///   - niceness: each lane's nice value (see `init`).
    /// - Returns: `max(1, count)` lanes, their threads started; `close()` each when its work is done.
    public static func forWorkers(_ count: Int, niceness: Int32 = 0) -> [Lane] {
        (1...max(1, count)).map { Lane(name: "emoscan worker \($0)", niceness: niceness) }
    }

    /// Queues `job` to run on the lane's thread after the jobs given to it before (`TaskExecutor`).
    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.withLock {
            queue.append(job)
            condition.signal()
        }
    }

    /// Lets the thread end once the jobs already given to it have run.
    public func close() {
        condition.withLock {
            closed = true
            condition.signal()
        }
    }

    private func runJobs() {
        while let job = nextJob() {
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }

    private func nextJob() -> UnownedJob? {
        condition.withLock {
            while head == queue.count {
                if closed { return nil }
                condition.wait()
            }
            let job = queue[head]
            head += 1
            if head == queue.count {
                queue.removeAll(keepingCapacity: true)
                head = 0
            }
            return job
        }
    }
}
