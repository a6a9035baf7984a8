import Foundation
import Model
import TestSupport
import Voice
import XCTest

/// emoscan's Whisper engine must give what CTranslate2, the engine the weights were converted
/// for, gave on the same audio (`Fixtures/whisper_parity.json`, written by
/// `Scripts/models/make_whisper_parity.py`): the log-mel spectrogram, the encoder's output and
/// the language probabilities, each within 1e-3 of the reference's largest magnitude.
final class WhisperParityTests: XCTestCase {
    private struct Fixture: Decodable {
        struct Case: Decodable {
            let name: String
            let audio: String
            let melFrames: Int
            let melStride: Int
            let mel: String
            let encoderFrames: Int
            let encoderStride: Int
            let encoder: String
            let languages: String
            let noSpeech: Double
        }

        let convertedSha256: String
        let languages: [String]
        let cases: [Case]
    }

    private func fixture() throws -> Fixture {
        let url = try XCTUnwrap(
            Bundle.module.url(forResource: "whisper_parity", withExtension: "json", subdirectory: "Fixtures"))
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(Fixture.self, from: Data(contentsOf: url))
    }

    /// Little-endian values from base64.
    private func decoded<T>(_ text: String, as: T.Type) throws -> [T] {
        let data = try XCTUnwrap(Data(base64Encoded: text))
        return data.withUnsafeBytes { Array($0.bindMemory(to: T.self)) }
    }

    /// Largest difference, relative to the reference's largest magnitude.
    private func relativeError(_ got: [Float], _ want: [Float]) -> Float {
        let scale = want.map(abs).max() ?? 1
        return zip(got, want).map { abs($0 - $1) }.max().map { $0 / scale } ?? 0
    }

    func testLogMelAndEncoderMatchCTranslate2() throws {
        let fixture = try fixture()
        let path = RepoPaths.whisperModel
        if let problem = ModelFile.problem(
            at: path, sha256: fixture.convertedSha256, fixtureScript: "Scripts/models/make_whisper_parity.py")
        {
            return XCTFail(problem)
        }
        let weights = try WhisperWeights.shared(path: path)
        let encoder = try WhisperEncoder(weights: weights)
        let identifier = try WhisperLanguageIdentifier(weights: weights)
        XCTAssertEqual(identifier.languages, fixture.languages)
        XCTAssertEqual(fixture.cases.map(\.name), ["english", "german", "tone"])
        for testCase in fixture.cases {
            let audio = try decoded(testCase.audio, as: Int16.self).map { Float($0) / 32768 }
            let mel = try WhisperLogMel().spectrogram(of: audio)
            XCTAssertEqual(mel.frames, testCase.melFrames, testCase.name)
            let melError = relativeError(
                stride(from: 0, to: mel.values.count, by: testCase.melStride).map { mel.values[$0] },
                try decoded(testCase.mel, as: Float.self))
            XCTAssertLessThanOrEqual(melError, 1e-3, "\(testCase.name): log-mel")

            let encoding = try encoder.encode(mel)
            XCTAssertEqual(encoding.frames, testCase.encoderFrames, testCase.name)
            let output = stride(from: 0, to: encoding.output.count, by: testCase.encoderStride).map {
                encoding.output[$0]
            }
            let encoderError = relativeError(output, try decoded(testCase.encoder, as: Float.self))
            XCTAssertLessThanOrEqual(encoderError, 1e-3, "\(testCase.name): encoder output")

            let verdict = identifier.verdict(on: encoding)
            let probabilities = verdict.languages
            let reference = try decoded(testCase.languages, as: Float.self)
            let languageError = relativeError(probabilities, reference)
            XCTAssertLessThanOrEqual(languageError, 1e-3, "\(testCase.name): language probabilities")
            XCTAssertEqual(probabilities.reduce(0, +), 1, accuracy: 1e-4)
            XCTAssertEqual(
                TopLabel.index(of: probabilities.map(Double.init)), TopLabel.index(of: reference.map(Double.init)),
                testCase.name)
            // CTranslate2 normalises over the whole vocabulary, emoscan over the tokens that may
            // follow <|startoftranscript|>: the rest hold almost nothing there.
            let noSpeechError = abs(Double(verdict.noSpeech) - testCase.noSpeech)
            XCTAssertLessThanOrEqual(noSpeechError, 0.01, "\(testCase.name): no-speech probability")
            print(
                "whisper parity \(testCase.name): log-mel \(melError), encoder \(encoderError), languages "
                    + "\(languageError) (relative to the largest value), no speech \(verdict.noSpeech) against "
                    + "\(testCase.noSpeech)")
        }
    }
}
