import Foundation
import TestSupport
import XCTest

/// `emoscan label`: corrections from the command line and from a CSV, kept in the store.
final class LabelCommandTests: XCTestCase {
    override func setUpWithError() throws {
        try EmoscanProcess.requireBuilt()
    }

    func testLabelsFromTheCommandLineAndACorrectionsFile() throws {
        let store = freshFolder()
        XCTAssertEqual(try emoscan(["label", "/data/a.mp4", "Happy", "--store", store]).stdout, "labelled 1 file\n")
        let corrections = store + "-fixes.csv"
        try "file,emotion,reviewer\n/data/a.mp4,sad,kim\n\"/data/b, c.wav\",angry,kim\n"
            .write(toFile: corrections, atomically: true, encoding: .utf8)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: corrections) }
        XCTAssertEqual(try emoscan(["label", "--csv", corrections, "--store", store]).stdout, "labelled 2 files\n")

        let query = try sqliteOrSkip("the label table was not read")
        XCTAssertEqual(try query(store, "SELECT file, emotion FROM label ORDER BY file"), "/data/a.mp4|sad\n/data/b, c.wav|angry",
                       "the file's later label replaces the first")
    }

    func testAnUnknownEmotionOrAMissingColumnIsAUsageError() throws {
        let store = freshFolder()
        let unknown = try emoscan(["label", "/data/a.mp4", "joyful", "--store", store])
        XCTAssertEqual(unknown.status, 2)
        XCTAssertTrue(unknown.stderr.contains("unknown emotion 'joyful'"), unknown.stderr)

        let corrections = store + "-bad.csv"
        try "path,label\n/data/a.mp4,sad\n".write(toFile: corrections, atomically: true, encoding: .utf8)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: corrections) }
        let missing = try emoscan(["label", "--csv", corrections, "--store", store])
        XCTAssertEqual(missing.status, 2)
        XCTAssertTrue(missing.stderr.contains("needs the columns file and emotion"), missing.stderr)
        XCTAssertEqual(try emoscan(["label", "--store", store]).status, 2, "nothing to label")
    }
}
