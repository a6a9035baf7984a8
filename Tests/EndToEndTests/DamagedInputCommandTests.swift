import Foundation
import Media
import TestSupport
import XCTest

/// The commands on input and stores in awkward states: files still being written, a file whose
/// bad content was replaced, a store someone may only read, file names that would split a line.
final class DamagedInputCommandTests: XCTestCase {
    override func setUpWithError() throws {
        try EmoscanProcess.requireBuilt()
    }

    func testQueueAddLeavesOutAFileStillBeingWritten() throws {
        let folder = freshFolder()
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            atPath: try GeneratedMedia.distinctClips(1)[0], toPath: folder + "/copying.mp4")
        let store = freshFolder()
        let add = try emoscan(["queue", "add", "--store", store, folder])
        XCTAssertEqual(add.status, 0, add.stderr)
        XCTAssertEqual(add.stdout, "added 0, skipped 1 (modified too recently (still being written?) 1)\n")
        let again = try emoscan(["queue", "add", "--store", store, "--settle", "0", folder])
        XCTAssertEqual(again.stdout, "added 1, skipped 0\n", again.stderr)
    }

    /// A file that failed (here: garbage), then was replaced by good content and queued again,
    /// counts once, as done: the failed job of its old content is gone.
    func testStatusCountsAReplacedFileOnce() throws {
        let folder = freshFolder()
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = folder + "/clip.mp4"
        try FileManager.default.copyItem(atPath: try GeneratedMedia.garbage(), toPath: path)
        let store = freshFolder()
        for source in [try GeneratedMedia.garbage(), try GeneratedMedia.distinctClips(1)[0]] {
            try? FileManager.default.removeItem(atPath: path)
            try FileManager.default.copyItem(atPath: source, toPath: path)
            XCTAssertEqual(try emoscan(["queue", "add", "--store", store, "--settle", "0", path]).status, 0)
            _ = try emoscan(["run", "--store", store, "--until-empty", "--settle", "0"])
        }
        let status = try emoscan(["status", "--store", store, "--json"])
        let counts = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(counts["done"] as? Int, 1, status.stdout)
        XCTAssertEqual(counts["failed"] as? Int, 0, status.stdout)
    }

    /// The command prefix that runs a program as a user without root's rights (`nobody`, by
    /// setpriv(1), when the tests run as root; nothing otherwise).
    private func asUnprivilegedUser() throws -> [String] {
        guard getuid() == 0 else { return [] }
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") else {
            throw XCTSkip("running as root without setpriv(1): cannot act as a user with fewer rights")
        }
        let prefix = ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"]
        // A checkout in a private folder (mktemp -d is 0700) is out of nobody's reach.
        let reach = try ChildProcess.run(
            prefix[0],
            Array(prefix.dropFirst())
                + [
                    "/usr/bin/test", "-x", EmoscanProcess.executable.path, "-a", "-r", RepoPaths.voiceModel,
                    "-a", "-r", RepoPaths.whisperModel,
                ])
        guard reach.status == 0 else {
            throw XCTSkip("user nobody cannot reach \(EmoscanProcess.executable.path) and Models/")
        }
        return prefix
    }

    /// A file this user may not read fails with "permission denied", not "no such file".
    func testAnUnreadableFileSaysPermissionDenied() throws {
        let asUser = try asUnprivilegedUser()
        let folder = freshFolder()
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        XCTAssertEqual(chmod(folder, 0o777), 0)
        let path = folder + "/private.wav"
        try FileManager.default.copyItem(atPath: try GeneratedMedia.audioOnly(), toPath: path)
        XCTAssertEqual(chmod(path, getuid() == 0 ? 0o600 : 0o000), 0)
        let store = folder + "/store"
        let command = asUser + [EmoscanProcess.executable.path, "analyze", "--store", store, path]
        let run = try ChildProcess.run(
            command[0], Array(command.dropFirst()), environment: ["EMOSCAN_HOME": RepoPaths.root.path])
        XCTAssertEqual(run.status, 1, run.stderr)
        XCTAssertTrue(run.stderr.contains("\(path): permission denied"), run.stderr)
    }

    /// `status` and `results export` work for a user who may read the store's folder but not
    /// write it (here `nobody`, since root may write anything).
    func testSomeoneWhoMayOnlyReadAStoreCanReadIt() throws {
        let store = freshFolder()
        XCTAssertEqual(try emoscan(["analyze", "--store", store, try GeneratedMedia.audioOnly()]).status, 0)
        let asReader = try asUnprivilegedUser()
        XCTAssertEqual(chmod(store, 0o555), 0)
        addTeardownBlock { chmod(store, 0o755) }
        for arguments in [["status", "--json"], ["results", "export", "--format", "csv"]] {
            let command = asReader + [EmoscanProcess.executable.path] + arguments + ["--store", store]
            let run = try ChildProcess.run(
                command[0], Array(command.dropFirst()),
                environment: ["EMOSCAN_HOME": RepoPaths.root.path])
            XCTAssertEqual(run.status, 0, "\(arguments): \(run.stderr)")
            XCTAssertFalse(run.stdout.isEmpty, "\(arguments)")
        }
    }

    /// A newline in a file name is escaped on the human summary line and in text log lines:
    /// one file, one line.
    func testAFileNameWithANewlineStaysOnOneLine() throws {
        let folder = freshFolder()
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = folder + "/two\nlines.wav"
        try FileManager.default.copyItem(atPath: try GeneratedMedia.audioOnly(), toPath: path)
        let run = try emoscan(["analyze", "--store", freshFolder(), "--verbose", path])
        XCTAssertEqual(run.status, 0, run.stderr)
        let summary = run.stdout.split(separator: "\n").first ?? ""
        XCTAssertTrue(summary.hasSuffix("/two\\nlines.wav"), "\(summary)")
        for line in run.stderr.split(separator: "\n") where line.contains("lines.wav") {
            XCTAssertTrue(line.contains("two\\nlines.wav"), "a log line split by the name: \(line)")
        }
    }
}
