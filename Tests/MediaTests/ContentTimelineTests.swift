import XCTest

@testable import Media

final class ContentTimelineTests: XCTestCase {
    /// 25 fps in a 1/1000 time base.
    private func frames(_ count: Int, from start: Int64 = 0) -> [Int64] {
        (0..<Int64(count)).map { start + $0 * 40 }
    }

    func testAnEvenStreamIsSampledAtTheMiddleOfEachShare() {
        let timeline = ContentTimeline(timestamps: frames(100), secondsPerTick: 0.001)
        XCTAssertEqual(timeline.medianGap, 40)
        XCTAssertTrue(timeline.jumps.isEmpty)
        XCTAssertEqual(timeline.span, 4000)
        XCTAssertEqual(timeline.evenlySpaced(count: 4), [480, 1480, 2480, 3480])
        XCTAssertEqual(
            timeline.evenlySpaced(count: 200), frames(100), "every frame when there are fewer than asked for")
    }

    /// A clock reset of 10 hours in the middle: the gap counts as one frame, and samples fall on
    /// both sides of it in proportion to the content there.
    func testATimestampJumpIsTakenOutOfTheContent() {
        let timestamps = frames(50) + frames(50, from: 36_000_000)
        let timeline = ContentTimeline(timestamps: timestamps, secondsPerTick: 0.001)
        XCTAssertEqual(timeline.jumps, [50])
        XCTAssertEqual(timeline.span, 4000)
        let sampled = timeline.evenlySpaced(count: 10)
        XCTAssertEqual(sampled.filter { $0 < 36_000_000 }.count, 5)
        XCTAssertEqual(sampled.count, 10)
    }

    /// A long still picture in a variable-frame-rate recording is content, not a jump: under a
    /// minute, it stays as long as it is.
    func testAPauseUnderAMinuteIsContent() {
        let timestamps = frames(50) + frames(50, from: 2000 + 30_000)
        let timeline = ContentTimeline(timestamps: timestamps, secondsPerTick: 0.001)
        XCTAssertTrue(timeline.jumps.isEmpty)
        XCTAssertEqual(timeline.span, 34_000)
    }
}
