import Foundation
import Media

/// A status line that redraws itself in place on a terminal (stderr): `[12/340] 41.5 files/min
/// ETA 7m50s  interview-07.mp4`. Lines printed through it go above the status line, which is then
/// drawn again, so messages and progress never garble each other.
final class ProgressLine: @unchecked Sendable {
    private let lock = NSLock()
    private var current = ""

    /// Replaces the status line with `text`, cut to the terminal's width.
    func show(_ text: String) {
        lock.withLock {
            current = String(FileSystemPath.displayed(text).prefix(Self.width - 1))
            write("\r\u{1B}[K" + current)
        }
    }

    /// Prints `line` on stderr above the status line.
    func print(_ line: String) {
        lock.withLock { write("\r\u{1B}[K" + line + "\n" + current) }
    }

    /// Removes the status line, leaving the cursor at the start of an empty line.
    func clear() {
        lock.withLock {
            if !current.isEmpty { write("\r\u{1B}[K") }
            current = ""
        }
    }

    private func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    private static var width: Int {
        var size = winsize()
        guard ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 20 else { return 100 }
        return Int(size.ws_col)
    }

    /// `3h05m`, `7m50s`, `42s`.
    static func duration(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        if total >= 3600 { return String(format: "%dh%02dm", total / 3600, total % 3600 / 60) }
        if total >= 60 { return String(format: "%dm%02ds", total / 60, total % 60) }
        return "\(total)s"
    }
}
