import XCTest

final class HelpCommandTests: XCTestCase {
    /// Every command's `--help`, found by walking the SUBCOMMANDS lists from the top, exits 0 with
    /// its usage. A debug build also has ArgumentParser check each command's options, so two
    /// options with one name (as `train voice`'s `--out` and the store's `--out` once were) fail here.
    func testEveryCommandsHelpExitsZeroWithItsUsage() throws {
        var pending: [[String]] = [[]], seen: [String] = []
        while let command = pending.popLast() {
            let run = try emoscan(command + ["--help"])
            let name = (["emoscan"] + command).joined(separator: " ")
            seen.append(name)
            XCTAssertEqual(run.status, 0, "\(name) --help: \(run.stdout)\(run.stderr)")
            XCTAssertTrue(run.stdout.contains("USAGE: \(name)"), "\(name) --help: \(run.stdout)")
            pending += Self.subcommands(in: run.stdout).map { command + [$0] }
        }
        for expected in ["emoscan train voice", "emoscan queue add", "emoscan results export", "emoscan analyze"] {
            XCTAssertTrue(seen.contains(expected), "\(expected) not reached: \(seen)")
        }
    }

    /// The names listed under SUBCOMMANDS: lines indented by two spaces, up to the blank line.
    private static func subcommands(in help: String) -> [String] {
        guard let start = help.range(of: "SUBCOMMANDS:\n") else { return [] }
        var names: [String] = []
        for line in help[start.upperBound...].split(separator: "\n", omittingEmptySubsequences: false) {
            if line.isEmpty { break }
            guard line.hasPrefix("  "), !line.hasPrefix("   ") else { continue }
            let name = line.dropFirst(2).prefix { $0 != " " }
            if name != "help" { names.append(String(name)) }
        }
        return names
    }
}
