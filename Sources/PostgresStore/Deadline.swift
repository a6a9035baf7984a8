import Foundation

/// Runs work that may never end, and gives up on it after a while without waiting for it.
///
/// postgres-nio waits without end for a connection whose server went away half-way through a
/// restart (the new server never answers the old socket's handshake), and a task group would wait
/// for its child to notice cancellation. Here the caller is resumed at the deadline; the work is
/// cancelled and left to end on its own.
enum Deadline {
    /// Thrown when the work was given up.
    struct Passed: Error, CustomStringConvertible {
        let seconds: Duration
        var description: String { "no answer from the server in \(seconds)" }
    }

    /// `body`'s value, or `Passed` when `timeout` ends first.
    static func run<T: Sendable>(
        _ timeout: Duration, _ body: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        let outcome = Outcome<T>()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                outcome.start(continuation)
                let work = Task {
                    do {
                        outcome.finish(.success(try await body()))
                    } catch {
                        outcome.finish(.failure(error))
                    }
                }
                let timer = Task {
                    try? await Task.sleep(for: timeout)
                    if outcome.finish(.failure(Passed(seconds: timeout))) { work.cancel() }
                }
                outcome.onFinish {
                    work.cancel()
                    timer.cancel()
                }
            }
        } onCancel: {
            outcome.finish(.failure(CancellationError()))
        }
    }

    /// The continuation, resumed once by whichever comes first.
    private final class Outcome<T: Sendable>: @unchecked Sendable {
        private let lock = NSLock()
        private var continuation: CheckedContinuation<T, Error>?
        private var early: Result<T, Error>?
        private var cleanup: (@Sendable () -> Void)?
        private var done = false

        func start(_ continuation: CheckedContinuation<T, Error>) {
            let result: Result<T, Error>? = lock.withLock {
                if let early { return early }
                self.continuation = continuation
                return nil
            }
            if let result { continuation.resume(with: result) }
        }

        func onFinish(_ cleanup: @escaping @Sendable () -> Void) {
            let now = lock.withLock {
                if done { return true }
                self.cleanup = cleanup
                return false
            }
            if now { cleanup() }
        }

        /// Resumes the caller with `result` unless it was resumed before.
        ///
        /// - Returns: true when this call resumed it.
        @discardableResult
        func finish(_ result: Result<T, Error>) -> Bool {
            var waiting: CheckedContinuation<T, Error>?
            var pending: (@Sendable () -> Void)?
            let first = lock.withLock {
                guard !done else { return false }
                done = true
                if continuation == nil { early = result }
                waiting = continuation
                pending = cleanup
                continuation = nil
                cleanup = nil
                return true
            }
            guard first else { return false }
            waiting?.resume(with: result)
            pending?()
            return true
        }
    }
}
