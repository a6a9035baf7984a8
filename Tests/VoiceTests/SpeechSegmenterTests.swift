import Model
import Voice
import XCTest

final class SpeechSegmenterTests: XCTestCase {
    private let rate = 22050

    /// Levels for a signal built from (seconds, dBFS) pieces, one level per 512-sample hop.
    private func meter(_ pieces: [(seconds: Double, db: Float)]) -> (LevelMeter, Int) {
        var meter = LevelMeter()
        var samples = 0
        for piece in pieces {
            let count = Int(piece.seconds * Double(rate))
            // A square wave of amplitude a has power a²: level 20·log10(a).
            let amplitude = Float(pow(10, Double(piece.db) / 20))
            meter.consume((0..<count).map { $0 % 2 == 0 ? amplitude : -amplitude })
            samples += count
        }
        meter.finish()
        return (meter, samples)
    }

    /// Syllables: 0.15 s loud, 0.1 s 20 dB quieter, repeated.
    private func syllables(seconds: Double, db: Float) -> [(seconds: Double, db: Float)] {
        Array(repeating: [(0.15, db), (0.1, db - 20)], count: Int(seconds / 0.25)).flatMap { $0 }
    }

    private func segment(
        _ pieces: [(seconds: Double, db: Float)], _ options: VoiceActivityOptions = VoiceActivityOptions()
    )
        -> VoiceActivity
    {
        let (meter, samples) = meter(pieces)
        return SpeechSegmenter(options: options, sampleRate: rate).activity(in: meter, totalSamples: samples)
    }

    func testLevelMeterReadsSquareWaveLevels() {
        let (meter, _) = meter([(1, -20), (1, -60)])
        XCTAssertEqual(meter.levels.count, (2 * rate - 1024) / 512 + 1)
        XCTAssertEqual(Double(meter.levels[5]), -20, accuracy: 0.01)
        XCTAssertEqual(Double(meter.levels.last!), -60, accuracy: 0.01)
    }

    func testQuietSpeechIsFoundRelativeToTheFilesOwnLevel() {
        // RAVDESS-like: speech near -50 dBFS between stretches of -95 dBFS room tone.
        let found = segment([(1, -95)] + syllables(seconds: 2, db: -50) + [(1, -95)])
        XCTAssertFalse(found.isSilent)
        XCTAssertEqual(found.segments.count, 1)
        let speech = try! XCTUnwrap(found.speech.first)
        XCTAssertEqual(Double(speech.start) / Double(rate), 1 - 0.25, accuracy: 0.05, "onset minus padding")
        XCTAssertEqual(Double(speech.end) / Double(rate), 3 + 0.25, accuracy: 0.12, "end plus padding")
    }

    func testSilenceIsReportedAsSilent() {
        let found = segment([(3, -100)])
        XCTAssertTrue(found.isSilent)
        XCTAssertTrue(found.segments.isEmpty)
    }

    func testAHeldToneIsNotSpeech() {
        let found = segment([(1, -100), (2, -20), (1, -100)])
        XCTAssertFalse(found.isSilent)
        XCTAssertEqual(found.segments.map(\.kind), [.nonSpeech])
    }

    func testASteadySoundHasNothingThatStandsOut() {
        let found = segment([(4, -20)])
        XCTAssertFalse(found.isSilent)
        XCTAssertTrue(found.segments.isEmpty, "loud and quiet levels are equal: no frame is active")
    }

    func testPausesShorterThanTheMergeGapJoinUtterances() {
        let pieces =
            syllables(seconds: 1, db: -30) + [(0.3, -90)] + syllables(seconds: 1, db: -30) + [(1.5, -90)]
            + syllables(seconds: 1, db: -30)
        let found = segment([(0.5, -90)] + pieces + [(0.5, -90)])
        XCTAssertEqual(found.speech.count, 2, "a 0.3 s pause joins, a 1.5 s one separates")
    }

    func testLongUtterancesAreSplitIntoEqualSegments() {
        let found = segment([(0.5, -90)] + syllables(seconds: 10, db: -30) + [(0.5, -90)])
        XCTAssertEqual(found.speech.count, 3, "10.5 s with padding, in pieces of at most 4 s")
        let lengths = found.speech.map { $0.end - $0.start }
        XCTAssertLessThanOrEqual(lengths.max()! - lengths.min()!, 1)
        for (a, b) in zip(found.speech, found.speech.dropFirst()) { XCTAssertEqual(a.end, b.start) }
    }

    func testClicksShorterThanMinimumSpeechAreDropped() {
        let found = segment([(1, -90), (0.1, -20), (2, -90)])
        XCTAssertTrue(found.segments.isEmpty)
    }
}
