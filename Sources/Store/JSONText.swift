import Foundation

/// JSON as bytes, reshaped without being parsed into values, so that numbers and strings come out
/// exactly as they went in.
public enum JSONText {
    /// `data` with the whitespace between tokens removed: one line, for JSON Lines.
    ///
    /// - Parameter data: JSON text, UTF-8; it is not validated.
    /// - Returns: the same text without the spaces, tabs and line breaks outside strings.
    public static func compact(_ data: Data) -> Data {
        var output = Data(capacity: data.count)
        var inString = false, escaped = false
        for byte in data {
            if inString {
                output.append(byte)
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
            } else if byte == UInt8(ascii: "\"") {
                inString = true
                output.append(byte)
            } else if ![UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t")].contains(byte) {
                output.append(byte)
            }
        }
        return output
    }
}
