import Foundation

/// Who holds a job: `host:pid:nonce`. The host and pid let a later `run` on the same machine see at
/// once that the holder is gone (after `kill -9`) instead of waiting for its lease to run out.
public struct WorkerID: Sendable, Hashable, CustomStringConvertible {
    public let rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    /// A fresh identity for this process.
    ///
    /// - Returns: `host:pid:nonce`, the nonce eight random hex digits, so that a process that reuses a pid is not
    ///   taken for the one before it.
    public static func thisProcess() -> WorkerID {
        WorkerID(rawValue: "\(localHost):\(getpid()):\(UUID().uuidString.prefix(8).lowercased())")
    }

    /// This machine's name, read once (Foundation's `hostName` may ask the resolver);
    /// `EMOSCAN_HOST_ID` overrides it where host names are not unique (containers cloned from one image).
    private static let localHost =
        ProcessInfo.processInfo.environment["EMOSCAN_HOST_ID"].flatMap { $0.isEmpty ? nil : $0 }
        ?? ProcessInfo.processInfo.hostName

    public var host: String { String(rawValue.split(separator: ":").first ?? "") }
    public var pid: Int32? { rawValue.split(separator: ":").dropFirst().first.flatMap { Int32($0) } }

    /// True when the holder is a process on this host that no longer exists.
    public var isDeadOnThisHost: Bool {
        guard host == Self.localHost, let pid else { return false }
        return kill(pid, 0) != 0 && errno == ESRCH
    }

    public var description: String { rawValue }
}
