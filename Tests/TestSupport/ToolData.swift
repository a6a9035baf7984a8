import Foundation

extension Tools {
    /// Runs `tool` with `arguments` (through `/usr/bin/env`), returning its stdout as bytes (for
    /// binary output such as raw audio); throws with its stderr when it exits non-zero.
    public static func data(_ tool: String, _ arguments: [String]) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        // Read stdout to the end before waiting, so a full pipe cannot block the tool.
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw GeneratedMedia.Failure(
                description: "\(tool) \(arguments.joined(separator: " ")) failed: "
                    + String(decoding: message, as: UTF8.self))
        }
        return data
    }
}
