import Foundation
import TestSupport
import XCTest

/// The batch commands (`queue add`, `run`, `status`, `results`) as separate processes on one
/// store, the way cron jobs and operators use them: several workers on one queue, workers killed
/// or interrupted half-way, broken files, a locked or missing store.
///
/// The store is checked through emoscan's own read commands and the `--log-format json` lines of
/// each `run`; where the job table itself must be read (attempts per job), through the `sqlite3`
/// CLI, read-only, and those checks are skipped when it is not installed.
final class BatchCommandTests: XCTestCase {
    override func setUpWithError() throws {
        try EmoscanProcess.requireBuilt()
    }

    // MARK: Several workers, dead workers

    func testTwoRunProcessesOnOneQueueAnalyseEachFileExactlyOnce() throws {
        let store = freshFolder()
        let clips = try GeneratedMedia.distinctClips(8, seconds: 3, size: "320x240", rate: 25)
        try queue(clips, store: store, expect: "added 8, skipped 0")

        let arguments = ["run", "--store", store, "--workers", "2", "--until-empty", "--log-format", "json"]
        let processes = [try launch(arguments), try launch(arguments)]
        let runs = try processes.map { try $0.wait() }

        var analysedBy: [Set<String>] = []
        for run in runs {
            XCTAssertEqual(run.status, 0, run.stderr)
            XCTAssertTrue(run.stdout.hasPrefix("run: "), run.stdout)
            XCTAssertFalse(run.stderr.contains("lease lost"), run.stderr)
            let files = analysed(run)
            XCTAssertEqual(files.count, Set(files).count, "a process analysed a file twice: \(files)")
            analysedBy.append(Set(files))
        }
        XCTAssertTrue(
            analysedBy[0].isDisjoint(with: analysedBy[1]),
            "analysed by both processes: \(analysedBy[0].intersection(analysedBy[1]).sorted())")
        XCTAssertEqual(analysedBy[0].union(analysedBy[1]), Set(clips))
        XCTAssertEqual(analysedBy[0].count + analysedBy[1].count, clips.count)
        // Each process's closing line counts what it did; together, every file once.
        let doneCounts = runs.compactMap { run in
            run.stdout.firstMatch(of: /run: (\d+) done, 0 failed/).map { Int($0.1)! }
        }
        XCTAssertEqual(doneCounts.count, 2, runs.map(\.stdout).joined())
        XCTAssertEqual(doneCounts.reduce(0, +), clips.count)

        let counts = try status(store)
        XCTAssertEqual(counts["done"] as? Int, clips.count)
        for key in ["queued", "running", "failed", "waiting_to_retry"] { XCTAssertEqual(counts[key] as? Int, 0, key) }
        XCTAssertEqual(counts["results"] as? Int, clips.count)

        let sqlite = try sqliteOrSkip("every job's attempts == 1 not checked; every other check passed")
        XCTAssertEqual(try sqlite(store, "SELECT COUNT(*) FROM job WHERE attempts != 1"), "0")
        XCTAssertEqual(try sqlite(store, "SELECT COUNT(*) FROM job WHERE state = 'done'"), "\(clips.count)")
    }

