import Foundation
import TestSupport
import XCTest

@testable import Report

/// The reports as a real browser draws them: headless Chromium renders the page to pixels; the
/// page must load without a console message, show ink, and paint each emotion where its frames are.
final class BrowserRenderingTests: XCTestCase {
    private func render(_ html: String, width: Int = 1000, height: Int = 1400) throws -> HeadlessBrowser.Screenshot {
        guard HeadlessBrowser.chromium != nil else {
            throw XCTSkip(
                "Chromium is not installed (Scripts/setup --with-pdf installs it): the browser checks skipped")
        }
        let page = FileManager.default.temporaryDirectory.appendingPathComponent("emoscan-report-\(UUID()).html")
        try Data(html.utf8).write(to: page)
        defer { try? FileManager.default.removeItem(at: page) }
        return try HeadlessBrowser.render(page, width: width, height: height)
    }

    func testAFileReportPaintsEachFramesEmotionWhereTheFrameIs() throws {
        // Happy faces in the first half only: the happy colour at those frames' x, none at the others'.
        let result = SyntheticResult.make(duration: 10) { $0 < 5 }
        let shot = try render(FileReport(result).html)
        XCTAssertEqual(shot.console, [], "the page wrote to its console")
        XCTAssertGreaterThan(shot.inkedPixels, shot.width * shot.height / 50, "the page is blank")

        let chart = TimelineChart(result)
        let happy = EmotionPalette.color(for: "happy")
        // The chart's top-left on the page: find the first row where the first happy bar's column turns happy.
        let firstX = Int(chart.x(result.frames[0].t).rounded()) + 24  // the body's margin
        let top = try XCTUnwrap((0..<shot.height).first { shot.color(x: firstX, y: $0) == happy }, "no happy bar")
        let rows = top..<min(shot.height, top + Int(chart.plotHeight))
        for frame in result.frames {
            let x = Int(chart.x(frame.t).rounded()) + 24
            XCTAssertEqual(
                shot.column(x, rows: rows, contains: happy), frame.accepted, "frame at \(frame.t) s, x = \(x)")
        }
    }

    func testABatchReportLoadsAndItsScriptRunsWithoutAConsoleMessage() throws {
        let shot = try render(BatchReport(rows: BatchReportTests.rows(200), title: "two hundred").html, height: 900)
        XCTAssertEqual(shot.console, [])
        XCTAssertGreaterThan(shot.inkedPixels, shot.width * shot.height / 50, "the page is blank")
        let histogram = "#4c78a8"
        XCTAssertTrue(
            (0..<shot.height).contains { y in (0..<shot.width).contains { shot.color(x: $0, y: y) == histogram } })
    }
}
