import Foundation
import Media

/// A program run to its end with `posix_spawn`, for what Foundation's `Process` cannot give: the
/// child's own peak memory, and arguments that are not valid UTF-8 (each argument's private-use
/// escapes go to the child as their raw bytes; see `FileSystemPath`).
///
/// The peak is the child's `VmHWM` (/proc/PID/status), read every 2 ms while it runs: the high
/// water mark of its own address space since exec. `wait4`'s `ru_maxrss` cannot be used, since
/// Linux carries the spawning process's peak across exec, and this test process is larger than
/// the child.
public struct ChildProcess {
    public struct Outcome {
        /// The exit status, or 128 + the signal's number when a signal ended it.
        public var status: Int32
        public var stdout: String
        public var stderr: String
        /// The child's peak resident set (`VmHWM`), in bytes.
        public var peakRSSBytes: Int
    }

    public struct Timeout: Error, CustomStringConvertible {
        public let description: String
    }

    /// Runs `executable` with `arguments` and `environment` added to this process's, stdin from
    /// /dev/null, killing it after `timeout` seconds (and throwing `Timeout`).
    public static func run(
        _ executable: String, _ arguments: [String], environment: [String: String] = [:],
        timeout: TimeInterval = 120
    ) throws -> Outcome {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("emoscan-child-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let (outPath, errPath) = (folder.appendingPathComponent("out").path, folder.appendingPathComponent("err").path)

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)

        let merged = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let argv = ([executable] + arguments).map { FileSystemPath.bytes(of: $0) }
        let envp = merged.map { "\($0)=\($1)" }.map { FileSystemPath.bytes(of: $0) }
        var pid: pid_t = 0
        let spawned = withCStrings(argv) { argvPointers in
            withCStrings(envp) { envPointers in
                posix_spawn(&pid, executable, &actions, nil, argvPointers, envPointers)
            }
        }
        guard spawned == 0 else {
            throw Timeout(description: "cannot start \(executable): \(String(cString: strerror(spawned)))")
        }

        let deadline = Date().addingTimeInterval(timeout)
        var status: Int32 = 0
        var timedOut = false
        var peak = 0
        while waitpid(pid, &status, WNOHANG) == 0 {
            peak = max(peak, highWaterMark(of: pid) ?? 0)
            if Date() > deadline {
                kill(pid, SIGKILL)
                timedOut = true
                _ = waitpid(pid, &status, 0)
                break
            }
            usleep(2_000)
        }
        let read = { (path: String) in (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }
        if timedOut {
            throw Timeout(
                description: "\(executable) \(arguments.joined(separator: " ")) still ran after \(timeout) s: killed")
        }
        let signal = status & 0x7f
        return Outcome(
            status: signal == 0 ? (status >> 8) & 0xff : 128 + signal, stdout: read(outPath),
            stderr: read(errPath), peakRSSBytes: peak)
    }

    /// `VmHWM` of a running process, in bytes; nil once it has exited (its memory is gone).
    private static func highWaterMark(of pid: pid_t) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
            let kilobytes = Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
        else { return nil }
        return kilobytes * 1024
    }

    /// Calls `body` with a NULL-terminated array of pointers to `strings` (each NUL-terminated).
    private static func withCStrings<T>(
        _ strings: [[CChar]], _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> T
    ) -> T {
        let copies = strings.map { bytes -> UnsafeMutablePointer<CChar>? in
            let copy = UnsafeMutablePointer<CChar>.allocate(capacity: bytes.count)
            copy.initialize(from: bytes, count: bytes.count)
            return copy
        }
        defer { for copy in copies { copy?.deallocate() } }
        return (copies + [nil]).withUnsafeBufferPointer { body($0.baseAddress!) }
    }
}
