import Foundation
import Media
import Model
import TestSupport
import XCTest

/// Recordings opened from memory (FFmpeg's custom I/O) read as the same file on disk does.
final class MemoryInputTests: XCTestCase {
    private func bytes(_ path: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    func testAVideoFromMemoryIsProbedAndSampledAsFromItsFile() throws {
        let path = try GeneratedMedia.shortGOP()
        let fromFile = try MediaFile(path: path)
        let fromMemory = try MediaFile(bytes: try bytes(path), name: "clip")
        XCTAssertEqual(fromMemory.info, fromFile.info)
        let options = SamplingOptions(maxFrames: 5)
        let (fileSampler, memorySampler) = (
            try FrameSampler(file: fromFile, options: options),
            try FrameSampler(file: fromMemory, options: options)
        )
        var times: [[Double]] = [[], []]
        while let frame = try fileSampler.next() { times[0].append(frame.time) }
        while let frame = try memorySampler.next() { times[1].append(frame.time) }
        XCTAssertEqual(times[1], times[0], "the same frames, seeks included")
        XCTAssertEqual(times[1].count, 5)
    }

    func testAudioFromMemoryReadsEverySample() throws {
        let path = try GeneratedMedia.audioOnly()
        func samples(_ file: MediaFile) throws -> Int {
            let reader = try AudioReader(file: file, sampleRate: 16_000)
            while try reader.next() != nil {}
            return reader.stats.samples
        }
        XCTAssertEqual(try samples(try MediaFile(bytes: try bytes(path))), try samples(try MediaFile(path: path)))
    }

    func testBadBytesFailWithTheirName() {
        XCTAssertThrowsError(try MediaFile(bytes: [])) {
            XCTAssertEqual($0 as? MediaError, .emptyFile(path: "<memory>"))
        }
        XCTAssertThrowsError(try MediaFile(bytes: Array("not a video".utf8), name: "upload")) { error in
            XCTAssertEqual((error as? MediaError)?.path, "upload")
        }
    }
}
