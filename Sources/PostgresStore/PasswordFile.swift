import Foundation

/// libpq's password file (`~/.pgpass`): lines of `host:port:database:user:password`, each of the
/// first four a value or `*`, with `\:` and `\\` escaping inside a field, and `#` comments.
struct PasswordFile {
    let path: String

    /// The password of the first line that matches `address`; nil when none does, the file is
    /// absent, or others than its owner may read it (libpq ignores such a file too, as a leak).
    func password(for address: PostgresAddress) -> String? {
        var status = stat()
        guard stat(path, &status) == 0, status.st_mode & 0o077 == 0,
            let text = try? String(contentsOfFile: path, encoding: .utf8)
        else { return nil }
        // A Unix socket matches the host `localhost`, as in libpq.
        let host = address.isUnixSocket ? "localhost" : address.host
        let wanted = [host, String(address.port), address.database, address.user]
        for line in text.split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
            let fields = Self.fields(of: Substring(line))
            guard fields.count == 5 else { continue }
            if zip(fields.prefix(4), wanted).allSatisfy({ $0 == "*" || $0 == $1 }) { return fields[4] }
        }
        return nil
    }

    /// A line's fields, split at unescaped colons, escapes removed.
    static func fields(of line: Substring) -> [String] {
        var fields: [String] = [], field = "", escaped = false
        for character in line {
            if escaped {
                field.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == ":" {
                fields.append(field)
                field = ""
            } else {
                field.append(character)
            }
        }
        fields.append(field)
        return fields
    }
}
