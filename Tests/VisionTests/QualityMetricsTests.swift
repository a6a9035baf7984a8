import Media
import Model
import Vision
import XCTest

final class QualityMetricsTests: XCTestCase {
    private func flat(_ value: UInt8, width: Int = 64, height: Int = 48) -> GrayImage {
        GrayImage(width: width, height: height, pixels: [UInt8](repeating: value, count: width * height))
    }

    /// Black and white squares of `square` px.
    private func checkerboard(width: Int = 64, height: Int = 64, square: Int = 4) -> GrayImage {
        var pixels = [UInt8](repeating: 0, count: width * height)
        for y in 0..<height {
            for x in 0..<width where (x / square + y / square) % 2 == 1 { pixels[y * width + x] = 255 }
        }
        return GrayImage(width: width, height: height, pixels: pixels)
    }

    /// A (2r+1)² box blur, edges clamped, rounded to the nearest level.
    private func boxBlur(_ image: GrayImage, radius: Int) -> GrayImage {
        var pixels = [UInt8](repeating: 0, count: image.pixels.count)
        for y in 0..<image.height {
            for x in 0..<image.width {
                var sum = 0
                for dy in -radius...radius {
                    for dx in -radius...radius {
                        sum += Int(image[min(max(x + dx, 0), image.width - 1), min(max(y + dy, 0), image.height - 1)])
                    }
                }
                let count = (2 * radius + 1) * (2 * radius + 1)
                pixels[y * image.width + x] = UInt8((Double(sum) / Double(count)).rounded())
            }
        }
        return GrayImage(width: image.width, height: image.height, pixels: pixels)
    }

    func testFlatGrayHasNoSharpnessAndItsOwnBrightness() throws {
        for value: UInt8 in [0, 77, 255] {
            let metrics = try QualityMetrics.measure(flat(value))
            XCTAssertEqual(metrics.sharpness, 0, accuracy: 1e-9, "gray \(value)")
            XCTAssertEqual(metrics.brightness, Double(value), accuracy: 1e-9, "gray \(value)")
        }
    }

    func testBrightnessAloneAgreesWithFullMeasure() throws {
        for image in [flat(37), checkerboard()] {
            XCTAssertEqual(try QualityMetrics.brightness(of: image), try QualityMetrics.measure(image).brightness)
        }
        XCTAssertEqual(try QualityMetrics.brightness(of: checkerboard()), 127.5, accuracy: 1e-9)
    }

    func testCheckerboardIsMuchSharperThanItsBlur() throws {
        let sharp = try QualityMetrics.measure(checkerboard())
        let blurred = try QualityMetrics.measure(boxBlur(checkerboard(), radius: 2))
        XCTAssertEqual(sharp.brightness, 127.5, accuracy: 1e-9, "half black, half white")
        XCTAssertEqual(blurred.brightness, 127.5, accuracy: 2, "blurring keeps the mean (up to edges and rounding)")
        XCTAssertGreaterThan(blurred.sharpness, 0)
        XCTAssertGreaterThan(
            sharp.sharpness, 10 * blurred.sharpness,
            "sharp \(sharp.sharpness) vs blurred \(blurred.sharpness)")
    }

    func testRegionOnlyMeasuresThatRegion() throws {
        // Left half flat 200, right half a checkerboard.
        let board = checkerboard(width: 64, height: 64)
        var pixels = board.pixels
        for y in 0..<64 {
            for x in 0..<32 { pixels[y * 64 + x] = 200 }
        }
        let image = GrayImage(width: 64, height: 64, pixels: pixels)
        let whole = try QualityMetrics.measure(image)
        XCTAssertGreaterThan(whole.sharpness, 1000)

        // Kept a pixel away from the checkerboard: cv::Laplacian on a region reads the 1 px ring
        // just outside it (no BORDER_ISOLATED), so the flat region x 0..<32 alone would measure
        // about 667, not 0.
        let left = try QualityMetrics.measure(image, in: FaceBox(x: 4, y: 8, width: 20, height: 40))
        XCTAssertEqual(left.sharpness, 0, accuracy: 1e-9)
        XCTAssertEqual(left.brightness, 200, accuracy: 1e-9)

        let right = try QualityMetrics.measure(image, in: FaceBox(x: 32, y: 0, width: 32, height: 64))
        XCTAssertEqual(right.brightness, 127.5, accuracy: 1e-9)
        XCTAssertEqual(
            right.sharpness, try QualityMetrics.measure(checkerboard(width: 32, height: 64)).sharpness,
            accuracy: right.sharpness * 0.2, "about the checkerboard's own sharpness")
        XCTAssertGreaterThan(right.sharpness, whole.sharpness, "the flat half no longer dilutes it")
    }

    func testRegionIsClampedToTheImage() throws {
        let image = flat(90)
        let metrics = try QualityMetrics.measure(image, in: FaceBox(x: -10, y: 40, width: 30, height: 30))
        XCTAssertEqual(metrics.brightness, 90, accuracy: 1e-9)
        XCTAssertEqual(metrics.sharpness, 0, accuracy: 1e-9)
    }
}
