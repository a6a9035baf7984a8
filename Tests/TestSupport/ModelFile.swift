import Foundation

/// The converted third-party models the parity tests hold to their fixtures.
public enum ModelFile {
    /// What is wrong with the model at `path` for a fixture made from the file with `sha256`, or
    /// nil when it is that file. `Scripts/test` runs `Scripts/setup` first, so a missing or other
    /// model is a defect the test must report, not a reason to skip.
    ///
    /// - Parameters:
    ///   - path: the model file.
    ///   - sha256: the digest of the file the fixture was made from.
    ///   - fixtureScript: the script that regenerates the fixture, for the message.
    /// - Returns: a failure message, or nil.
    public static func problem(at path: String, sha256: String, fixtureScript: String) -> String? {
        guard FileManager.default.fileExists(atPath: path) else { return "\(path) is missing: run Scripts/setup first" }
        guard let digest = try? Tools.sha256(ofFile: path), digest == sha256 else {
            return "\(path) is not the model the fixture was made from: run Scripts/setup first, "
                + "or regenerate the fixture with \(fixtureScript)"
        }
        return nil
    }
}
