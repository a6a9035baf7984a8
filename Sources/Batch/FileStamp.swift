import Foundation

/// A file's size and modification time: while both are unchanged, its content digest read
/// before still holds, so neither `queue add` nor a worker reads the whole file again for it.
struct FileStamp: Equatable {
    var sizeBytes: Int64
    /// Seconds since 1970.
    var modified: Double

    /// The stamp of the file at `path`; nil when it cannot be read.
    init?(path: String) {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else { return nil }
        sizeBytes = (attributes[.size] as? NSNumber)?.int64Value ?? 0
        modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
    }

    init(sizeBytes: Int64, modified: Double) {
        self.sizeBytes = sizeBytes
        self.modified = modified
    }
}
