import Foundation

/// File names as the kernel stores them (bytes) carried in Swift `String`s without loss.
///
/// Linux file names are any bytes but `/` and NUL; a `String` holds only valid Unicode, and
/// Swift's own decoding (`CommandLine.arguments`, `FileManager`) replaces invalid UTF-8 with
/// U+FFFD, so the name no longer leads back to the file. Here each byte that is not part of valid
/// UTF-8 becomes one private-use scalar (U+10FC80 to U+10FCFF, byte 0x80 to 0xFF), and every call
/// into the file system or FFmpeg turns those back into their bytes: the path round-trips, and the
/// store, the queue and the result document all name the file that is really there.
public enum FileSystemPath {
    /// First of the 128 scalars that stand for the bytes 0x80–0xFF of a non-UTF-8 name.
    static let escapeBase: UInt32 = 0x10FC00

    /// The path for raw file-system bytes (no NUL): valid UTF-8 as itself, other bytes escaped.
    ///
    /// - Parameter bytes: a name or path as the kernel stores it, without its terminating NUL.
    /// - Returns: the path: valid UTF-8 decoded, each other byte as its escape scalar.
    public static func string<Bytes: Collection>(fromBytes bytes: Bytes) -> String where Bytes.Element == UInt8 {
        if let valid = String(validating: bytes, as: UTF8.self) { return valid }
        let bytes = Array(bytes)
        var scalars = String.UnicodeScalarView()
        var index = 0
        while index < bytes.count {
            let lead = bytes[index]
            let length =
                lead < 0x80 ? 1 : lead >> 5 == 0b110 ? 2 : lead >> 4 == 0b1110 ? 3 : lead >> 3 == 0b11110 ? 4 : 0
            if length > 0, index + length <= bytes.count,
                let decoded = String(validating: bytes[index..<index + length], as: UTF8.self)
            {
                scalars += decoded.unicodeScalars
                index += length
            } else {
                scalars.append(Unicode.Scalar(escapeBase + UInt32(lead))!)
                index += 1
            }
        }
        return String(scalars)
    }

    /// The path of a C string from the kernel or argv (`readdir`'s `d_name`, `argv[i]`).
    ///
    /// - Parameter pointer: a NUL-terminated C string.
    /// - Returns: the path, other bytes than valid UTF-8 escaped as `string(fromBytes:)` escapes them.
    public static func string(fromCString pointer: UnsafePointer<CChar>) -> String {
        string(fromBytes: UnsafeRawBufferPointer(start: pointer, count: strlen(pointer)))
    }

    /// The bytes the kernel knows `path` by (escaped scalars back to their bytes), NUL-terminated.
    ///
    /// - Parameter path: a path as `string(fromBytes:)` makes them, or any string.
    /// - Returns: the bytes, ending in a NUL.
    public static func bytes(of path: String) -> [CChar] {
        var bytes: [CChar] = []
        bytes.reserveCapacity(path.utf8.count + 1)
        for scalar in path.unicodeScalars {
            if let byte = escapedByte(scalar) {
                bytes.append(CChar(bitPattern: byte))
            } else {
                bytes += String(scalar).utf8.map { CChar(bitPattern: $0) }
            }
        }
        bytes.append(0)
        return bytes
    }

    /// Calls `body` with `path` as the C string to hand to `open(2)`, `stat(2)` or FFmpeg.
    ///
    /// - Parameters:
    ///   - path: the path, escaped bytes included.
    ///   - body: the call to make; the pointer is valid only while it runs. An error it throws is rethrown.
    /// - Returns: what `body` returns.
    public static func withCString<T>(_ path: String, _ body: (UnsafePointer<CChar>) throws -> T) rethrows -> T {
        try bytes(of: path).withUnsafeBufferPointer { try body($0.baseAddress!) }
    }

    /// `path` for a line a person reads (a log line, the progress line, an error): control
    /// characters as `\n`, `\t` or `\u{1b}`, undecodable bytes as `\xff`, so a hostile name
    /// can neither split a line nor drive the terminal. Plain names are unchanged.
    ///
    /// - Parameter path: the path to show.
    /// - Returns: the escaped text; `path` itself when nothing in it needs escaping.
    public static func displayed(_ path: String) -> String {
        guard path.unicodeScalars.contains(where: needsEscape) else { return path }
        var out = ""
        for scalar in path.unicodeScalars {
            if let byte = escapedByte(scalar) {
                out += String(format: "\\x%02x", byte)
            } else if scalar == "\n" {
                out += "\\n"
            } else if scalar == "\t" {
                out += "\\t"
            } else if scalar == "\r" {
                out += "\\r"
            } else if scalar == "\\" {
                out += "\\\\"
            } else if needsEscape(scalar) {
                out += "\\u{\(String(scalar.value, radix: 16))}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    private static func escapedByte(_ scalar: Unicode.Scalar) -> UInt8? {
        let value = scalar.value
        guard value >= escapeBase + 0x80, value <= escapeBase + 0xFF else { return nil }
        return UInt8(value - escapeBase)
    }

    /// Scalars a terminal line must not show as they are (a backslash only alongside them, so
    /// that the escaping stays unambiguous where it is used at all).
    private static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        escapedByte(scalar) != nil || scalar.properties.generalCategory == .control
            || scalar.properties.generalCategory == .lineSeparator
            || scalar.properties.generalCategory == .paragraphSeparator
    }
}
