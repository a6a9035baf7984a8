import Foundation

/// The FER+ `label.csv` files read so far, by folder: a corpus's images are listed one by one,
/// and each would otherwise parse its folder's thousands of rows again.
final class FERPlusLabelFiles: @unchecked Sendable {
    static let shared = FERPlusLabelFiles()

    private let lock = NSLock()
    private var byFolder: [String: [String: FERPlusVotes]] = [:]

    /// The votes `folder/label.csv` gives each image; empty when there is no such file or it cannot be read.
    ///
    /// - Parameter folder: the images' folder.
    /// - Returns: votes by image file name.
    func votes(inFolder folder: String) -> [String: FERPlusVotes] {
        lock.lock()
        defer { lock.unlock() }
        if let known = byFolder[folder] { return known }
        let path = URL(fileURLWithPath: folder).appendingPathComponent("label.csv").path
        let votes = (try? String(contentsOfFile: path, encoding: .utf8)).map(FERPlusVotes.parse) ?? [:]
        byFolder[folder] = votes
        return votes
    }
}
