import Media
import Model
import XCTest

@testable import Vision

/// `FaceClassifier.crop` against what fer 25.10.3 (`fer/fer.py`, `FER.detect_emotions`) does:
///
///     gray_img = pad(gray_img)          # copyMakeBorder, 40 px each side, value = cv2.mean(bottom 2 rows)
///     x, y, w, h = tosquare(box)        # longer side kept, shorter side grown, shifted by diff // 2
///     x1, x2, y1, y2 = x - 10, x + w + 10, y - 10, y + h + 10
///     x1 += 40; y1 += 40; x2 += 40; y2 += 40
///     x1 = max(0, x1); y1 = max(0, y1)
///     gray_face = gray_img[y1:y2, x1:x2]  # NumPy clamps y2, x2 to the padded frame
///
/// The expected corners below are worked out by hand from those lines.
final class FaceCropTests: XCTestCase {
    /// 100×80, every pixel different in its row and column: (3x + 7y) mod 256, except the bottom
    /// two rows, which are all `bottomA` and all `bottomB` so that their mean is known.
    private func frame(bottomA: UInt8 = 100, bottomB: UInt8 = 101) -> GrayImage {
        let (width, height) = (100, 80)
        var pixels = [UInt8](repeating: 0, count: width * height)
        for y in 0..<height {
            for x in 0..<width {
                pixels[y * width + x] =
                    switch y {
                    case height - 2: bottomA
                    case height - 1: bottomB
                    default: UInt8((3 * x + 7 * y) % 256)
                    }
            }
        }
        return GrayImage(width: width, height: height, pixels: pixels)
    }

    /// fer's `pad`: the frame inside a 40 px border of `fill` (given by hand, not computed here).
    private func ferPadded(_ image: GrayImage, fill: UInt8) -> GrayImage {
        let pad = 40
        let (width, height) = (image.width + 2 * pad, image.height + 2 * pad)
        var pixels = [UInt8](repeating: fill, count: width * height)
        for y in 0..<image.height {
            for x in 0..<image.width {
                pixels[(y + pad) * width + x + pad] = image[x, y]
            }
        }
        return GrayImage(width: width, height: height, pixels: pixels)
    }

    /// NumPy's `padded[y1:y2, x1:x2]` for non-negative bounds (the ends clamped to the image).
    private func slice(_ image: GrayImage, x1: Int, x2: Int, y1: Int, y2: Int) -> GrayImage {
        let (right, bottom) = (min(x2, image.width), min(y2, image.height))
        var pixels: [UInt8] = []
        for y in y1..<bottom {
            for x in x1..<right { pixels.append(image[x, y]) }
        }
        return GrayImage(width: right - x1, height: bottom - y1, pixels: pixels)
    }

    func testBoxInTheMiddleGivesTheSquareAroundItWithTheMargin() {
        let image = frame()
        let crop = FaceClassifier.crop(FaceBox(x: 40, y: 30, width: 20, height: 20), from: image, margin: 10)
        // Side max(w, h) + 2 × margin = 40, from (30, 20) in the frame.
        XCTAssertEqual(crop.width, 40)
        XCTAssertEqual(crop.height, 40)
        for y in 0..<40 {
            for x in 0..<40 where crop[x, y] != image[30 + x, 20 + y] {
                return XCTFail("pixel (\(x), \(y)) is \(crop[x, y]), the frame has \(image[30 + x, 20 + y])")
            }
        }
        // fer: x1 = 40 - 10 + 40 = 70, x2 = 40 + 20 + 10 + 40 = 110, y1 = 60, y2 = 100.
        XCTAssertEqual(crop, slice(ferPadded(image, fill: 100), x1: 70, x2: 110, y1: 60, y2: 100))
    }

    func testBoxAtTheTopLeftCornerIsFilledWithTheBottomRowsMean() {
        let image = frame()  // bottom rows 100 and 101: mean 100.5, which OpenCV rounds half to even: 100
        let crop = FaceClassifier.crop(FaceBox(x: 0, y: 0, width: 20, height: 20), from: image, margin: 10)
        XCTAssertEqual(crop.width, 40)
        XCTAssertEqual(crop.height, 40)
        // The crop spans the frame's (-10, -10) to (30, 30): a 10 px band of fill on the top and left.
        for y in 0..<40 {
            for x in 0..<40 {
                let expected = x < 10 || y < 10 ? 100 : image[x - 10, y - 10]
                if crop[x, y] != expected {
                    return XCTFail("pixel (\(x), \(y)) is \(crop[x, y]), expected \(expected)")
                }
            }
        }
        // fer: x1 = 0 - 10 + 40 = 30, x2 = 0 + 20 + 10 + 40 = 70, and the same for y.
        XCTAssertEqual(crop, slice(ferPadded(image, fill: 100), x1: 30, x2: 70, y1: 30, y2: 70))
    }

