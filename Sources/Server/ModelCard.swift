import Foundation
import Model

/// What `/v1/models` says of a model beyond its stamp, read from its card in `Models/`: emoscan's
/// own models have a card each (named in their source); third-party ones are described in
/// `Models/README.md`.
struct ModelCard: Sendable {
    /// The card's path, relative to emoscan's home.
    var path: String
    /// The own card's `| Licence |` row, else the licence the source names in parentheses.
    var licence: String?
    /// The card's section on accuracy (`## Accuracy…` or `## Figures`), as written; nil when it has none.
    var evaluation: String?

    /// The card of `model`, looked for under `home`.
    init(for model: ModelStamp, home: URL) {
        let named = model.source.firstMatch(of: /Models\/[A-Za-z0-9_.-]+\.md/).map { String($0.output) }
        path = named ?? "Models/README.md"
        let text = (try? String(contentsOf: home.appendingPathComponent(path), encoding: .utf8)) ?? ""
        // Models/README.md describes several models: its rows are no one model's.
        let row = named == nil ? nil : text.split(separator: "\n").first { $0.hasPrefix("| Licence |") }
        licence =
            row.map { String($0.dropFirst("| Licence |".count).dropLast()).trimmingCharacters(in: .whitespaces) }
            ?? model.source.firstMatch(of: /\((MIT|Apache[^)]*|BSD[^)]*|CC [^)]*)\)/).map { String($0.output.1) }
        evaluation = named == nil ? nil : Self.section(of: text, startingWith: ["## Accuracy", "## Figures"])
    }

    /// The text under the first heading that starts with one of `headings`, up to the next `## ` heading.
    static func section(of text: String, startingWith headings: [String]) -> String? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let start = lines.firstIndex(where: { line in headings.contains { line.hasPrefix($0) } }) else {
            return nil
        }
        let body = lines[(start + 1)...].prefix { !$0.hasPrefix("## ") }
        return body.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
