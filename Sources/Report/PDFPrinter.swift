import Foundation

/// A report printed to PDF by headless Chromium, from the very HTML the page is: one rendering,
/// two formats. Chromium is large, so it is not a dependency of emoscan's build; `--pdf` needs it
/// installed and says which package when it is not.
public struct PDFPrinter: Sendable {
    /// Why a PDF was not made, in words a person can act on.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// The browser's path.
    public let browser: String

    /// The first of Debian's `chromium` and its other names on `PATH`.
    ///
    /// - Throws: `Failure` naming the package to install when there is none.
    public init() throws {
        let names = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"]
        let folders = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        let found = names.lazy.flatMap { name in folders.lazy.map { "\($0)/\(name)" } }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let found else {
            throw Failure(
                description: "--pdf needs Chromium: install Debian's chromium (sudo apt-get install chromium), "
                    + "or run Scripts/setup --with-pdf")
        }
        browser = found
    }

    /// Prints the page at `html` to `pdf`, A4, without the browser's header and footer.
    ///
    /// - Throws: `Failure` when Chromium fails, or runs for more than `timeout` seconds.
    public func print(html: URL, to pdf: URL, timeout: TimeInterval = 120) throws {
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("emoscan-chromium-\(UUID())")
        defer { try? FileManager.default.removeItem(at: profile) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: browser)
        process.arguments = [
            "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--no-pdf-header-footer",
            "--user-data-dir=\(profile.path)", "--print-to-pdf=\(pdf.path)", html.absoluteURL.absoluteString,
        ]
        // Chromium's messages go to a file: a pipe nobody reads could fill and stall it.
        let log = profile.appendingPathExtension("log")
        defer { try? FileManager.default.removeItem(at: log) }
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let logHandle = try FileHandle(forWritingTo: log)
        defer { try? logHandle.close() }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = logHandle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning, Date() < deadline { usleep(20_000) }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
            throw Failure(description: "\(browser) did not print \(html.path) in \(Int(timeout)) s")
        }
        process.waitUntilExit()
        guard process.terminationStatus == 0, FileManager.default.fileExists(atPath: pdf.path) else {
            let text = ((try? String(contentsOf: log, encoding: .utf8)) ?? "").split(separator: "\n").suffix(3)
                .joined(separator: " ")
            throw Failure(
                description: "\(browser) could not print \(html.path) (exit \(process.terminationStatus)): \(text)")
        }
    }
}
