import DecodingFuzzTarget
import Foundation
import Media
import TestSupport
import XCTest

/// Every input `Scripts/fuzz` kept (`Fixtures/fuzz`), and the generated hostile corpus, through
/// the fuzzer's own path: each must come back without a crash, a trap or a hang.
final class FuzzRegressionTests: XCTestCase {
    func testInputsTheFuzzerKeptStillRunThrough() throws {
        let folder = try XCTUnwrap(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
            .appendingPathComponent("fuzz")
        let kept = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0 != "README.md" }
        for name in kept.sorted() {
            DecodingFuzzTarget.run(Array(try Data(contentsOf: folder.appendingPathComponent(name))))
        }
        // The hostile corpus's regular files, which seed the fuzzer.
        let corpus = try HostileCorpus.make(in: GeneratedMedia.directory.appendingPathComponent("hostile").path)
        var ran = 0
        for entry in corpus {
            guard let stamp = FileStamp(path: entry.path), stamp.sizeBytes < 50_000_000 else { continue }
            DecodingFuzzTarget.run(try Self.contents(of: entry.path))
            ran += 1
        }
        XCTAssertGreaterThan(ran, 20)
    }

    /// The file's bytes, by its raw name (some corpus names are not UTF-8).
    private static func contents(of path: String) throws -> [UInt8] {
        guard let stream = FileSystemPath.withCString(path, { fopen($0, "rb") }) else {
            throw GeneratedMedia.Failure(description: "cannot open \(path)")
        }
        defer { fclose(stream) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = fread(&chunk, 1, chunk.count, stream)
            if count == 0 { return bytes }
            bytes += chunk.prefix(count)
        }
    }
}
