import Foundation

/// Debian's Chromium, headless, as a test's real browser: a page rendered to pixels, with what
/// it said on its console. Tests that need it skip when it is absent (`Scripts/setup --with-pdf`
/// installs it, and `Scripts/test` asks for it).
public enum HeadlessBrowser {
    /// A rendered page: its pixels (RGB, row by row) and its console's messages.
    public struct Screenshot {
        public let width: Int
        public let height: Int
        public let rgb: [UInt8]
        /// Every line the page wrote to its console, errors and failed loads among them.
        public let console: [String]

        /// The colour at (x, y) as `#rrggbb`.
        public func color(x: Int, y: Int) -> String {
            let offset = (y * width + x) * 3
            return String(format: "#%02x%02x%02x", rgb[offset], rgb[offset + 1], rgb[offset + 2])
        }

        /// How many pixels are not white: a blank page has none.
        public var inkedPixels: Int {
            stride(from: 0, to: rgb.count, by: 3).filter { rgb[$0] < 250 || rgb[$0 + 1] < 250 || rgb[$0 + 2] < 250 }
                .count
        }

        /// Whether `color` (`#rrggbb`) is found in column `x`, between rows `rows`.
        public func column(_ x: Int, rows: Range<Int>, contains color: String) -> Bool {
            rows.contains { self.color(x: x, y: $0) == color }
        }
    }

    public struct Unavailable: Error, CustomStringConvertible {
        public let description: String
    }

    /// Chromium's path; nil when it is not installed.
    public static var chromium: String? {
        ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
    }

    /// Renders the page at `url` in a window of `width` × `height` CSS pixels.
    ///
    /// - Throws: `Unavailable` without Chromium; `GeneratedMedia.Failure` when a tool fails.
    public static func render(_ url: URL, width: Int = 1000, height: Int = 1400) throws -> Screenshot {
        guard let chromium else {
            throw Unavailable(description: "Chromium is not installed (Scripts/setup --with-pdf installs it)")
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("emoscan-browser-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let png = folder.appendingPathComponent("page.png")
        let log = try run(
            chromium,
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--force-device-scale-factor=1",
                "--enable-logging=stderr", "--v=0", "--user-data-dir=\(folder.appendingPathComponent("profile").path)",
                "--window-size=\(width),\(height)", "--screenshot=\(png.path)", url.absoluteString,
            ], stderr: true)
        let console = String(decoding: log, as: UTF8.self).split(separator: "\n").filter { $0.contains(":CONSOLE") }
            .map(String.init)
        let raw = try run(
            "/usr/bin/ffmpeg", ["-v", "error", "-i", png.path, "-f", "rawvideo", "-pix_fmt", "rgb24", "-"])
        return Screenshot(width: width, height: height, rgb: Array(raw), console: console)
    }

    /// Runs `tool` to its end; returns its stdout, or its stderr when `stderr`.
    private static func run(_ tool: String, _ arguments: [String], stderr: Bool = false) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("emoscan-tool-\(UUID())")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: out) }
        let handle = try FileHandle(forWritingTo: out)
        if stderr {
            process.standardError = handle
            process.standardOutput = FileHandle.nullDevice
        } else {
            process.standardOutput = handle
        }
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try handle.close()
        let data = try Data(contentsOf: out)
        guard process.terminationStatus == 0 else {
            throw GeneratedMedia.Failure(
                description:
                    "\(tool) failed (\(process.terminationStatus)): \(String(decoding: data.suffix(2000), as: UTF8.self))"
            )
        }
        return data
    }
}
