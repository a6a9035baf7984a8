import Foundation

/// What `emoscan serve` was told: where it listens, who may call it, what it accepts, and where
/// uploads go. Plain values, so that tests build one without a command line.
public struct ServerConfiguration: Sendable {
    /// The address to bind; without tokens only a loopback address is allowed.
    public var host = "127.0.0.1"
    /// 0 lets the system choose (tests); the chosen port is reported once listening.
    public var port = 8080
    /// Bearer tokens that may call the API; empty: no authentication (loopback only).
    public var tokens: [String] = []
    /// The largest upload, in bytes.
    public var maxUploadBytes: Int64 = 2_000_000_000
    /// Folders whose files may be analysed by path (`{"path": …}`), compared after symlinks are resolved.
    public var allowedRoots: [URL] = []
    /// Where uploads are kept, by content hash: each a file the workers read like any queued file.
    public var uploads: URL
    /// The pipeline of a request that names none.
    public var defaultPipeline = "default"
    /// Uploads received at once; further ones wait for a slot.
    public var maxConcurrentUploads = 16
    /// The longest an upload's body may take to arrive, in seconds.
    public var uploadTimeout: TimeInterval = 3600
    /// Seconds a connection may stay silent (a stalled upload, an idle keep-alive) before it is closed.
    public var idleTimeout: TimeInterval = 60
    /// The longest `?wait=` a request may ask for, in seconds.
    public var maxWait: TimeInterval = 300
    /// The one origin browsers may call the API from (CORS); nil: none.
    public var corsOrigin: String?

    /// - Parameter uploads: the uploads folder; everything else takes its default.
    public init(uploads: URL) {
        self.uploads = uploads
    }

    /// Whether `host` names this machine's loopback interface only.
    public static func isLoopback(_ host: String) -> Bool {
        ["127.0.0.1", "::1", "localhost"].contains(host) || host.hasPrefix("127.")
    }
}
