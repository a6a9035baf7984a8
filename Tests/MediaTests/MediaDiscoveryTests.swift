import Foundation
import Media
import TestSupport
import XCTest

final class MediaDiscoveryTests: XCTestCase {
    /// A fresh tree per test, under a folder whose own name has a space and an accent:
    ///
    ///     .cache/x.mp4          hidden folder          mislabelled.txt   mp4 bytes, text extension
    ///     .hidden.mp4           hidden file            random.dat        bytes that are no format
    ///     Clip Two.MOV          video, upper case      readme            text, no extension
    ///     banner.diz            text FFmpeg reads as   recording.bin     mp4 bytes, unknown extension
    ///                           ANSI art (tty)         still.png         image
    ///     clip.mp4              video                  sub/b.mp4, sub/deeper/c.wav, sub/z.txt
    ///     dangling.mp4 -> (nothing)                    sub dir é/d.mp4
    ///     data.json             text                   take              wav bytes, no extension
    ///     fifo                  named pipe             été 日本 🎬.wav    audio
    ///     link-to-clip.mp4 -> clip.mp4
    ///     loop -> .             symlink loop
    private var root = ""

    override func setUpWithError() throws {
        let video = try GeneratedMedia.testPattern(), audio = try GeneratedMedia.audioOnly()
        root =
            FileManager.default.temporaryDirectory
            .appendingPathComponent("emoscan-discovery-\(UUID().uuidString)/My Recordings é").path
        for folder in [".cache", "sub/deeper", "sub dir é"] {
            try FileManager.default.createDirectory(atPath: "\(root)/\(folder)", withIntermediateDirectories: true)
        }
        let copies = [
            ".cache/x.mp4": video, ".hidden.mp4": video, "Clip Two.MOV": video, "clip.mp4": video,
            "mislabelled.txt": video, "recording.bin": video, "still.png": try GeneratedMedia.stillImage(),
            "sub/b.mp4": video, "sub/deeper/c.wav": audio, "sub dir é/d.mp4": video, "take": audio,
            "été 日本 🎬.wav": audio, "random.dat": try GeneratedMedia.garbage(),
        ]
        for (name, source) in copies { try FileManager.default.copyItem(atPath: source, toPath: "\(root)/\(name)") }
        let text = String(repeating: "Session notes: take 3 was the good one.\n", count: 50)
        for name in ["banner.diz", "data.json", "readme", "sub/z.txt"] {
            try text.write(toFile: "\(root)/\(name)", atomically: false, encoding: .utf8)
        }
        try FileManager.default.createSymbolicLink(atPath: "\(root)/link-to-clip.mp4", withDestinationPath: "clip.mp4")
        try FileManager.default.createSymbolicLink(atPath: "\(root)/dangling.mp4", withDestinationPath: "gone.mp4")
        try FileManager.default.createSymbolicLink(atPath: "\(root)/loop", withDestinationPath: ".")
        try GeneratedMedia.run("mkfifo", ["\(root)/fifo"])
    }

    override func tearDownWithError() throws {
        try FileManager.default.removeItem(atPath: URL(fileURLWithPath: root).deletingLastPathComponent().path)
    }

    /// What `find` reported, paths made relative to the tree's root; skipped entries read
    /// "path: reason", in the order reported.
    private struct Outcome {
        var media: [String]
        var skipped: [String]
        var summary: MediaDiscovery.Summary
    }

    private func find(_ paths: [String], _ discovery: MediaDiscovery = MediaDiscovery()) -> Outcome {
        func relative(_ path: String) -> String {
            path.hasPrefix(root + "/") ? String(path.dropFirst(root.count + 1)) : path
        }
        var media: [String] = [], skipped: [String] = []
        let summary = discovery.find(paths) { found in
            switch found {
            case .media(let path): media.append(relative(path))
            case .skipped(let path, let reason): skipped.append("\(relative(path)): \(reason.rawValue)")
            }
        }
        return Outcome(media: media, skipped: skipped, summary: summary)
    }

    // MARK: Walking

