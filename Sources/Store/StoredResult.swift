import Foundation

/// A file's latest result as the store keeps it: the index's columns and the document.
public struct StoredResult: Sendable, Equatable {
    public var entry: ResultEntry
    /// The document's JSON; nil for a result without one (a job that failed before analysis).
    public var document: Data?

    public init(entry: ResultEntry, document: Data?) {
        self.entry = entry
        self.document = document
    }
}