    func testKillNineMidBatchThenRunAgainFinishesEveryFileOnce() throws {
        let store = freshFolder()
        // About half a second each: slow enough that the kill lands mid-batch.
        let clips = try GeneratedMedia.distinctClips(6, seconds: 4, size: "640x480", rate: 25)
        try queue(clips, store: store, expect: "added 6, skipped 0")

        // --verbose logs each claim: wait for one file analysed and the next claimed, so that the
        // process dies with a job in hand.
        let victim = try launch([
            "run", "--store", store, "--workers", "1", "--until-empty", "--log-format", "json", "--verbose",
        ])
        let inHand = victim.waitForLogLines(timeout: 60) { lines in
            guard let first = lines.firstIndex(where: { $0.message == "analysed" }) else { return false }
            return lines[first...].contains { $0.message == "claimed" }
        }
        XCTAssertTrue(inHand, "no file analysed and another claimed")
        victim.send(SIGKILL)
        let killed = try victim.wait()
        XCTAssertTrue(killed.signalled, "exit \(killed.status): \(killed.stderr)")
        XCTAssertEqual(killed.status, SIGKILL)
        XCTAssertEqual(killed.stdout, "", "killed before its closing line")
        let firstFiles = analysed(killed)

        // The store as the dead process left it: some done, one still marked running.
        let atKill = try status(store)
        let doneAtKill = try XCTUnwrap(atKill["done"] as? Int)
        XCTAssertEqual(doneAtKill, firstFiles.count)
        XCTAssertGreaterThanOrEqual(doneAtKill, 1)
        XCTAssertLessThan(doneAtKill, clips.count, "the kill came after the last file")
        XCTAssertEqual(atKill["running"] as? Int, 1, "the killed worker's job")
        XCTAssertEqual(atKill["queued"] as? Int, clips.count - doneAtKill - 1)
        let killedJob = try sqlite3Path().map { _ in try sqlite(store, "SELECT path FROM job WHERE state = 'running'") }

        let again = try emoscan(["run", "--store", store, "--workers", "2", "--until-empty", "--log-format", "json"])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stdout.hasPrefix("run: \(clips.count - doneAtKill) done, 0 failed in "), again.stdout)
        let reclaimed = again.logLines.filter { $0.message == "jobs of a stopped worker returned to the queue" }
        XCTAssertEqual(reclaimed.count, 1, again.stderr)
        XCTAssertEqual(reclaimed.first?["jobs"], "1")
        XCTAssertEqual(
            reclaimed.first?["worker"]?.split(separator: ":").dropFirst().first.map(String.init),
            "\(victim.processIdentifier)", "the dead process's worker id names its pid")
        let secondFiles = analysed(again)
        XCTAssertFalse(secondFiles.isEmpty, "the second run re-ran the killed job and the rest")
        XCTAssertTrue(Set(firstFiles).isDisjoint(with: secondFiles), "a done file was analysed again")
        XCTAssertGreaterThanOrEqual(firstFiles.count + secondFiles.count, clips.count)
        XCTAssertEqual(Set(firstFiles + secondFiles), Set(clips))
        if let killedJob { XCTAssertTrue(secondFiles.contains(killedJob), "\(killedJob) not re-run: \(secondFiles)") }

        // One result per file: the export, the documents, the status.
        let export = try emoscan(["results", "export", "--store", store, "--format", "csv"])
        XCTAssertEqual(export.status, 0, export.stderr)
        let rows = CSVText.rows(export.stdout)
        XCTAssertEqual(rows.count, 1 + clips.count, export.stdout)
        let files = rows.dropFirst().map { $0[0] }
        XCTAssertEqual(files.count, Set(files).count, "a file has two rows: \(files)")
        XCTAssertEqual(Set(files), Set(clips))
        XCTAssertEqual(rows.dropFirst().filter { $0[1] == "ok" }.count, clips.count)
        let documents = try FileManager.default.contentsOfDirectory(atPath: store + "/files")
        XCTAssertEqual(documents.filter { $0.hasSuffix(".json") }.count, clips.count, "\(documents)")
        XCTAssertEqual(documents.filter { $0.hasSuffix(".tmp") }, [], "partial writes left behind")
        XCTAssertEqual(documents.count, clips.count, "\(documents)")
        let counts = try status(store)
        XCTAssertEqual(counts["done"] as? Int, clips.count)
        XCTAssertEqual(counts["running"] as? Int, 0)
        XCTAssertEqual(counts["results"] as? Int, clips.count)

