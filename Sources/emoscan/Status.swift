import ArgumentParser
import Foundation
import Store

/// `emoscan status`: the queue at a glance.
struct Status: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the queue: queued, running, done and failed jobs, the rate and the ETA.",
        discussion: """
            The rate counts the files finished in the last ten minutes, by every worker on the \
            store. --json prints the same as one JSON object:
              {"queued":120,"waiting_to_retry":0,"running":2,"done":480,"failed":3,"per_minute":41.5,\
            "eta_seconds":173,"results":483,"store":"/data/Results"}
            """
    )

    @Flag(help: "Print one JSON object instead of text.")
    var json = false

    @OptionGroup var storeOptions: StoreOptions

    func run() async throws {
        let store = try await storeOptions.open(readOnly: true)
        let status = try await Console.storeCall { try await StoreStatus(of: store) }
        if json {
            Console.print(String(decoding: try status.json(), as: UTF8.self))
            return
        }
        let counts = status.counts
        var queued = "\(counts.queued)"
        if counts.waitingToRetry > 0 { queued += " (\(counts.waitingToRetry) waiting to retry)" }
        Console.print("queued   \(queued)")
        Console.print("running  \(counts.running)")
        Console.print("done     \(counts.done)")
        Console.print(
            "failed   \(counts.failed)" + (counts.failed > 0 ? "  (emoscan results list --status failed)" : ""))
        let rate = counts.perMinute.map { String(format: "%.1f files/min", $0) } ?? "-"
        let eta = counts.remaining == 0 ? "-" : counts.etaSeconds.map(ProgressLine.duration) ?? "unknown"
        Console.print("rate     \(rate)")
        Console.print("eta      \(eta)")
        Console.print("results  \(status.results) files in \(status.root)")
    }
}
