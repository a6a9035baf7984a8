import Media
import Model
import TestSupport
import Vision
import XCTest

/// What every `FaceDetector` must do, written once: each detector's tests call `run` with a way
/// to make one, and a new detector passes all of it or it is not done.
enum FaceDetectorContract {
    static func run(_ make: () throws -> any FaceDetector, file: StaticString = #filePath, line: UInt = #line) throws {
        let detector = try make()
        // Nothing in a blank frame, of any size or level.
        for (width, height, value) in [(320, 240, 128), (1280, 720, 0), (64, 64, 255)] {
            let blank = GrayImage(
                width: width, height: height, pixels: [UInt8](repeating: UInt8(value), count: width * height))
            XCTAssertEqual(
                try detector.detect(in: blank), [], "\(width)×\(height) of gray \(value)", file: file, line: line)
        }
        // A face that left is not found again (nil: search the whole frame); no faces, none to look for.
        let blank = GrayImage(width: 640, height: 360, pixels: [UInt8](repeating: 128, count: 640 * 360))
        XCTAssertNil(
            try detector.redetect([FaceBox(x: 200, y: 100, width: 150, height: 150)], in: blank), file: file, line: line
        )
        XCTAssertEqual(try detector.redetect([], in: blank), [], file: file, line: line)

        // A real face, where the shared data is there: found once, inside the frame, and again near where it was.
        guard let frames = try ravdessFrames(2) else { return }
        let faces = try detector.detect(in: frames[0])
        XCTAssertEqual(faces.count, 1, "faces: \(faces)", file: file, line: line)
        guard let face = faces.first else { return }
        XCTAssertGreaterThanOrEqual(face.size, 100, file: file, line: line)
        XCTAssertNotNil(face.clamped(toWidth: frames[0].width, height: frames[0].height), file: file, line: line)
        XCTAssertEqual(face.clamped(toWidth: frames[0].width, height: frames[0].height), face, file: file, line: line)
        let again = try detector.redetect(faces, in: frames[1])
        let whole = try detector.detect(in: frames[1])
        XCTAssertEqual(again?.count, 1, "the face is still there", file: file, line: line)
        if let again = again?.first, let whole = whole.first {
            XCTAssertGreaterThan(
                again.overlap(with: whole), 0.8, "found where a whole search finds it", file: file, line: line)
        }
    }

    /// The first `count` sampled frames of a RAVDESS clip of actor 05 (neutral, 1280×720, one
    /// person facing the camera); nil where the shared data is absent.
    static func ravdessFrames(_ count: Int) throws -> [GrayImage]? {
        guard let url = RepoPaths.sharedData("ravdess_av/01-01-01-01-02-01-05.mp4") else { return nil }
        let sampler = try FrameSampler(file: try MediaFile(path: url.path), options: SamplingOptions(maxFrames: count))
        var images: [GrayImage] = []
        while let frame = try sampler.next() { images.append(frame.image) }
        return images
    }
}
