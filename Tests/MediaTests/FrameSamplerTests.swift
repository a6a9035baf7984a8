import Media
import Model
import TestSupport
import XCTest

final class FrameSamplerTests: XCTestCase {
    private func sampleAll(
        _ path: String, _ options: SamplingOptions = SamplingOptions()
    ) throws
        -> (frames: [SampledFrame], sampler: FrameSampler)
    {
        let sampler = try FrameSampler(file: try MediaFile(path: path), options: options)
        var frames: [SampledFrame] = []
        while let frame = try sampler.next() { frames.append(frame) }
        return (frames, sampler)
    }

    func testSamplesSpreadEvenlyByTimestamp() throws {
        // 4 s at 25 fps: 21 samples at the middle of each 4/21 s share, each on a 0.04 s frame.
        let (frames, sampler) = try sampleAll(try GeneratedMedia.testPattern())
        XCTAssertEqual(frames.count, 21)
        for (i, frame) in frames.enumerated() {
            XCTAssertEqual(frame.index, i)
            let wanted = (Double(i) + 0.5) * 4.0 / 21.0
            XCTAssertEqual(frame.time, wanted, accuracy: 0.021, "frame \(i)")
            XCTAssertEqual(frame.image.width, 320)
            XCTAssertEqual(frame.image.height, 240)
        }
        XCTAssertEqual(sampler.stats.videoPackets, 100)
        XCTAssertEqual(sampler.stats.seeks, 0, "a long GOP is decoded in one pass")
    }

    func testBFramesBeforeATargetAreNotDecoded() throws {
        // x264's defaults put B-frames that nothing is predicted from between the references;
        // every target is still served by its own frame, at its own time.
        let (frames, sampler) = try sampleAll(try GeneratedMedia.testPattern(), SamplingOptions(maxFrames: 5))
        XCTAssertEqual(frames.count, 5)
        for (frame, wanted) in zip(frames, [0.4, 1.2, 2.0, 2.8, 3.6]) {
            XCTAssertEqual(frame.time, wanted, accuracy: 1e-9, "the frame at its share's midpoint")
        }
        XCTAssertTrue(sampler.stats.skippedNonReference)
        XCTAssertEqual(sampler.stats.seeks, 0)
        XCTAssertLessThan(
            sampler.stats.framesDecoded, 90 * 2 / 3, "B-frames among the 90 frames up to the last target are skipped")
    }

    func testShortGOPSeeksAndDecodesLess() throws {
        let (frames, sampler) = try sampleAll(try GeneratedMedia.shortGOP(), SamplingOptions(maxFrames: 5))
        XCTAssertEqual(
            frames.map(\.time), [1.0, 3.0, 5.0, 7.0, 9.0].map { $0 }, "nearest frames to the 5 share midpoints")
        XCTAssertGreaterThan(sampler.stats.seeks, 0)
        XCTAssertLessThan(sampler.stats.framesDecoded, 250 / 2, "seeking skips most of the 250 frames")
    }

    func testMaxFramesAboveFrameCountYieldsEachFrameOnce() throws {
        let (frames, _) = try sampleAll(try GeneratedMedia.testPattern(), SamplingOptions(maxFrames: 500))
        XCTAssertEqual(frames.count, 100)
        XCTAssertEqual(Set(frames.map(\.time)).count, 100)
    }

    func testVariableFrameRateIsSampledByTimeNotFrameCount() throws {
        // 10 frames in the first 2 s, 100 in the next 2 s: sampling by index would put almost
        // every sample in the second half; sampling by time puts half in each.
        let (frames, _) = try sampleAll(try GeneratedMedia.variableFrameRate(), SamplingOptions(maxFrames: 10))
        XCTAssertEqual(frames.count, 10)
        XCTAssertEqual(frames.filter { $0.time < 2.0 }.count, 5)
        XCTAssertTrue(zip(frames, frames.dropFirst()).allSatisfy { $0.time < $1.time })
    }

    func testRotationIsAppliedLikeFFmpeg() throws {
        let file = try MediaFile(path: try GeneratedMedia.rotated())
        XCTAssertEqual(file.info.video?.rotation, 270)
        let (frames, _) = try sampleAll(file.path, SamplingOptions(maxFrames: 1))
        let image = try XCTUnwrap(frames.first).image
        XCTAssertEqual(image.width, 240)
        XCTAssertEqual(image.height, 320)
        XCTAssertGreaterThan(image[120, 40], 200, "top is white")
        XCTAssertLessThan(image[120, 280], 50, "bottom is black")
    }

    func testStillImageIsOneFrame() throws {
        let file = try MediaFile(path: try GeneratedMedia.stillImage())
        XCTAssertTrue(file.info.isStillImage)
        let (frames, _) = try sampleAll(file.path)
        XCTAssertEqual(frames.count, 1)
        XCTAssertEqual(frames[0].image.width, 64)
    }

    func testLargeFramesAreScaledToMaxWidth() throws {
        let (frames, sampler) = try sampleAll(
            try GeneratedMedia.testPattern(), SamplingOptions(maxFrames: 1, maxWidth: 160))
        XCTAssertEqual(frames[0].image.width, 160)
        XCTAssertEqual(frames[0].image.height, 120)
        XCTAssertEqual(sampler.stats.frameWidth, 160, "the result says what size boxes are given in")
        XCTAssertEqual(sampler.stats.frameHeight, 120)
    }

    // MARK: Bad input

    func testBadFilesFailWithTheirReason() throws {
        func reason(_ path: String) -> MediaError? {
            do {
                _ = try sampleAll(path)
                return nil
            } catch {
                return error as? MediaError
            }
        }
        XCTAssertEqual(reason(try GeneratedMedia.empty()), .emptyFile(path: try GeneratedMedia.empty()))
        XCTAssertEqual(reason("/nonexistent/x.mp4"), .notFound(path: "/nonexistent/x.mp4"))
        XCTAssertEqual(reason(try GeneratedMedia.audioOnly()), .noVideoStream(path: try GeneratedMedia.audioOnly()))
        guard case .cannotOpen = reason(try GeneratedMedia.garbage()) else {
            return XCTFail("garbage should not open")
        }
        XCTAssertEqual(
            reason(try GeneratedMedia.truncated()), .missingIndex(path: try GeneratedMedia.truncated()),
            "an mp4 cut before its index is said to be incomplete, not just invalid")
    }
}

final class GrayImageTests: XCTestCase {
    func testQuarterTurns() {
        // 2×1: [a b]
        let image = GrayImage(width: 2, height: 1, pixels: [1, 2])
        XCTAssertEqual(image.rotated(clockwise: 90), GrayImage(width: 1, height: 2, pixels: [1, 2]))
        XCTAssertEqual(image.rotated(clockwise: 180), GrayImage(width: 2, height: 1, pixels: [2, 1]))
        XCTAssertEqual(image.rotated(clockwise: 270), GrayImage(width: 1, height: 2, pixels: [2, 1]))
        XCTAssertEqual(image.rotated(clockwise: 360), image)
    }
}
