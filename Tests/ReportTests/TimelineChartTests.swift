import Model
import XCTest

@testable import Report

final class TimelineChartTests: XCTestCase {
    func testATimeIsDrawnAtItsShareOfTheDuration() {
        let chart = TimelineChart(duration: 10, frames: [], segments: [], labels: ["happy"])
        let (left, plot) = (TimelineChart.left, chart.width - TimelineChart.left - TimelineChart.right)
        XCTAssertEqual(chart.x(0), left)
        XCTAssertEqual(chart.x(2.5), left + 0.25 * plot, accuracy: 1e-9)
        XCTAssertEqual(chart.x(10), left + plot, accuracy: 1e-9)
        XCTAssertEqual(chart.x(12), left + plot, accuracy: 1e-9, "past the end stays on the chart")
    }

    func testEachFramesBarStandsAtItsTimeInItsEmotionsColour() throws {
        let chart = TimelineChart(SyntheticResult.make(duration: 10))
        let svg = chart.svg
        let happy = EmotionPalette.color(for: "happy")
        for frame in chart.frames {
            let x = Markup.number(chart.x(frame.t) - chart.barWidth / 2)
            XCTAssertTrue(
                svg.contains(#"data-emotion="happy" x="\#(x)""#), "no happy bar at x=\(x) for t=\(frame.t)")
        }
        XCTAssertTrue(svg.contains(#"fill="\#(happy)""#))
    }

    func testFramesWithoutAFaceAreMarkedWithTheirReason() {
        let result = SyntheticResult.make(duration: 4) { $0 != 2 }
        let svg = TimelineChart(result).svg
        XCTAssertEqual(svg.components(separatedBy: #"<g class="rejected">"#).count - 1, 1)
        XCTAssertTrue(svg.contains("0:02.5: no face accepted (too dark)"), svg)
    }

    func testSpeechIsABandInItsEmotionsColourAndTheRestIsGrey() {
        let chart = TimelineChart(SyntheticResult.make(duration: 10))
        let svg = chart.svg
        let sad = EmotionPalette.color(for: "sad")
        XCTAssertTrue(svg.contains(#"data-emotion="sad" x="\#(Markup.number(chart.x(5)))""#), svg)
        XCTAssertTrue(svg.contains(#"fill="\#(sad)"><title>0:05.0–0:10.0: speech, sad"#), svg)
        XCTAssertTrue(svg.contains("0:00.0–0:05.0: not speech"))
    }

    func testColoursAreStablePerEmotion() {
        XCTAssertEqual(EmotionPalette.color(for: "happy"), EmotionPalette.color(for: "Happy"))
        XCTAssertEqual(EmotionPalette.color(for: "fear"), EmotionPalette.color(for: "fearful"), "face and voice agree")
        XCTAssertEqual(EmotionPalette.color(for: "awe"), EmotionPalette.color(for: "awe"))
        let known = ["neutral", "happy", "sad", "angry", "fear", "disgust", "surprise", "calm", "contempt"]
        XCTAssertEqual(Set(known.map(EmotionPalette.color(for:))).count, known.count, "one colour each")
        XCTAssertFalse(known.map(EmotionPalette.color(for:)).contains(EmotionPalette.nothing))
    }
}