    func testDirectoryGivesItsOwnFilesOnlyWithoutRecursive() {
        let outcome = find([root])
        XCTAssertEqual(
            outcome.media,
            [
                "Clip Two.MOV", "clip.mp4", "link-to-clip.mp4", "recording.bin", "still.png",
                "take", "été 日本 🎬.wav",
            ])
        XCTAssertEqual(
            outcome.skipped,
            [
                ".cache: hidden", ".hidden.mp4: hidden", "banner.diz: notMedia", "dangling.mp4: missing",
                "data.json: notMedia", "fifo: notRegularFile", "loop: symlinkedDirectory", "mislabelled.txt: notMedia",
                "random.dat: notMedia", "readme: notMedia", "sub: directoryNotRecursed",
                "sub dir é: directoryNotRecursed",
            ])
    }

    func testRecursiveWalksSubdirectoriesDepthFirstInNameOrder() {
        // "sub" sorts before "sub dir é" among names, though "sub dir é/d.mp4" < "sub/b.mp4" as whole paths.
        let outcome = find([root], MediaDiscovery(recursive: true))
        XCTAssertEqual(
            outcome.media,
            [
                "Clip Two.MOV", "clip.mp4", "link-to-clip.mp4", "recording.bin", "still.png",
                "sub/b.mp4", "sub/deeper/c.wav", "sub dir é/d.mp4", "take", "été 日本 🎬.wav",
            ])
        XCTAssertEqual(
            outcome.skipped.filter { $0.hasPrefix("sub") || $0.hasPrefix(".") || $0.hasPrefix("loop") },
            [".cache: hidden", ".hidden.mp4: hidden", "loop: symlinkedDirectory", "sub/z.txt: notMedia"],
            "hidden folders and the symlink loop are not entered")
    }

    func testPathsAreAbsoluteAndStandardized() {
        var found: [MediaDiscovery.Found] = []
        MediaDiscovery().find(["\(root)/sub/../clip.mp4", "\(root)/./sub/deeper/", ""]) { found.append($0) }
        XCTAssertEqual(
            found,
            [
                .media(path: "\(root)/clip.mp4"), .media(path: "\(root)/sub/deeper/c.wav"),
                .skipped(path: "", reason: .missing),
            ],
            "an empty path is not the current directory")
    }

    // MARK: Paths named directly

    func testNamedFilesAreTakenAsGiven() {
        let outcome = find([
            "\(root)/.hidden.mp4", "\(root)/link-to-clip.mp4", "\(root)/nowhere.mp4",
            "\(root)/dangling.mp4", "\(root)/fifo", "\(root)/data.json", "\(root)/.cache",
        ])
        XCTAssertEqual(
            outcome.media, [".hidden.mp4", "link-to-clip.mp4", ".cache/x.mp4"],
            "a named hidden file or folder is honoured; a symlink keeps the name it was given")
        XCTAssertEqual(
            outcome.skipped,
            [
                "nowhere.mp4: missing", "dangling.mp4: missing", "fifo: notRegularFile",
                "data.json: notMedia",
            ])
    }

    func testNamedSymlinkToADirectoryIsWalked() {
        let outcome = find(["\(root)/loop"], MediaDiscovery(recursive: true))
        XCTAssertEqual(outcome.media.first, "loop/Clip Two.MOV")
        XCTAssertEqual(outcome.media.count, 10)
        XCTAssertTrue(outcome.skipped.contains("loop/loop: symlinkedDirectory"), "but not again through itself")
    }

