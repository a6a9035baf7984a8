import Foundation
import TestSupport
import Voice
import XCTest

/// emoscan's features must be librosa 0.11.0's for the EmoDB files in
/// `../shared/reference/librosa` (made by `make_reference.py` there).
///
/// Tolerance: 1e-3 of the reference value. MFCCs are differences of dB levels that can fall
/// arbitrarily close to 0, where a relative bound means nothing, so for them the bound is never
/// below 1e-4 absolute (which takes over when |reference| < 0.1). Chroma, mel power and the
/// zero-crossing rate are positive averages, some mel bands as small as 1e-8, so for them the
/// bound stays relative: an absolute floor would let those bands be anything.
final class LibrosaParityTests: XCTestCase {
    private static let relativeTolerance = 1e-3
    private static let mfccAbsoluteTolerance = 1e-4

    private static var referenceFolder: URL {
        RepoPaths.root.deletingLastPathComponent().appendingPathComponent("shared/reference/librosa")
            .standardizedFileURL
    }

    // MARK: Tests

    func testTimeAveragedFeaturesMatchLibrosa() throws {
        let (audioFolder, references) = try sharedInputs()
        let table = try Self.csvRows(references.appendingPathComponent("emodb_181_features.csv"))
        let header = try XCTUnwrap(table.first, "the reference table is empty")
        XCTAssertEqual(header.count, 1 + LibrosaFeatures.count, "reference columns")
        let rows = table.dropFirst()
        XCTAssertFalse(rows.isEmpty, "the reference table lists no files")

        let extractor = LibrosaFeatures(sampleRate: 22050)
        var errors = ErrorSummary()
        for row in rows {
            let file = row[0]
            let expected = try row.dropFirst().map { try XCTUnwrap(Double($0), "\(file): bad number \($0)") }
            let actual = try extractor.features(of: Self.samples(of: audioFolder.appendingPathComponent(file)))
            XCTAssertEqual(actual.count, LibrosaFeatures.count, file)
            for (index, (got, want)) in zip(actual, expected).enumerated() {
                let column = header[index + 1]
                errors.check(
                    Double(got), against: want, allowsAbsoluteFloor: column.hasPrefix("mfcc"),
                    at: "\(file) \(column)")
            }
        }
        print("librosa parity, \(rows.count) files × \(LibrosaFeatures.count) features: \(errors)")
    }

    func testPerFrameMFCCMatchesLibrosa() throws {
        let (audioFolder, references) = try sharedInputs()
        let names = try FileManager.default.contentsOfDirectory(atPath: references.path)
            .filter { $0.hasPrefix("emodb_mfcc_frames_") && $0.hasSuffix(".csv") }
        XCTAssertFalse(names.isEmpty, "no emodb_mfcc_frames_*.csv in \(references.path)")

        let extractor = LibrosaFeatures(sampleRate: 22050)
        var errors = ErrorSummary()
        for name in names {
            let file = String(name.dropFirst("emodb_mfcc_frames_".count).dropLast(".csv".count)) + ".wav"
            let expected = try Self.csvRows(references.appendingPathComponent(name)).map { row in
                try row.map { try XCTUnwrap(Double($0), "\(name): bad number \($0)") }
            }
            let actual = try extractor.mfccFrames(of: Self.samples(of: audioFolder.appendingPathComponent(file)))
            XCTAssertEqual(actual.count, expected.count, "\(file): frame count")
            for (frame, (gotRow, wantRow)) in zip(actual, expected).enumerated() {
                XCTAssertEqual(gotRow.count, wantRow.count, "\(file) frame \(frame): coefficient count")
                for (coefficient, (got, want)) in zip(gotRow, wantRow).enumerated() {
                    errors.check(
                        Double(got), against: want, allowsAbsoluteFloor: true,
                        at: "\(file) frame \(frame) mfcc\(coefficient)")
                }
            }
        }
        print("librosa parity, per-frame MFCC of \(names.count) file(s): \(errors)")
    }

    // MARK: Comparison

    /// Checks values against references, remembering the largest errors for the report: the
    /// relative error where the relative bound applies, the absolute error where the absolute
    /// floor does.
    private struct ErrorSummary: CustomStringConvertible {
        var largestRelative = (error: 0.0, place: "none")
        var largestAbsoluteNearZero = (error: 0.0, place: "none")
        var largestAbsolute = (error: 0.0, place: "none")
        var count = 0

        mutating func check(_ got: Double, against want: Double, allowsAbsoluteFloor: Bool, at place: String) {
            let absolute = abs(got - want)
            let relativeBound = LibrosaParityTests.relativeTolerance * abs(want)
            let floor = allowsAbsoluteFloor ? LibrosaParityTests.mfccAbsoluteTolerance : 0
            XCTAssertLessThanOrEqual(absolute, max(relativeBound, floor), "\(place): emoscan \(got), librosa \(want)")
            if relativeBound >= floor {
                let relative = absolute / abs(want)
                if relative > largestRelative.error { largestRelative = (relative, place) }
            } else if absolute > largestAbsoluteNearZero.error {
                largestAbsoluteNearZero = (absolute, place)
            }
            if absolute > largestAbsolute.error { largestAbsolute = (absolute, place) }
            count += 1
        }

        var description: String {
            "\(count) values; largest relative error \(largestRelative.error) (\(largestRelative.place)); "
                + "largest absolute error where |librosa| < 0.1 \(largestAbsoluteNearZero.error) "
                + "(\(largestAbsoluteNearZero.place)); largest absolute error \(largestAbsolute.error) "
                + "(\(largestAbsolute.place))"
        }
    }

    // MARK: Inputs

    /// The EmoDB audio folder and the reference folder, or a skip when this machine lacks either.
    private func sharedInputs() throws -> (audio: URL, references: URL) {
        guard let audio = RepoPaths.sharedData("emodb") else {
            throw XCTSkip("\(RepoPaths.sharedData.path)/emodb is absent: librosa parity needs the shared EmoDB files")
        }
        guard FileManager.default.fileExists(atPath: Self.referenceFolder.path) else {
            throw XCTSkip("\(Self.referenceFolder.path) is absent: librosa parity needs the shared reference features")
        }
        return (audio, Self.referenceFolder)
    }

    /// A mono file's samples as float32, decoded by FFmpeg, whose s16-to-float conversion
    /// divides by 32768 as `librosa.load` does.
    private static func samples(of file: URL) throws -> [Float] {
        let data = try Tools.data(
            "ffmpeg", ["-v", "error", "-i", file.path, "-f", "f32le", "-acodec", "pcm_f32le", "-"])
        var samples = [Float](repeating: 0, count: data.count / MemoryLayout<Float>.size)
        _ = samples.withUnsafeMutableBytes { data.copyBytes(to: $0) }
        return samples
    }

    private static func csvRows(_ url: URL) throws -> [[String]] {
        try String(contentsOf: url, encoding: .utf8)
            .split(whereSeparator: \.isNewline)
            .map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    }
}
