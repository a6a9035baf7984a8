import Foundation
import Model
import Pipeline
import TestSupport
import Voice
import XCTest

final class PipelineDefinitionTests: XCTestCase {
    /// The error `body` throws, as a `PipelineError` (a failure when it throws nothing or something else).
    private func pipelineError(
        _ body: () throws -> Void, file: StaticString = #filePath, line: UInt = #line
    )
        -> PipelineError?
    {
        do {
            try body()
            XCTFail("expected a PipelineError, got none", file: file, line: line)
        } catch let error as PipelineError {
            return error
        } catch {
            XCTFail("expected a PipelineError, got \(type(of: error)): \(error)", file: file, line: line)
        }
        return nil
    }

    /// The error from parsing `text` (named `test.yml` in errors).
    private func parseError(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> PipelineError? {
        pipelineError({ _ = try PipelineDefinition.parse(text, path: "test.yml") }, file: file, line: line)
    }

    /// The default pipeline's text with its model path made absolute, so the file resolves from any folder.
    private func portableText() throws -> String {
        try YAMLEdit.setting(
            "whisper.path", to: RepoPaths.whisperModel,
            in: try YAMLEdit.setting(
                "voice_model.path", to: RepoPaths.voiceModel,
                in: try YAMLEdit.setting("face_model.path", to: RepoPaths.faceModel, in: try DefaultPipeline.text())))
    }

    /// `Pipelines/acoustic.yml`: the default without Whisper.
    private func acousticText() throws -> String {
        try String(contentsOfFile: RepoPaths.path("Pipelines/acoustic.yml"), encoding: .utf8)
    }

    // MARK: The repository's default pipeline

    func testDefaultPipelineParsesValidatesAndResolves() throws {
        let definition = try PipelineDefinition.load(path: DefaultPipeline.path)
        XCTAssertNoThrow(try definition.validate(path: DefaultPipeline.path))
        XCTAssertEqual(definition.name, "default")
        XCTAssertEqual(definition.faceModel.labels.count, 7)

        let resolved = try DefaultPipeline.resolved()
        XCTAssertEqual(resolved.definition, definition)
        XCTAssertEqual(resolved.faceModelSpec.path, RepoPaths.faceModel, "../Models/... resolves against Pipelines/")
        XCTAssertTrue(resolved.detectorOptions.path.hasPrefix("/"))
        XCTAssertEqual(resolved.detectorOptions.sha256, try Tools.sha256(ofFile: resolved.detectorOptions.path))
        XCTAssertEqual(resolved.definition.sampling.maxFrames, definition.sampling.maxFrames)
        XCTAssertEqual(resolved.faceModelSpec.labels, definition.faceModel.labels)
    }

    /// Every pipeline shipped in `Pipelines/` parses, validates and resolves (its models present, with
    /// the digests it pins), under the name of its file.
    func testEveryShippedPipelineResolves() throws {
        let folder = RepoPaths.path("Pipelines")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".yml") }.sorted()
        XCTAssertEqual(names, ["acoustic.yml", "audioanalytics.yml", "default.yml", "ferplus.yml"])
        for name in names {
            let resolved = try PipelineLibrary.load(String(name.dropLast(4)))
            XCTAssertEqual(resolved.definition.name + ".yml", name)
        }
    }

    func testDefaultPipelineIsFoundByName() throws {
        XCTAssertEqual(
            URL(fileURLWithPath: try PipelineLibrary.path(for: "default")).standardizedFileURL.path,
            DefaultPipeline.path)
        XCTAssertEqual(try PipelineLibrary.load("default").hash, try DefaultPipeline.resolved().hash)
    }

    func testHashIsHexStableAndFollowsTheSettings() throws {
        let hash = try DefaultPipeline.resolved().hash
        XCTAssertEqual(hash.count, 64)
        XCTAssertTrue(hash.allSatisfy { "0123456789abcdef".contains($0) }, hash)
        XCTAssertEqual(try DefaultPipeline.resolved().hash, hash, "two loads of the same file")

        let maxFrames = try DefaultPipeline.resolved().definition.sampling.maxFrames
        let more = try DefaultPipeline.resolved { $0.sampling.maxFrames = maxFrames + 1 }
        XCTAssertEqual(more.definition.sampling.maxFrames, maxFrames + 1, "overrides apply")
        XCTAssertNotEqual(more.hash, hash)
        XCTAssertEqual(
            try DefaultPipeline.resolved { $0.sampling.maxFrames = maxFrames }.hash, hash,
            "overriding a setting with its own value changes nothing")
        XCTAssertNotEqual(try DefaultPipeline.resolved { $0.filters.minSharpness += 1 }.hash, hash)
    }

    func testHashIgnoresWhereTheModelLies() throws {
        // The same model and settings from another folder, by an absolute path: the same results.
        let folder = try temporaryFolder()
        let copy = try write(try portableText(), to: "copy.yml", in: folder)
        let resolved = try PipelineLibrary.load(copy)
        XCTAssertEqual(resolved.faceModelSpec.path, RepoPaths.faceModel)
        XCTAssertEqual(resolved.hash, try DefaultPipeline.resolved().hash)
    }

    /// A model learns from segments cut one way: the default pipeline must cut them the same way.
    func testTheDefaultVoiceModelLearntFromSegmentsCutAsTheDefaultPipelineCutsThem() throws {
        let resolved = try DefaultPipeline.resolved()
        let model = try TrainedVoiceModel.load(path: resolved.voiceModelSpec.path)
        XCTAssertEqual(model.training.segmentation, resolved.definition.voice)
        XCTAssertEqual(model.labels, resolved.definition.voiceModel.labels)
        XCTAssertEqual(model.sampleRate, resolved.definition.voiceModel.sampleRate)
    }

    func testRelativeModelPathResolvesAgainstThePipelineFile() throws {
        // <tmp>/Pipelines/p.yml names ../Models/<model>, which is <tmp>/Models/<model> (a copy of the real one:
        // not a link, which the resolved path would follow back to the repository).
        let folder = try temporaryFolder()
        let models = folder.appendingPathComponent("Models")
        try FileManager.default.createDirectory(at: models, withIntermediateDirectories: true)
        for model in [RepoPaths.faceModel, RepoPaths.voiceModel] {
            try FileManager.default.copyItem(
                atPath: model,
                toPath: models.appendingPathComponent(
                    URL(fileURLWithPath: model).lastPathComponent
                ).path)
        }
        // Whisper's 133 MB stay where they are, named by an absolute path, which is kept as it is.
        let path = try write(
            try YAMLEdit.setting("whisper.path", to: RepoPaths.whisperModel, in: try DefaultPipeline.text()),
            to: "Pipelines/p.yml", in: folder)
        let resolved = try PipelineLibrary.load(path)
        XCTAssertEqual(resolved.faceModelSpec.path, models.appendingPathComponent("fer_mini_xception.onnx").path)
        XCTAssertEqual(
            resolved.voiceModelSpec.path, models.appendingPathComponent("emoscan_voice8_whisper.json").path)
        XCTAssertEqual(resolved.whisperSpec?.path, RepoPaths.whisperModel)
        XCTAssertEqual(resolved.hash, try DefaultPipeline.resolved().hash, "the same model elsewhere")
    }

    // MARK: Keys

    func testUnknownTopLevelKeyIsNamed() throws {
        let text = try DefaultPipeline.text() + "\ncolour: blue\n"
        XCTAssertEqual(parseError(text), .unknownKey(path: "test.yml", key: "colour"))
    }

    func testUnknownNestedKeyIsNamedWithItsSection() throws {
        let text = try YAMLEdit.renaming("min_brightness", to: "min_brigthness", in: try DefaultPipeline.text())
        let error = parseError(text)
        XCTAssertEqual(error, .unknownKey(path: "test.yml", key: "filters.min_brigthness"))
        XCTAssertTrue("\(error.map { "\($0)" } ?? "")".contains("filters.min_brigthness"))
    }

    func testUnknownKeyInAFileNamesTheFile() throws {
        let folder = try temporaryFolder()
        let path = try write(
            try YAMLEdit.renaming("max_width", to: "maxWidth", in: try DefaultPipeline.text()),
            to: "typo.yml", in: folder)
        XCTAssertEqual(
            pipelineError { _ = try PipelineLibrary.load(path) }, .unknownKey(path: path, key: "sampling.maxWidth"))
    }

    func testMissingKeyIsNamed() throws {
        let text = try YAMLEdit.removing("min_face_size", in: try DefaultPipeline.text())
        guard case .invalidValue(_, let key, let reason) = parseError(text) else { return XCTFail("not invalidValue") }
        XCTAssertEqual(key, "filters.min_face_size")
        XCTAssertTrue(reason.contains("missing"), reason)

        let noDescription = try YAMLEdit.removing("description", in: try DefaultPipeline.text())
        guard case .invalidValue(_, let topKey, _) = parseError(noDescription) else {
            return XCTFail("not invalidValue")
        }
        XCTAssertEqual(topKey, "description")
    }

    func testAVoiceModelOnWhisperFeaturesNeedsTheWhisperSection() throws {
        let text = try YAMLEdit.setting("features", to: "whisper", in: try acousticText())
        guard case .invalidValue(_, let key, let reason) = parseError(text) else { return XCTFail("not invalidValue") }
        XCTAssertEqual(key, "whisper")
        XCTAssertTrue(reason.contains("needs the Whisper model"), reason)

        let section = """

            whisper:
              name: whisper-base
              source: test
              path: ../Models/whisper_base.safetensors
              sha256: \(String(repeating: "ab", count: 32))
              identify_language: false
              no_speech_above: 0.5
            """
        let definition = try PipelineDefinition.parse(text + section, path: "test.yml")
        XCTAssertEqual(definition.whisper?.name, "whisper-base")
        guard
            case .invalidValue(_, let shaKey, _) = parseError(
                text + section.replacingOccurrences(of: "abab", with: "zz"))
        else { return XCTFail("not invalidValue") }
        XCTAssertEqual(shaKey, "whisper.sha256")
        XCTAssertNil(try PipelineDefinition.parse(try acousticText(), path: "test.yml").whisper, "optional")
    }

    // MARK: Values

    func testWrongTypeIsNamed() throws {
        let text = try YAMLEdit.setting("max_frames", to: "many", in: try DefaultPipeline.text())
        let error = parseError(text)
        guard case .invalidValue(let path, let key, let reason) = error else {
            return XCTFail("not invalidValue: \(String(describing: error))")
        }
        XCTAssertEqual(path, "test.yml")
        XCTAssertEqual(key, "sampling.max_frames")
        XCTAssertTrue(reason.contains("whole number"), reason)
    }

    func testSectionThatIsNotAMappingIsNamed() throws {
        let text = try DefaultPipeline.text().replacingOccurrences(
            of: "\nsampling:\n", with: "\nsampling: 21\nunused:\n")
        guard case .invalidValue(_, let key, _) = parseError(text) else { return XCTFail("not invalidValue") }
        XCTAssertEqual(key, "sampling")
    }

    func testOutOfRangeValuesAreNamed() throws {
        let text = try DefaultPipeline.text()
        guard case .invalidValue(_, let key, _) = parseError(try YAMLEdit.setting("max_frames", to: "0", in: text))
        else {
            return XCTFail("max_frames 0 should be invalid")
        }
        XCTAssertEqual(key, "sampling.max_frames")

        let minBrightness = try PipelineDefinition.load(path: DefaultPipeline.path).filters.minBrightness
        let darkerMax = try YAMLEdit.setting("max_brightness", to: "\(minBrightness - 1)", in: text)
        guard case .invalidValue(_, let brightnessKey, _) = parseError(darkerMax) else {
            return XCTFail("max_brightness below min_brightness should be invalid")
        }
        XCTAssertEqual(brightnessKey, "filters.max_brightness")

        guard
            case .invalidValue(_, let shaKey, _) = parseError(
                try YAMLEdit.setting("face_model.sha256", to: "abc", in: text))
        else {
            return XCTFail("a short sha256 should be invalid")
        }
        XCTAssertEqual(shaKey, "face_model.sha256")

        guard
            case .invalidValue(_, let searchKey, _) = parseError(
                try YAMLEdit.setting("full_search_every", to: "0", in: text))
        else {
            return XCTFail("full_search_every 0 should be invalid")
        }
        XCTAssertEqual(searchKey, "detector.full_search_every")

        guard
            case .invalidValue(_, let noSpeechKey, _) = parseError(
                try YAMLEdit.setting("no_speech_above", to: "1.5", in: text))
        else {
            return XCTFail("a no-speech probability above 1 should be invalid")
        }
        XCTAssertEqual(noSpeechKey, "whisper.no_speech_above")

        guard
            case .invalidValue(_, let speechKey, _) = parseError(
                try YAMLEdit.setting("max_speech_seconds", to: "0", in: text))
        else {
            return XCTFail("max_speech_seconds 0 should be invalid")
        }
        XCTAssertEqual(speechKey, "sampling.max_speech_seconds")
    }

    func testOverridesAreValidatedToo() throws {
        guard
            case .invalidValue(_, let key, _) = pipelineError({
                _ = try DefaultPipeline.resolved { $0.sampling.maxFrames = 0 }
            })
        else {
            return XCTFail("max_frames 0 via an override should be invalid")
        }
        XCTAssertEqual(key, "sampling.max_frames")
    }

    // MARK: Files

    func testWrongModelChecksumIsReported() throws {
        let folder = try temporaryFolder()
        let wrong = String(repeating: "0", count: 64)
        let path = try write(
            try YAMLEdit.setting("face_model.sha256", to: wrong, in: try portableText()), to: "wrong-sha.yml",
            in: folder)
        XCTAssertEqual(
            pipelineError { _ = try PipelineLibrary.load(path) },
            .modelChecksum(
                path: RepoPaths.faceModel, expected: wrong, actual: try Tools.sha256(ofFile: RepoPaths.faceModel)))
    }

    /// A model's digest is remembered while the file is unchanged; one changed since is read again.
    func testAModelChangedAfterItWasCheckedIsCheckedAgain() throws {
        let folder = try temporaryFolder()
        let model = folder.appendingPathComponent("face.onnx").path
        try FileManager.default.copyItem(atPath: RepoPaths.faceModel, toPath: model)
        let path = try write(
            try YAMLEdit.setting("face_model.path", to: model, in: try portableText()), to: "copy.yml", in: folder)
        XCTAssertNoThrow(try PipelineLibrary.load(path))
        try Data("not the model".utf8).write(to: URL(fileURLWithPath: model))
        XCTAssertEqual(
            pipelineError { _ = try PipelineLibrary.load(path) },
            .modelChecksum(
                path: model, expected: try Tools.sha256(ofFile: RepoPaths.faceModel),
                actual: try Tools.sha256(ofFile: model)))
    }

    func testMissingModelIsReportedWithItsAbsolutePath() throws {
        let folder = try temporaryFolder()
        let path = try write(
            try YAMLEdit.setting("face_model.path", to: "models/absent.onnx", in: try DefaultPipeline.text()),
            to: "missing-model.yml", in: folder)
        XCTAssertEqual(
            pipelineError { _ = try PipelineLibrary.load(path) },
            .modelMissing(path: folder.appendingPathComponent("models/absent.onnx").path))
    }

    func testMissingDetectorIsNamed() throws {
        let folder = try temporaryFolder()
        let path = try write(
            try YAMLEdit.setting("detector.path", to: "/nonexistent/cascade.xml", in: try portableText()),
            to: "missing-cascade.yml", in: folder)
        XCTAssertEqual(
            pipelineError { _ = try PipelineLibrary.load(path) }, .modelMissing(path: "/nonexistent/cascade.xml"))
    }

    func testUnknownPipelineNameListsTheAvailableOnes() {
        guard case .notFound(let name, let available) = pipelineError({ _ = try PipelineLibrary.path(for: "nope") })
        else {
            return XCTFail("'nope' should not be found")
        }
        XCTAssertEqual(name, "nope")
        XCTAssertTrue(available.contains("default"), "\(available)")
        XCTAssertTrue("\(PipelineError.notFound(name, available: available))".contains("default"))
    }

    func testMissingOrEmptyFileIsUnreadable() throws {
        guard case .unreadable = pipelineError({ _ = try PipelineLibrary.path(for: "/nonexistent/p.yml") }) else {
            return XCTFail("a missing file should be unreadable")
        }
        let folder = try temporaryFolder()
        let empty = try write("", to: "empty.yml", in: folder)
        guard case .unreadable(let path, _) = pipelineError({ _ = try PipelineDefinition.load(path: empty) }) else {
            return XCTFail("an empty file should be unreadable")
        }
        XCTAssertEqual(path, empty)
        guard case .unreadable = parseError("sampling: [1, 2\n") else {
            return XCTFail("broken YAML should be unreadable")
        }
    }
}
