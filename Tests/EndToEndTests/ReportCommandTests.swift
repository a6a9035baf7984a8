import Foundation
import TestSupport
import XCTest

/// `emoscan report` on analysed generated clips: a file's page, a batch's page with links to
/// them, and the PDF that headless Chromium prints of a page.
final class ReportCommandTests: XCTestCase {
    override func setUpWithError() throws {
        try EmoscanProcess.requireBuilt()
    }

    /// A store with `files` analysed.
    private func analysed(_ files: [String]) throws -> String {
        let store = freshFolder()
        let run = try emoscan(["analyze", "--out", store] + files)
        XCTAssertTrue([0, 1].contains(run.status), run.stderr)
        return store
    }

    func testAFilesReportAndABatchReportLinkingToIt() throws {
        let video = try GeneratedMedia.videoWithSpeech()
        let broken = try GeneratedMedia.truncated()
        let store = try analysed([video, broken])
        let out = freshFolder()

        let one = try emoscan(["report", "--store", store, "--out", out, video])
        XCTAssertEqual(one.status, 0, one.stderr)
        let page = one.stdout.trimmingCharacters(in: .newlines)
        XCTAssertTrue(page.hasPrefix(out + "/files/") && page.hasSuffix(".html"), page)
        let html = try String(contentsOfFile: page, encoding: .utf8)
        XCTAssertTrue(html.contains(video), "the page names its file")
        XCTAssertTrue(html.contains(#"class="timeline""#))

        let batch = try emoscan(["report", "--batch", "--store", store, "--out", out])
        XCTAssertEqual(batch.status, 0, batch.stderr)
        XCTAssertEqual(batch.stdout, out + "/batch.html\n")
        let index = try String(contentsOfFile: out + "/batch.html", encoding: .utf8)
        let relative = String(page.dropFirst(out.count + 1))
        XCTAssertTrue(index.contains(#"<a href="\#(relative)">"#), "the batch page links the file's page")
        XCTAssertTrue(index.contains("1 failed"), "the truncated file is counted as failed")

        if HeadlessBrowser.chromium != nil {
            for url in [URL(fileURLWithPath: page), URL(fileURLWithPath: out + "/batch.html")] {
                let shot = try HeadlessBrowser.render(url)
                XCTAssertEqual(shot.console, [], url.path)
                XCTAssertGreaterThan(shot.inkedPixels, shot.width * shot.height / 50, "\(url.path) is blank")
            }
        }
        let missing = try emoscan(["report", "--store", store, "--out", out, "/nowhere/none.mp4"])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.contains("no result in"), missing.stderr)
    }

    func testPDFPagesAreInkedAndNameTheFile() throws {
        guard HeadlessBrowser.chromium != nil, FileManager.default.isExecutableFile(atPath: "/usr/bin/pdftoppm") else {
            throw XCTSkip("Chromium or poppler-utils is not installed (Scripts/setup --with-pdf installs them)")
        }
        let video = try GeneratedMedia.videoWithSpeech()
        let store = try analysed([video])
        let out = freshFolder()
        let run = try emoscan(["report", "--pdf", "--store", store, "--out", out, video])
        XCTAssertEqual(run.status, 0, run.stderr)
        let pdf = run.stdout.trimmingCharacters(in: .newlines)
        XCTAssertTrue(pdf.hasSuffix(".pdf"), pdf)

        let text = try tool("/usr/bin/pdftotext", [pdf, "-"])
        XCTAssertTrue(text.contains(URL(fileURLWithPath: video).lastPathComponent), text)
        let images = freshFolder()
        try FileManager.default.createDirectory(atPath: images, withIntermediateDirectories: true)
        _ = try tool("/usr/bin/pdftoppm", ["-r", "40", "-png", pdf, images + "/page"])
        let pages = try FileManager.default.contentsOfDirectory(atPath: images).sorted()
        XCTAssertGreaterThanOrEqual(pages.count, 1)
        for name in pages {
            let shot = try HeadlessBrowser.render(URL(fileURLWithPath: images + "/" + name), width: 400, height: 600)
            XCTAssertGreaterThan(shot.inkedPixels, 1000, "\(name) is blank")
        }
    }

    private func tool(_ path: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, "\(path) \(arguments)")
        return String(decoding: data, as: UTF8.self)
    }
}
