import Foundation
import Model
import XCTest

@testable import Report

final class FileReportTests: XCTestCase {
    func testHostileFileNamesAreEscaped() {
        let name = #"/data/<script>alert("x")</script> & 'quoted' – Ünïcødé 🎬.mp4"#
        let html = FileReport(SyntheticResult.make(path: name, status: .failed, error: "\(name): <b>bad</b>")).html
        XCTAssertFalse(html.contains("<script>"), "a file name became markup")
        XCTAssertFalse(html.contains("<b>bad</b>"))
        XCTAssertTrue(html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quoted&#39;"), html)
        XCTAssertTrue(html.contains("Ünïcødé 🎬.mp4"), "unicode is kept as it is")
    }

    func testThePageHasTheAnswerTheChartsAndTheWarningsAndFetchesNothing() {
        let html = FileReport(SyntheticResult.make()).html
        XCTAssertTrue(html.hasPrefix("<!DOCTYPE html>"))
        XCTAssertTrue(html.contains("<b>happy</b>"))
        XCTAssertTrue(html.contains("confidence 0.60"))
        XCTAssertTrue(html.contains("face and voice weighted by their confidence (face 0.60, voice 0.40)"))
        XCTAssertTrue(html.contains(#"class="timeline""#))
        XCTAssertEqual(html.components(separatedBy: #"class="bars""#).count - 1, 3, "fused, face and voice")
        XCTAssertTrue(html.contains("rotated 90° by its display matrix"))
        for fetch in ["src=", "href=\"http", "url(", "<script", "@import"] {
            XCTAssertFalse(html.contains(fetch), "the page fetches or runs something: \(fetch)")
        }
    }
}