        guard let killedJob else {
            throw XCTSkip("sqlite3 is not installed: the killed job's attempts not checked; every other check passed")
        }
        XCTAssertEqual(
            try sqlite(store, "SELECT attempts FROM job WHERE path = '\(killedJob)'"), "2",
            "claimed twice: killed, then re-run")
        XCTAssertEqual(try sqlite(store, "SELECT COUNT(*) FROM job WHERE attempts != 1"), "1")
    }

    func testSIGINTFinishesTheFileInHandAndLeavesTheRestQueued() throws {
        let store = freshFolder()
        let clips = try GeneratedMedia.distinctClips(5, seconds: 4, size: "640x480", rate: 25)
        try queue(clips, store: store, expect: "added 5, skipped 0")

        let run = try launch([
            "run", "--store", store, "--workers", "1", "--until-empty", "--log-format", "json", "--verbose",
        ])
        XCTAssertTrue(run.waitForLogLines(timeout: 60) { $0.contains { $0.message == "claimed" } }, "no job claimed")
        run.send(SIGINT)
        let stopped = try run.wait()
        XCTAssertFalse(stopped.signalled)
        XCTAssertEqual(stopped.status, 130, stopped.stderr)
        XCTAssertTrue(stopped.stderr.contains("emoscan: stopping after the files in hand"), stopped.stderr)
        // Every file it claimed was finished, not abandoned.
        let claimed = stopped.logLines.filter { $0.message == "claimed" }.compactMap { $0["file"] }
        let finished = analysed(stopped)
        XCTAssertEqual(finished.sorted(), claimed.sorted())
        XCTAssertGreaterThanOrEqual(finished.count, 1)
        XCTAssertLessThan(finished.count, clips.count, "SIGINT came after the last file")
        XCTAssertTrue(stopped.stdout.hasPrefix("run: \(finished.count) done, 0 failed in "), stopped.stdout)
        XCTAssertTrue(stopped.stdout.contains("(stopped)"), stopped.stdout)

        let counts = try status(store)
        XCTAssertEqual(counts["running"] as? Int, 0)
        XCTAssertEqual(counts["done"] as? Int, finished.count)
        XCTAssertEqual(counts["queued"] as? Int, clips.count - finished.count)
        XCTAssertGreaterThan(counts["queued"] as? Int ?? 0, 0)
        XCTAssertEqual(counts["waiting_to_retry"] as? Int, 0)

        let resumed = try emoscan(["run", "--store", store, "--workers", "2", "--until-empty", "--log-format", "json"])
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertEqual(Set(analysed(resumed)), Set(clips).subtracting(finished))
        XCTAssertEqual(analysed(resumed).count, clips.count - finished.count)
        let after = try status(store)
        XCTAssertEqual(after["done"] as? Int, clips.count)
        XCTAssertEqual(after["queued"] as? Int, 0)
    }

    // MARK: Broken files

    func testCorruptFilesFailWithTheirReasonAndTheRestSucceed() throws {
        let store = freshFolder()
        let good = try GeneratedMedia.distinctClips(3)
        let reasons = [
            try GeneratedMedia.garbage(): "not a readable media file",
            try GeneratedMedia.truncated(): "incomplete file: no index (moov)",
            try GeneratedMedia.empty(): "file is empty (0 bytes)",
        ]
        let bad = reasons.keys.sorted()
        try queue(good + bad, store: store, expect: "added 6, skipped 0")

        let run = try emoscan(["run", "--store", store, "--workers", "2", "--until-empty", "--log-format", "json"])
        XCTAssertEqual(run.status, 1, run.stderr)
        XCTAssertTrue(run.stdout.hasPrefix("run: 3 done, 3 failed in "), run.stdout)
        XCTAssertEqual(Set(analysed(run)), Set(good))
        let failedLines = run.logLines.filter { $0.message == "failed" }
        XCTAssertEqual(Set(failedLines.compactMap { $0["file"] }), Set(bad))
        for line in failedLines {
            let file = line["file"] ?? ""
            XCTAssertTrue(line["error"]?.hasPrefix("\(file): \(reasons[file] ?? "?")") == true, "\(line.fields)")
        }

        let list = try emoscan(["results", "list", "--store", store, "--status", "failed"])
        XCTAssertEqual(list.status, 0, list.stderr)
        let lines = list.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, bad.count, list.stdout)
        for path in bad {
            let line = lines.first { $0.contains("  \(path)  ") }
            XCTAssertNotNil(line, "\(path) not listed: \(list.stdout)")
            XCTAssertTrue(line?.hasPrefix("failed") == true, line ?? "")
            XCTAssertTrue(line?.contains("  \(path): \(reasons[path]!)") == true, "no reason in: \(line ?? "")")
        }
        for path in good { XCTAssertFalse(list.stdout.contains(path), "\(path) is not failed") }
        let ok = try emoscan(["results", "list", "--store", store, "--status", "ok"])
        XCTAssertEqual(ok.stdout.split(separator: "\n").count, good.count, ok.stdout)

        let counts = try status(store)
        XCTAssertEqual(counts["failed"] as? Int, bad.count)
        XCTAssertEqual(counts["done"] as? Int, good.count)
        XCTAssertEqual(counts["queued"] as? Int, 0, "a broken file fails at once, it is not retried")
    }

    // MARK: Queueing

    func testQueueingTheSameFolderAgainAddsNothing() throws {
        let base = freshFolder()
        let folder = base + "/clips été 日本"
        let sub = folder + "/sous dossier ü"
        try FileManager.default.createDirectory(atPath: sub, withIntermediateDirectories: true)
        let tones = try GeneratedMedia.distinctTones(2)
        let clips = try GeneratedMedia.distinctClips(2)
        let media = [folder + "/tone été 1.wav", folder + "/tone 2.wav", folder + "/clip 日本.mp4", sub + "/clip 2.mp4"]
        for (source, target) in zip(tones + clips, media) {
            try FileManager.default.copyItem(atPath: source, toPath: target)
        }
        try "not a recording".write(toFile: folder + "/notes.txt", atomically: true, encoding: .utf8)
        let store = base + "/store"

        try queue([folder, "--recursive"], store: store, expect: "added 4, skipped 1 (not media 1)")
        try queue([folder, "--recursive"], store: store, expect: "added 0, skipped 5 (already queued 4, not media 1)")
        try queue(
            [folder, "--recursive", "--force"], store: store, expect: "added 0, queued again 4, skipped 1 (not media 1)"
        )
        XCTAssertEqual(try status(store)["queued"] as? Int, 4)

        // The paths with spaces and accents go through analysis and back out of the store.
        let run = try emoscan(["run", "--store", store, "--workers", "2", "--until-empty", "--log-format", "json"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(Set(analysed(run)), Set(media))
        let show = try emoscan(["results", "show", "--store", store, "clip 日本.mp4"])
        XCTAssertEqual(show.status, 0, show.stderr)
        let document = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? [String: Any])
        XCTAssertEqual((document["file"] as? [String: Any])?["path"] as? String, folder + "/clip 日本.mp4")
        try queue([folder, "--recursive"], store: store, expect: "added 0, skipped 5 (already done 4, not media 1)")

        // Without --recursive the subfolder is left out; --include restricts to the matching names.
        try queue(
            [folder], store: base + "/flat", expect: "added 3, skipped 2 (not media 1, subdirectory not recursed 1)")
        try queue(
            [folder, "--recursive", "--include", "*.wav"], store: base + "/wav-only",
            expect: "added 2, skipped 3 (excluded 3)")
        let wavs = try emoscan(["results", "export", "--store", base + "/wav-only", "--format", "csv"])
        XCTAssertEqual(CSVText.rows(wavs.stdout).count, 1, "nothing analysed yet")
        XCTAssertEqual(try status(base + "/wav-only")["queued"] as? Int, 2)
    }

    // MARK: Store errors

    func testUnavailableStoreExitsWithThree() throws {
        let folder = freshFolder()
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let plainFile = folder + "/plain-file"
        try "not a folder".write(toFile: plainFile, atomically: true, encoding: .utf8)
        let store = plainFile + "/store"
        let clip = try GeneratedMedia.distinctClips(1)[0]
        for arguments in [
            ["status"], ["status", "--json"], ["queue", "add", clip], ["run", "--until-empty"],
            ["results", "list"],
        ] {
            let run = try emoscan(arguments + ["--store", store])
            XCTAssertEqual(run.status, 3, "\(arguments): \(run.stderr)")
            XCTAssertTrue(run.stderr.contains("store unavailable"), "\(arguments): \(run.stderr)")
            XCTAssertFalse(run.stderr.contains("NSCocoaErrorDomain"), "one line that says why: \(run.stderr)")
            XCTAssertEqual(run.stdout, "", "\(arguments)")
        }
        XCTAssertEqual(try String(contentsOfFile: plainFile, encoding: .utf8), "not a folder")
    }

    /// A disk that fills up is the store's failure, not the file's: exit 3, with the system's reason,
    /// and the queued job stays queued for when there is room again.
    func testAFullDiskForDocumentsExitsWithThree() throws {
        guard getuid() == 0 else {
            throw XCTSkip("a full disk is simulated by mounting a small tmpfs, which needs root")
        }
        let store = freshFolder()
        let files = store + "/files"
        try FileManager.default.createDirectory(atPath: files, withIntermediateDirectories: true)
        let mount = try ChildProcess.run("/usr/bin/mount", ["-t", "tmpfs", "-o", "size=16k", "tmpfs", files])
        guard mount.status == 0 else { throw XCTSkip("cannot mount a tmpfs here to fill: \(mount.stderr)") }
        defer { _ = try? ChildProcess.run("/usr/bin/umount", [files]) }
        let filler = try ChildProcess.run("/usr/bin/dd", ["if=/dev/zero", "of=\(files)/filler", "bs=4k", "count=64"])
        XCTAssertNotEqual(filler.status, 0, "the tmpfs should have filled up")

        let clip = try GeneratedMedia.distinctClips(1)[0]
        let analyze = try emoscan(["analyze", "--store", store, clip])
        XCTAssertEqual(analyze.status, 3, analyze.stderr)
        XCTAssertTrue(analyze.stderr.contains("No space left on device"), analyze.stderr)

        try queue([clip], store: store, expect: "added 1, skipped 0")
        let run = try emoscan(["run", "--store", store, "--until-empty"])
        XCTAssertEqual(run.status, 3, run.stderr)
        XCTAssertTrue(run.stderr.contains("No space left on device"), run.stderr)
        XCTAssertEqual(try status(store)["queued"] as? Int, 1, "the job waits for room: \(run.stderr)")
    }

    func testLockedStoreExitsWithThreeAfterTheLockTimeout() throws {
        let store = freshFolder()
        let clips = try GeneratedMedia.distinctClips(2)
        try queue([clips[0]], store: store, expect: "added 1, skipped 0")
        // Another process writes, then holds the write lock: a transaction left open.
        let release = try holdWriteLock(on: store, writeFirst: true)
        defer { release() }

        let started = Date()
        let add = try emoscan(["queue", "add", "--store", store, "--settle", "0", "--lock-timeout", "0.5", clips[1]])
        XCTAssertEqual(add.status, 3, add.stderr)
        XCTAssertTrue(add.stderr.contains("store is locked by another process (waited 0.5 s)"), add.stderr)
        XCTAssertEqual(add.stdout, "")
        XCTAssertLessThan(Date().timeIntervalSince(started), 10, "--lock-timeout 0.5 was not honoured")
        let run = try emoscan(["run", "--store", store, "--until-empty", "--lock-timeout", "0.5"])
        XCTAssertEqual(run.status, 3, run.stderr)
        XCTAssertTrue(run.stderr.contains("locked"), run.stderr)
        // Readers do not wait for writers (WAL).
        let reader = try emoscan(["status", "--json", "--store", store, "--lock-timeout", "0.5"])
        XCTAssertEqual(reader.status, 0, reader.stderr)

        release()
        try queue([clips[1]], store: store, expect: "added 1, skipped 0")
        let counts = try status(store)
        XCTAssertEqual(counts["queued"] as? Int, 2, "the refused run took no job")
        XCTAssertEqual(counts["running"] as? Int, 0)
    }

    /// `status` and `results` only read, and the store is in WAL mode so that "readers never wait
    /// for writers" (SQLiteBatchStore). Here the lock holder is the first connection since every
    /// emoscan process closed the store, so the write-ahead log is empty when they open it.
    func testReadersDoNotWaitForTheWriteLockWhenTheLogIsEmpty() throws {
        let store = freshFolder()
        try queue([try GeneratedMedia.distinctClips(1)[0]], store: store, expect: "added 1, skipped 0")
        let release = try holdWriteLock(on: store, writeFirst: false)
        defer { release() }
        for arguments in [["status", "--json"], ["results", "list"], ["results", "export", "--format", "csv"]] {
            let reader = try emoscan(arguments + ["--store", store, "--lock-timeout", "0.5"])
            XCTAssertEqual(reader.status, 0, "\(arguments): \(reader.stderr)")
        }
    }

    // MARK: Reading results

    func testExportShowAndStatusPrintWhatToolsParse() throws {
        let store = freshFolder()
        let files = try GeneratedMedia.distinctClips(2) + [try GeneratedMedia.speech()]
        try queue(files, store: store, expect: "added 3, skipped 0")
        let run = try emoscan(["run", "--store", store, "--workers", "2", "--until-empty", "--quiet"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(run.stdout, "", "--quiet prints nothing but errors")

        let jsonl = try emoscan(["results", "export", "--store", store, "--format", "jsonl"])
        XCTAssertEqual(jsonl.status, 0, jsonl.stderr)
        let lines = jsonl.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertEqual(lines.count, files.count + 1, "one line per file, each ended by a line break")
        XCTAssertEqual(lines.last, "")
        var paths: [String] = []
        for line in lines.dropLast() {
            let document = try XCTUnwrap(
                JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], String(line))
            XCTAssertEqual(document["schema"] as? String, "emoscan.result/2")
            XCTAssertEqual(document["status"] as? String, "ok")
            paths.append(try XCTUnwrap((document["file"] as? [String: Any])?["path"] as? String))
        }
        XCTAssertEqual(paths.sorted(), files.sorted())

        let csv = try emoscan(["results", "export", "--store", store, "--format", "csv"])
        XCTAssertEqual(csv.status, 0, csv.stderr)
        let summary = try String(contentsOfFile: store + "/summary.csv", encoding: .utf8)
        let header = String(csv.stdout.prefix { $0 != "\n" })
        XCTAssertEqual(header, String(summary.prefix { $0 != "\n" }))
        XCTAssertTrue(header.hasPrefix("file,status,error,duration_s,"), header)
        XCTAssertEqual(CSVText.rows(csv.stdout).count, 1 + files.count)
        XCTAssertEqual(Set(CSVText.rows(csv.stdout).map(\.count)), [header.split(separator: ",").count])
        let exported = freshFolder() + ".csv"
        let toFile = try emoscan(["results", "export", "--store", store, "--format", "csv", "-o", exported])
        XCTAssertEqual(toFile.status, 0, toFile.stderr)
        XCTAssertEqual(toFile.stdout, "")
        XCTAssertEqual(try String(contentsOfFile: exported, encoding: .utf8), csv.stdout)
        try? FileManager.default.removeItem(atPath: exported)

        let speech = try GeneratedMedia.speech()
        let show = try emoscan(["results", "show", "--store", store, URL(fileURLWithPath: speech).lastPathComponent])
        XCTAssertEqual(show.status, 0, show.stderr)
        let document = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? [String: Any])
        XCTAssertEqual((document["file"] as? [String: Any])?["path"] as? String, speech)
        XCTAssertEqual((document["voice"] as? [String: Any])?["status"] as? String, "speech")
        let byPath = try emoscan(["results", "show", "--store", store, speech])
        XCTAssertEqual(byPath.stdout, show.stdout)
        let unknown = try emoscan(["results", "show", "--store", store, "no-such-file.mp4"])
        XCTAssertEqual(unknown.status, 1)
        XCTAssertTrue(unknown.stderr.contains("no-such-file.mp4: no result"), unknown.stderr)

        let counts = try status(store)
        XCTAssertEqual(
            Set(counts.keys).isSuperset(of: [
                "queued", "waiting_to_retry", "running", "done", "failed", "results", "store",
            ]),
            true, "\(counts.keys.sorted())")
        XCTAssertEqual(counts["done"] as? Int, files.count)
        XCTAssertEqual(counts["results"] as? Int, files.count)
        XCTAssertEqual(counts["store"] as? String, store)
    }

    // MARK: Helpers

    /// Starts `sqlite3` on the store's database holding its write lock (`BEGIN IMMEDIATE` and an
    /// update left uncommitted), after committing a write when `writeFirst`; returns the function
    /// that ends it. Skips the test when `sqlite3` is not installed.
    private func holdWriteLock(on store: String, writeFirst: Bool) throws -> () -> Void {
        guard let sqlite3 = sqlite3Path() else {
            throw XCTSkip("sqlite3 is not installed: it holds the store's write lock in this test")
        }
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: sqlite3)
        holder.arguments = [store + "/emoscan.sqlite"]
        let (input, output) = (Pipe(), Pipe())
        holder.standardInput = input
        holder.standardOutput = output
        holder.standardError = FileHandle.nullDevice
        try holder.run()
        let release = {
            try? input.fileHandleForWriting.close()
            holder.waitUntilExit()
        }
        addTeardownBlock(release)
        let script =
            "PRAGMA busy_timeout=0;\n" + (writeFirst ? "UPDATE job SET priority = priority;\n" : "")
            + "BEGIN IMMEDIATE;\nUPDATE job SET priority = priority;\nSELECT 'holding';\n"
        input.fileHandleForWriting.write(Data(script.utf8))
        var said = ""
        while !said.contains("holding"), let chunk = readAvailable(output.fileHandleForReading) {
            said += String(decoding: chunk, as: UTF8.self)
        }
        guard said.contains("holding") else {
            release()
            throw GeneratedMedia.Failure(description: "sqlite3 did not take the store's write lock: \(said)")
        }
        return release
    }
}

/// RFC 4180 CSV, as `results export --format csv` and summary.csv write it.
enum CSVText {
    static func rows(_ text: String) -> [[String]] {
        var rows: [[String]] = [], row: [String] = [], field = ""
        let characters = Array(text)
        var quoted = false, index = 0
        while index < characters.count {
            let character = characters[index]
            if quoted {
                if character == "\"" {
                    if index + 1 < characters.count, characters[index + 1] == "\"" {
                        field.append("\"")
                        index += 1
                    } else {
                        quoted = false
                    }
                } else {
                    field.append(character)
                }
            } else if character == "\"" {
                quoted = true
            } else if character == "," {
                row.append(field)
                field = ""
            } else if character == "\n" || character == "\r\n" {
                row.append(field)
                field = ""
                rows.append(row)
                row = []
            } else {
                field.append(character)
            }
            index += 1
        }
        if !field.isEmpty || !row.isEmpty {
            row.append(field)
            rows.append(row)
        }
        return rows
    }
}
