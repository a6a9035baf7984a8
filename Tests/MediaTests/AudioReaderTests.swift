import Media
import TestSupport
import XCTest

final class AudioReaderTests: XCTestCase {
    private func readAll(_ path: String, sampleRate: Int = 22050) throws -> (chunks: [AudioChunk], reader: AudioReader)
    {
        let reader = try AudioReader(file: try MediaFile(path: path), sampleRate: sampleRate)
        var chunks: [AudioChunk] = []
        while let chunk = try reader.next() { chunks.append(chunk) }
        return (chunks, reader)
    }

    func testResamplesToTheRequestedRateKeepingDurationAndLevel() throws {
        // 1 s of a 440 Hz sine at 44.1 kHz (FFmpeg's sine source: amplitude 1/8).
        let (chunks, reader) = try readAll(try GeneratedMedia.audioOnly(), sampleRate: 16000)
        let samples = chunks.flatMap(\.samples)
        XCTAssertEqual(samples.count, 16000, accuracy: 16, "1 s at 16 kHz")
        XCTAssertEqual(reader.stats.samples, samples.count)
        let middle = samples[2000..<14000]
        XCTAssertEqual(Double(middle.max()!), 0.125, accuracy: 0.003)
        XCTAssertEqual(Double(middle.min()!), -0.125, accuracy: 0.003)
        // A sine crosses zero twice a period: 880 times a second.
        let crossings = zip(middle, middle.dropFirst()).filter { ($0 < 0) != ($1 < 0) }.count
        XCTAssertEqual(Double(crossings), 880 * 12000 / 16000, accuracy: 3)
    }

    func testChunksAreBoundedAndContiguousInTime() throws {
        let (chunks, _) = try readAll(try GeneratedMedia.speech())
        XCTAssertGreaterThan(chunks.count, 3, "several seconds arrive in several chunks")
        XCTAssertTrue(chunks.allSatisfy { $0.samples.count <= AudioReader.chunkSize })
        var expected = 0.0
        for chunk in chunks {
            XCTAssertEqual(chunk.time, expected, accuracy: 1e-9)
            expected += Double(chunk.samples.count) / 22050
        }
    }

    func testStereoIsAveragedToMono() throws {
        let (chunks, _) = try readAll(try GeneratedMedia.stereoConstant())
        let samples = chunks.flatMap(\.samples)
        let middle = samples[2000..<20000]
        XCTAssertEqual(Double(middle.min()!), 0.3, accuracy: 0.001)
        XCTAssertEqual(Double(middle.max()!), 0.3, accuracy: 0.001)
    }

    func testReadsTheAudioTrackOfAVideo() throws {
        let file = try MediaFile(path: try GeneratedMedia.videoWithSpeech())
        XCTAssertEqual(file.info.audio?.codec, "aac")
        XCTAssertNotNil(file.info.video)
        let (chunks, _) = try readAll(file.path)
        let seconds = Double(chunks.flatMap(\.samples).count) / 22050
        XCTAssertEqual(seconds, 4, accuracy: 0.1, "the speech is cut to the 4 s picture (-shortest)")
    }

    func testReadsTheUsualAudioFormats() throws {
        let speech = try GeneratedMedia.speech()
        let expected = try readAll(speech).chunks.flatMap(\.samples).count
        for (format, codec) in [
            ("flac", "flac"), ("mp3", "libmp3lame"), ("m4a", "aac"), ("ogg", "libvorbis"),
            ("opus", "libopus"),
        ] {
            let path = try GeneratedMedia.make("speech.\(format)", ["-i", speech, "-c:a", codec])
            let samples = try readAll(path).chunks.flatMap(\.samples)
            // Lossy codecs pad the start or end by up to a frame or two.
            XCTAssertEqual(Double(samples.count), Double(expected), accuracy: 0.08 * 22050, format)
            XCTAssertGreaterThan(samples.map(abs).max() ?? 0, 0.05, "\(format) holds the speech")
        }
    }

    func testVideoWithoutAudioIsAnError() throws {
        XCTAssertThrowsError(
            try AudioReader(file: try MediaFile(path: try GeneratedMedia.testPattern()), sampleRate: 22050)
        ) {
            XCTAssertEqual($0 as? MediaError, .noAudioStream(path: try! GeneratedMedia.testPattern()))
        }
    }

    func testSilenceReadsAsZeros() throws {
        let samples = try readAll(try GeneratedMedia.silence()).chunks.flatMap(\.samples)
        XCTAssertEqual(samples.count, 3 * 22050, accuracy: 22)
        XCTAssertEqual(samples.map(abs).max(), 0)
    }
}