    func testFillRoundsHalfToEvenLikeOpenCV() {
        // Mean 101.5 rounds to 102 (not truncated to 101); mean 100.5 rounds to 100 (not up to 101).
        let up = FaceClassifier.crop(
            FaceBox(x: 0, y: 0, width: 20, height: 20),
            from: frame(bottomA: 101, bottomB: 102), margin: 10)
        XCTAssertEqual(up[0, 0], 102)
        let down = FaceClassifier.crop(
            FaceBox(x: 0, y: 0, width: 20, height: 20),
            from: frame(bottomA: 100, bottomB: 101), margin: 10)
        XCTAssertEqual(down[0, 0], 100)
        // A mean that is not a half: (60 + 63) / 2 = 61.5 → 62; (7 + 9) / 2 = 8.
        XCTAssertEqual(
            FaceClassifier.crop(
                FaceBox(x: 0, y: 0, width: 20, height: 20),
                from: frame(bottomA: 60, bottomB: 63), margin: 10)[0, 0], 62)
        XCTAssertEqual(
            FaceClassifier.crop(
                FaceBox(x: 0, y: 0, width: 20, height: 20),
                from: frame(bottomA: 7, bottomB: 9), margin: 10)[0, 0], 8)
    }

    func testTallBoxIsSquaredAroundItsCentreLikeTosquare() {
        let image = frame()
        // 10×30 at (40, 20): tosquare grows w by diff = 20 and moves x left by diff // 2 = 10, giving
        // 30×30 at (30, 20); with the margin, the frame's (20, 10) to (70, 60).
        let crop = FaceClassifier.crop(FaceBox(x: 40, y: 20, width: 10, height: 30), from: image, margin: 10)
        XCTAssertEqual(crop.width, 50)
        XCTAssertEqual(crop.height, 50)
        XCTAssertEqual(crop[0, 0], image[20, 10])
        XCTAssertEqual(crop[49, 49], image[69, 59])
        // fer: x1 = 30 - 10 + 40 = 60, x2 = 30 + 30 + 10 + 40 = 110, y1 = 50, y2 = 100.
        XCTAssertEqual(crop, slice(ferPadded(image, fill: 100), x1: 60, x2: 110, y1: 50, y2: 100))
    }

    func testOddDifferenceShiftsByFloorOfHalf() {
        let image = frame()
        // 10×25 at (40, 20): diff = 15, x -= 15 // 2 = 7 → 25×25 at (33, 20).
        let tall = FaceClassifier.crop(FaceBox(x: 40, y: 20, width: 10, height: 25), from: image, margin: 10)
        XCTAssertEqual(tall, slice(ferPadded(image, fill: 100), x1: 63, x2: 108, y1: 50, y2: 95))
        XCTAssertEqual(tall[0, 0], image[23, 10])
        // 25×10 at (30, 40): diff = 15, y -= 7 → 25×25 at (30, 33).
        let wide = FaceClassifier.crop(FaceBox(x: 30, y: 40, width: 25, height: 10), from: image, margin: 10)
        XCTAssertEqual(wide, slice(ferPadded(image, fill: 100), x1: 60, x2: 105, y1: 63, y2: 108))
        XCTAssertEqual(wide[0, 0], image[20, 23])
    }

    func testCropIsCutAtThePaddedFrameLikeFer() {
        let image = frame()
        // A margin wider than the padding: fer clamps x1, y1 at 0 (here 0 - 50 + 40 = -10) and
        // NumPy's slicing cuts x2, y2 at the padded frame's size (180 × 160).
        let corner = FaceClassifier.crop(FaceBox(x: 0, y: 0, width: 20, height: 20), from: image, margin: 50)
        // x1 = max(0, -10) = 0, x2 = 0 + 20 + 50 + 40 = 110: 110 wide, not 120.
        XCTAssertEqual(corner.width, 110)
        XCTAssertEqual(corner.height, 110)
        XCTAssertEqual(corner, slice(ferPadded(image, fill: 100), x1: 0, x2: 110, y1: 0, y2: 110))

        // Bottom-right: 30×30 at (70, 50): x1 = 70 - 50 + 40 = 60, x2 = 70 + 30 + 50 + 40 = 190 → 180;
        // y1 = 40, y2 = 170 → 160.
        let edge = FaceClassifier.crop(FaceBox(x: 70, y: 50, width: 30, height: 30), from: image, margin: 50)
        XCTAssertEqual(edge.width, 120)
        XCTAssertEqual(edge.height, 120)
        XCTAssertEqual(edge, slice(ferPadded(image, fill: 100), x1: 60, x2: 180, y1: 40, y2: 160))
    }
}