    func testUnreadableEntriesAreReported() throws {
        try XCTSkipIf(getuid() == 0, "root reads everything")
        try FileManager.default.setAttributes([.posixPermissions: 0], ofItemAtPath: "\(root)/sub")
        try FileManager.default.setAttributes([.posixPermissions: 0], ofItemAtPath: "\(root)/clip.mp4")
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: "\(root)/sub") }
        let outcome = find([root], MediaDiscovery(recursive: true))
        XCTAssertEqual(
            outcome.skipped.filter { $0.hasSuffix(": unreadable") },
            ["clip.mp4: unreadable", "link-to-clip.mp4: unreadable", "sub: unreadable"])
    }

    // MARK: Media detection

    func testExtensionDecidesWithoutOpeningAndOthersAreProbed() {
        let names = ["Clip Two.MOV", "mislabelled.txt", "recording.bin", "take", "random.dat", "readme"]
        let outcome = find(names.map { "\(root)/\($0)" })
        XCTAssertEqual(outcome.media, ["Clip Two.MOV", "recording.bin", "take"])
        XCTAssertEqual(
            outcome.skipped, ["mislabelled.txt: notMedia", "random.dat: notMedia", "readme: notMedia"],
            "a .txt is not opened even when it holds a video; unknown bytes and text probe as nothing")
    }

    func testTextThatFFmpegOpensAsANSIArtIsNotMedia() throws {
        // The reason for the check: libavformat "opens" this text file, as a video.
        let info = try MediaFile(path: "\(root)/banner.diz").info
        XCTAssertEqual(info.container, "tty")
        XCTAssertEqual(info.video?.codec, "ansi")
        XCTAssertEqual(find(["\(root)/banner.diz"]).skipped, ["banner.diz: notMedia"])
    }

    // MARK: Globs

    func testGlobsWithoutSlashMatchTheFileName() {
        let outcome = find(
            [root],
            MediaDiscovery(
                recursive: true, include: ["*.mp4", "*.wav"],
                exclude: ["b*", "*日本*"]))
        XCTAssertEqual(outcome.media, ["clip.mp4", "link-to-clip.mp4", "sub/deeper/c.wav", "sub dir é/d.mp4"])
        XCTAssertEqual(
            outcome.skipped.filter { $0.hasSuffix(": excluded") }.map { String($0.dropLast(10)) },
            [
                "Clip Two.MOV", "banner.diz", "data.json", "mislabelled.txt", "random.dat", "readme", "recording.bin",
                "still.png", "sub/b.mp4", "sub/z.txt", "take", "été 日本 🎬.wav",
            ], "case-sensitive like the shell: *.mp4 does not take .MOV")
    }

    func testGlobsWithSlashMatchThePathBelowTheNamedDirectory() {
        let excluded = find([root], MediaDiscovery(recursive: true, exclude: ["sub/*"]))
        XCTAssertEqual(
            excluded.media,
            [
                "Clip Two.MOV", "clip.mp4", "link-to-clip.mp4", "recording.bin", "still.png",
                "sub dir é/d.mp4", "take", "été 日本 🎬.wav",
            ],
            "* crosses / too: sub/* takes the whole sub tree")
        XCTAssertEqual(excluded.summary.skipped[MediaDiscovery.SkipReason.excluded], 3)

        let included = find([root], MediaDiscovery(recursive: true, include: ["sub/deeper/*", "sub dir é/*"]))
        XCTAssertEqual(included.media, ["sub/deeper/c.wav", "sub dir é/d.mp4"])

        let belowSub = find(["\(root)/sub"], MediaDiscovery(recursive: true, include: ["deeper/*"]))
        XCTAssertEqual(belowSub.media, ["sub/deeper/c.wav"], "relative to the directory named, not to the tree")
    }

    func testGlobsApplyToNamedFiles() {
        let named = ["clip.mp4", "still.png", "sub/b.mp4"].map { "\(root)/\($0)" }
        XCTAssertEqual(find(named, MediaDiscovery(exclude: ["*.png"])).media, ["clip.mp4", "sub/b.mp4"])
        XCTAssertEqual(find(named, MediaDiscovery(include: ["b.*"])).media, ["sub/b.mp4"])
        XCTAssertEqual(
            find(named, MediaDiscovery(exclude: ["sub/*"])).media, ["clip.mp4", "still.png", "sub/b.mp4"],
            "a named file's path below its argument is its name alone")
    }

    // MARK: Summary and callback

    func testSummaryCountsWhatWasReported() {
        let outcome = find([root, "\(root)/nowhere"])
        XCTAssertEqual(outcome.summary.media, outcome.media.count)
        XCTAssertEqual(outcome.summary.skippedCount, outcome.skipped.count)
        XCTAssertEqual(
            outcome.summary.description,
            "7 media, 13 skipped: 5 not media, 2 missing, 2 subdirectory not recursed, "
                + "1 symlinked directory, 2 hidden, 1 not a regular file")
        XCTAssertEqual(MediaDiscovery().find([]) { _ in }.description, "0 media, 0 skipped")
    }

    func testAnErrorFromTheCallbackStopsTheSearch() {
        struct QueueFull: Error {}
        var seen: [MediaDiscovery.Found] = []
        XCTAssertThrowsError(
            try MediaDiscovery(recursive: true).find([root, root]) { found in
                seen.append(found)
                if case .media = found { throw QueueFull() }
            })
        XCTAssertEqual(
            seen,
            [
                .skipped(path: "\(root)/.cache", reason: .hidden),
                .skipped(path: "\(root)/.hidden.mp4", reason: .hidden),
                .media(path: "\(root)/Clip Two.MOV"),
            ])
    }
}
