import Foundation
import XCTest

@testable import Report

final class BatchReportTests: XCTestCase {
    static func rows(_ count: Int) -> [BatchReport.Row] {
        let emotions = ["happy", "sad", "neutral", "angry"]
        return (0..<count).map { index in
            index % 10 == 9
                ? BatchReport.Row(
                    file: "/data/\(index).mp4", failed: true,
                    error: "/data/\(index).mp4: " + (index % 20 == 9 ? "no audio or video stream" : "truncated"),
                    analyzedAt: "2026-12-07T10:00:00Z")
                : BatchReport.Row(
                    file: "/data/\(index).mp4", failed: false, emotion: emotions[index % 4],
                    confidence: Double(index % 100) / 100, durationSeconds: 12, framesAccepted: 18, framesSampled: 21,
                    warnings: 0, analyzedAt: "2026-12-07T10:\(String(format: "%02d", index % 60)):00Z",
                    report: "files/\(index).html")
        }
    }

    func testFailuresComeFirstThenTheLeastConfident() {
        let ordered = BatchReport(rows: Self.rows(30), title: "t").ordered
        XCTAssertEqual(ordered.prefix(3).map(\.failed), [true, true, true])
        let confidences = ordered.filter { !$0.failed }.compactMap(\.confidence)
        XCTAssertEqual(confidences, confidences.sorted())
    }

    func testFailuresAreGroupedByReasonWithoutTheirPaths() {
        let groups = BatchReport(rows: Self.rows(40), title: "t").failures
        XCTAssertEqual(groups.map(\.reason), ["no audio or video stream", "truncated"])
        XCTAssertEqual(groups.map(\.files.count), [2, 2])
    }

    func testAThousandFilesMakeOnePageWithoutAChartPerFile() {
        let html = BatchReport(rows: Self.rows(1000), title: "a thousand").html
        XCTAssertEqual(html.components(separatedBy: "<svg").count - 1, 2, "the emotions and the confidence, no more")
        XCTAssertEqual(html.components(separatedBy: "<tr><td>").count - 1, 1000, "a row per file")
        XCTAssertTrue(html.contains(#"<a href="files/8.html">/data/8.mp4</a>"#))
        XCTAssertLessThan(html.utf8.count, 1_000_000, "\(html.utf8.count) bytes")
    }

    func testHostileFileNamesAreEscaped() {
        let name = #"/x/<img src=x onerror="alert(1)">.mp4"#
        let html = BatchReport(
            rows: [
                BatchReport.Row(file: name, failed: true, error: "\(name): <b>broken</b>"),
                BatchReport.Row(file: name + "2", failed: false, emotion: "<i>happy</i>", report: #"files/"x".html"#),
            ], title: "<title>"
        ).html
        XCTAssertFalse(html.contains("<img"))
        XCTAssertFalse(html.contains("<b>broken"))
        XCTAssertFalse(html.contains("<i>happy"))
        XCTAssertTrue(html.contains("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;.mp4"))
        XCTAssertTrue(html.contains(#"href="files/&quot;x&quot;.html""#))
    }
}
