import Voice
import XCTest

final class SegmentCollectorTests: XCTestCase {
    private func collect(_ segments: [AudioSegment], total: Int, chunk: Int) -> [SegmentAudio] {
        var collector = SegmentCollector(segments: segments)
        let signal = (0..<total).map(Float.init)
        var out: [SegmentAudio] = []
        for start in stride(from: 0, to: total, by: chunk) {
            out += collector.consume(Array(signal[start..<min(total, start + chunk)]))
        }
        return out + collector.finish()
    }

    func testCutsEachSegmentWhateverTheChunkSize() {
        let segments = [
            AudioSegment(start: 5, end: 30, kind: .speech), AudioSegment(start: 30, end: 42, kind: .speech),
            AudioSegment(start: 60, end: 61, kind: .speech),
        ]
        for chunk in [1, 7, 16, 100] {
            let out = collect(segments, total: 100, chunk: chunk)
            XCTAssertEqual(out.map(\.segment), segments, "chunk \(chunk)")
            for audio in out {
                XCTAssertEqual(
                    audio.samples, (audio.segment.start..<audio.segment.end).map(Float.init), "chunk \(chunk)")
            }
        }
    }

    func testOverlappingSegmentsShareSamples() {
        let segments = [
            AudioSegment(start: 10, end: 40, kind: .speech), AudioSegment(start: 35, end: 50, kind: .speech),
        ]
        let out = collect(segments, total: 64, chunk: 9)
        XCTAssertEqual(out.map(\.samples), segments.map { ($0.start..<$0.end).map(Float.init) })
    }

    func testASegmentPastTheEndIsCutShortAndOneNeverBegunIsDropped() {
        let segments = [
            AudioSegment(start: 90, end: 120, kind: .speech), AudioSegment(start: 130, end: 140, kind: .speech),
        ]
        let out = collect(segments, total: 100, chunk: 32)
        XCTAssertEqual(out.count, 1)
        XCTAssertEqual(out[0].segment.end, 100)
        XCTAssertEqual(out[0].samples, (90..<100).map(Float.init))
    }
}
