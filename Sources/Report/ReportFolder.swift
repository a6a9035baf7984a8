import Foundation
import Model

/// Where reports are written: `batch.html` at the top, each file's report under `files/`,
/// named after the file with a hash of its whole path (two `clip.mp4` in different folders
/// must not collide). Every page is written whole or not at all.
public struct ReportFolder: Sendable {
    public let root: URL

    public init(root: URL) {
        self.root = root
    }

    /// The batch page.
    public var batchPage: URL { root.appendingPathComponent("batch.html") }

    /// The report of the file at `path`, relative to `root`: `files/<name>-<hash>.html`.
    public static func relativePath(of path: String) -> String {
        let stem = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        let safe = String(stem.map { $0.isLetter || $0.isNumber || "-_.".contains($0) ? $0 : "_" }.prefix(80))
        var hash: UInt64 = 14_695_981_039_346_656_037
        for byte in path.utf8 { hash = (hash ^ UInt64(byte)) &* 1_099_511_628_211 }
        return "files/\(safe)-\(String(hash, radix: 16)).html"
    }

    /// Writes `html` to `relative` under `root`, through a temporary file renamed into place.
    ///
    /// - Returns: the page's URL.
    /// - Throws: Foundation's error when the folder or file cannot be written.
    @discardableResult
    public func write(_ html: String, to relative: String) throws -> URL {
        let url = root.appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(html.utf8).write(to: url, options: .atomic)
        return url
    }
}
