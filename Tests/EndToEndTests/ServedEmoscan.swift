import Foundation
import TestSupport
import XCTest

/// A running `emoscan serve` on a free loopback port, and an HTTP client for it: curl, as a
/// user's script would call it (`curl -T clip.mp4 …`), so that the tests go through a real
/// socket and a real HTTP stack, not the router alone.
final class ServedEmoscan: Sendable {
    let process: EmoscanProcess
    let base: String
    let store: String
    let token: String?

    /// One answer: its status, headers (lower-cased names) and body.
    struct Answer: Sendable {
        var status: Int
        var headers: [String: String]
        var body: Data

        var text: String { String(decoding: body, as: UTF8.self) }
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body) as? [String: Any]) ?? [:] }
    }

    /// Starts `emoscan serve --port 0 --store STORE --log-format json` with `arguments`, and waits
    /// for the line that says where it listens.
    init(_ test: XCTestCase, store: String, token: String? = nil, arguments: [String] = []) throws {
        self.store = store
        self.token = token
        var all = ["serve", "--port", "0", "--store", store, "--workers", "1", "--log-format", "json"] + arguments
        if let token {
            let file = store + ".tokens"
            try FileManager.default.createDirectory(
                atPath: (store as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data("# test token\n\(token)\n".utf8).write(to: URL(fileURLWithPath: file))
            all += ["--token-file", file]
        }
        process = try test.launch(all)
        let banner = process.waitForOutput(timeout: 60) { $0.contains("listening on http://") }
        guard let banner, let port = banner.firstMatch(of: /127\.0\.0\.1:(\d+)/)?.output.1 else {
            let run = try? process.wait(timeout: 5)
            throw GeneratedMedia.Failure(description: "emoscan serve did not start: \(run?.stderr ?? "")")
        }
        base = "http://127.0.0.1:\(port)"
    }

    /// `curl` to `path` with `arguments` (a method, a body) and the bearer token when there is one.
    func call(_ path: String, _ arguments: [String] = [], authorised: Bool = true) throws -> Answer {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("emoscan-http-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let (headers, body) = (
            folder.appendingPathComponent("headers").path, folder.appendingPathComponent("body").path
        )
        var all = ["-sS", "--max-time", "300", "-D", headers, "-o", body, "-w", "%{http_code}"] + arguments
        if authorised, let token { all += ["-H", "Authorization: Bearer \(token)"] }
        let curl = Process()
        curl.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        curl.arguments = all + [base + path]
        let output = Pipe()
        curl.standardOutput = output
        try curl.run()
        let code = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        curl.waitUntilExit()
        var fields: [String: String] = [:]
        let head = (try? String(contentsOfFile: headers, encoding: .utf8)) ?? ""
        for line in head.split(whereSeparator: \.isNewline) {
            let pair = line.split(separator: ":", maxSplits: 1)
            if pair.count == 2 { fields[pair[0].lowercased()] = pair[1].trimmingCharacters(in: .whitespaces) }
        }
        return Answer(
            status: Int(code) ?? 0, headers: fields, body: FileManager.default.contents(atPath: body) ?? Data())
    }

    /// `PUT` of `file` as the body (`curl -T`).
    func upload(_ file: String, query: String = "") throws -> Answer {
        try call("/v1/analyses" + query, ["-T", file])
    }

    /// Polls `GET /v1/analyses/{id}` until the job is done or failed.
    func finished(_ id: Int, timeout: TimeInterval = 120) throws -> [String: Any] {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let analysis = try call("/v1/analyses/\(id)").json
            if ["done", "failed"].contains(analysis["state"] as? String) { return analysis }
            usleep(100_000)
        }
        throw GeneratedMedia.Failure(description: "analysis \(id) did not finish in \(timeout) s")
    }

    /// The server's peak resident memory so far (`VmHWM`), in bytes.
    var peakMemory: Int {
        let status = (try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") } ?? ""
        return (Int(line.split(whereSeparator: \.isWhitespace).dropFirst().first ?? "") ?? 0) * 1024
    }
}

/// A value several threads write under a lock (the answers of concurrent uploads).
final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) {
        self.value = value
    }

    func withLock<T>(_ body: (inout Value) -> T) -> T {
        lock.withLock { body(&value) }
    }
}
