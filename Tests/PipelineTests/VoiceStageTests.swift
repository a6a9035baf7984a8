import Voice
import XCTest

@testable import Pipeline

final class VoiceStageTests: XCTestCase {
    private func segments(_ lengths: [Int]) -> [AudioSegment] {
        var start = 0
        return lengths.map { length in
            defer { start += length + 10 }
            return AudioSegment(start: start, end: start + length, kind: .speech)
        }
    }

    func testSpeechThatFitsIsAllClassified() {
        let all = segments([30, 40, 30])
        XCTAssertEqual(VoiceStage.spread(all, within: 100), all)
        XCTAssertEqual(VoiceStage.spread([], within: 100), [])
    }

    func testLongSpeechIsSampledEvenlyWithinTheBudget() {
        let all = segments(Array(repeating: 40, count: 100))
        let chosen = VoiceStage.spread(all, within: 400)
        XCTAssertEqual(chosen.count, 10)
        XCTAssertEqual(
            chosen.map { all.firstIndex(of: $0)! }, Array(stride(from: 5, to: 100, by: 10)), "every tenth, centred")
    }

    func testUnevenSegmentsStayWithinTheBudget() {
        let all = segments((0..<50).map { $0 % 5 == 0 ? 400 : 20 })
        let chosen = VoiceStage.spread(all, within: 1000)
        XCTAssertLessThanOrEqual(chosen.reduce(0) { $0 + $1.end - $1.start }, 1000)
        XCTAssertGreaterThan(chosen.count, 1)
        XCTAssertEqual(chosen, chosen.sorted { $0.start < $1.start }, "in time order")
    }

    func testOneSegmentIsClassifiedEvenWhenItAloneIsOverTheBudget() {
        XCTAssertEqual(VoiceStage.spread(segments([500, 500]), within: 100).count, 1)
    }
}
