import Foundation
import Store
import XCTest

final class AtomicFileTests: XCTestCase {
    private func kind(_ path: String) -> mode_t {
        var status = stat()
        XCTAssertEqual(lstat(path, &status), 0, path)
        return status.st_mode & S_IFMT
    }

    func testAFileIsReplacedWholeAndNoTemporaryFileRemains() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("atomic-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("out.csv")
        try AtomicFile.write(Data("first\n".utf8), to: file)
        try AtomicFile.write(Data("second\n".utf8), to: file)
        XCTAssertEqual(try String(contentsOf: file, encoding: .utf8), "second\n")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), ["out.csv"])
    }

    func testADeviceIsWrittenToNotReplaced() throws {
        // `results export -o /dev/null` once renamed a file over /dev/null (as root, it can).
        XCTAssertEqual(kind("/dev/null"), S_IFCHR)
        try AtomicFile.write(Data("discarded\n".utf8), to: URL(fileURLWithPath: "/dev/null"))
        XCTAssertEqual(kind("/dev/null"), S_IFCHR, "/dev/null is still the device")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: "/dev").filter { $0.hasSuffix(".tmp") }, [])
    }
}
