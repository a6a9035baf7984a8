import Evaluation
import Foundation
import TestSupport
import XCTest

/// Each corpus's naming scheme on real file names (as strings: no data needed), `--dataset auto`
/// on folders of empty files named like each corpus, and listing.
final class CorpusTests: XCTestCase {
    // MARK: Labels and speakers

    func testRAVDESSEmotionIsTheThirdFieldAndActorTheSeventh() {
        let expected = ["neutral", "calm", "happy", "sad", "angry", "fearful", "disgust", "surprised"]
        for (code, emotion) in expected.enumerated() {
            let name = String(format: "/data/ravdess_speech/03-01-%02d-01-01-01-12.flac", code + 1)
            XCTAssertEqual(
                Corpus.ravdess.labelledFile(path: name),
                LabelledFile(path: name, label: emotion, speaker: "12", media: .audio), name)
        }
        XCTAssertEqual(
            Corpus.ravdess.labelledFile(path: "ravdess_av/01-01-06-02-02-01-05.mp4"),
            LabelledFile(
                path: "ravdess_av/01-01-06-02-02-01-05.mp4", label: "fearful", speaker: "05",
                media: .video))
        XCTAssertEqual(Corpus.ravdess.labelledFile(path: "02-01-03-01-01-02-05.mp4")?.media, .video, "video-only clip")
        XCTAssertEqual(Corpus.ravdess.label(for: "03-01-05-02-01-01-09.flac"), "angry")
        XCTAssertEqual(Corpus.ravdess.speaker(for: "03-01-08-01-02-02-01.flac"), "01")
        for bad in [
            "03-01-09-01-01-01-01.wav", "03-01-00-01-01-01-01.wav", "03-01-06-01-02-01.wav",
            "03-01-06-01-02-01-1.wav", "03-01-06-01-02-01-05-01.wav", "OAF_bar_fear.wav",
        ] {
            XCTAssertNil(Corpus.ravdess.labelledFile(path: bad), bad)
        }
    }

    func testTESSEmotionAndSpeakerComeFromTheFileName() {
        let cases: [(String, String, String)] = [
            ("tess/OAF_angry/OAF_bar_angry.wav", "angry", "OAF"),
            ("tess/OAF_fear/OAF_goal_fear.wav", "fear", "OAF"),
            ("tess/YAF_pleasant_surprise/YAF_shall_ps.wav", "pleasant_surprise", "YAF"),
            ("tess/YAF_disgust/YAF_met_disgust.wav", "disgust", "YAF"),
            ("tess/YAF_neutral/YAF_bar_neutral.wav", "neutral", "YAF"),
            ("tess/OAF_sad/OAF_shall_sad.wav", "sad", "OAF"),
            ("tess/YAF_happy/YAF_goal_happy.wav", "happy", "YAF"),
        ]
        for (path, emotion, speaker) in cases {
            XCTAssertEqual(
                Corpus.tess.labelledFile(path: path),
                LabelledFile(path: path, label: emotion, speaker: speaker, media: .audio), path)
        }
        for bad in ["XAF_bar_fear.wav", "OAF_bar_bored.wav", "OAF_fear.wav", "03a01Fa.wav"] {
            XCTAssertNil(Corpus.tess.labelledFile(path: bad), bad)
        }
    }

    func testEmoDBEmotionIsTheSixthCharacterAndSpeakerTheFirstTwo() {
        let cases: [(String, String, String)] = [
            ("16a01Wb.wav", "anger", "16"), ("12a05Lb.wav", "boredom", "12"), ("09a01Ea.wav", "disgust", "09"),
            ("11a05Ad.wav", "fear", "11"), ("10b10Fc.wav", "happiness", "10"), ("03b03Tc.wav", "sadness", "03"),
            ("08a02Na.wav", "neutral", "08"),
        ]
        for (name, emotion, speaker) in cases {
            XCTAssertEqual(
                Corpus.emodb.labelledFile(path: "/data/emodb/" + name),
                LabelledFile(path: "/data/emodb/" + name, label: emotion, speaker: speaker, media: .audio), name)
        }
        for bad in ["03a01Xa.wav", "3a01Fa.wav", "03a01Fab.wav", "03a01fa.wav", "OAF_bar_fear.wav"] {
            XCTAssertNil(Corpus.emodb.labelledFile(path: bad), bad)
        }
    }

    func testFaceCropLabelsAreFolderNames() {
        XCTAssertEqual(
            Corpus.ckplus.labelledFile(path: "ck_plus_48/contempt/S138_008_00000009.png"),
            LabelledFile(
                path: "ck_plus_48/contempt/S138_008_00000009.png", label: "contempt", speaker: "S138",
                media: .faceCrop))
        XCTAssertEqual(Corpus.ckplus.label(for: "ck_plus_48/sadness/S011_002_00000022.png"), "sadness")
        XCTAssertEqual(Corpus.ckplus.label(for: "ck_plus_48/anger/S999_001_00000018.png"), "anger")
        XCTAssertEqual(
            Corpus.fer2013.labelledFile(path: "fer2013/angry/PrivateTest_10131363.jpg"),
            LabelledFile(
                path: "fer2013/angry/PrivateTest_10131363.jpg", label: "angry", speaker: nil,
                media: .faceCrop))
        XCTAssertEqual(Corpus.fer2013.label(for: "fer2013/neutral/PrivateTest_1.jpg"), "neutral")
        // Each corpus's own words only, and only images.
        XCTAssertNil(Corpus.fer2013.labelledFile(path: "ck_plus_48/anger/S010_004_00000019.png"))
        XCTAssertNil(Corpus.ckplus.labelledFile(path: "fer2013/angry/PrivateTest_10131363.jpg"))
        XCTAssertNil(Corpus.fer2013.labelledFile(path: "fer2013/happy/clip.mp4"))
        XCTAssertNil(Corpus.fer2013.labelledFile(path: "fer2013/PrivateTest_1.jpg"))
    }

    func testEveryLabelACorpusListsCanBeParsed() {
        XCTAssertEqual(Corpus.ravdess.labels.count, 8)
        XCTAssertEqual(Corpus.emodb.labels, ["anger", "boredom", "disgust", "fear", "happiness", "sadness", "neutral"])
        for label in Corpus.ckplus.labels {
            XCTAssertEqual(Corpus.ckplus.label(for: "\(label)/S010_001_00000001.png"), label)
        }
        for label in Corpus.tess.labels {
            let suffix = label == "pleasant_surprise" ? "ps" : label
            XCTAssertEqual(Corpus.tess.label(for: "OAF_bar_\(suffix).wav"), label)
        }
    }

    // MARK: Detection and listing

    func testAutoDetectionByNames() throws {
        let cases: [([String], Corpus?)] = [
            (["03-01-01-01-01-01-01.wav", "03-01-05-02-01-01-09.wav", "SOURCE.md"], .ravdess),
            (["OAF_fear/OAF_bar_fear.wav", "YAF_pleasant_surprise/YAF_bar_ps.wav"], .tess),
            (["03a01Fa.wav", "16a01Wb.wav"], .emodb),
            (["angry/PrivateTest_1.jpg", "happy/PrivateTest_2.jpg"], .fer2013),
            (["anger/S010_004_00000019.png", "happy/S010_006_00000015.png"], .ckplus),
            // Folders both could label: the file names decide.
            (["happy/S010_006_00000015.png"], .ckplus),
            (["happy/PrivateTest_2.jpg"], .fer2013),
            (["happy/face.jpg"], nil),
            (["clips/interview.mp4", "notes.txt"], nil),
        ]
        for (names, expected) in cases {
            let folder = try folder(with: names)
            XCTAssertEqual(Corpus.detect(path: folder), expected, "\(names)")
        }
    }

    func testListingIsRecursiveSortedAndCountsUnlabelledMedia() throws {
        let folder = try folder(with: [
            "b/03-01-03-01-01-01-02.wav", "a/03-01-04-01-01-01-01.wav", "03-01-02-01-01-01-03.wav",
            "take-2.wav", "SOURCE.md", ".hidden/03-01-01-01-01-01-01.wav",
        ])
        let listing = Corpus.ravdess.files(in: [folder])
        XCTAssertEqual(
            listing.files.map(\.path),
            [
                folder + "/03-01-02-01-01-01-03.wav", folder + "/a/03-01-04-01-01-01-01.wav",
                folder + "/b/03-01-03-01-01-01-02.wav",
            ])
        XCTAssertEqual(listing.files.map(\.label), ["calm", "sad", "happy"])
        XCTAssertEqual(listing.unlabelled, [folder + "/take-2.wav"], "media without a label is counted, not dropped")
        XCTAssertEqual(Corpus.tess.files(in: [folder]).files, [])
    }

    func testFERPlusImagesAreLabelledByTheirFoldersVotesAndTiesAreCounted() throws {
        let folder = try folder(with: [
            "valid/fer0000001.png", "valid/fer0000002.png", "valid/fer0000003.png",
            "valid/fer0000004.png", "valid/face.png",
        ])
        try """
        fer0000001.png,"(0, 0, 48, 48)",0,8,0,0,0,0,0,2,0,0
        fer0000002.png,"(0, 0, 48, 48)",4,0,0,0,0,0,0,4,2,0
        fer0000003.png,"(0, 0, 48, 48)",0,0,0,0,0,0,0,0,1,9
        """.write(toFile: folder + "/valid/label.csv", atomically: true, encoding: .utf8)

        XCTAssertEqual(Corpus.detect(path: folder), .ferplus)
        let listing = Corpus.ferplus.files(in: [folder])
        XCTAssertEqual(
            listing.files,
            [LabelledFile(path: folder + "/valid/fer0000001.png", label: "happiness", speaker: nil, media: .faceCrop)])
        XCTAssertEqual(listing.leftOut, ["tie": 1, "not a face": 1], "left out, and counted by reason")
        XCTAssertEqual(
            listing.unlabelled, [folder + "/valid/face.png", folder + "/valid/fer0000004.png"],
            "an image with no row, or not named as FER+ names them, has no label")
    }

    func testRealFoldersAreDetectedAndFullyLabelled() throws {
        guard RepoPaths.sharedData("fer2013") != nil else {
            throw XCTSkip("../shared/data is absent: no \(RepoPaths.sharedData.path) on this machine")
        }
        let expected: [(String, Corpus, Int)] = [
            ("fer2013", .fer2013, 175), ("ck_plus_48", .ckplus, 138), ("tess", .tess, 56), ("emodb", .emodb, 42),
            ("ravdess_speech", .ravdess, 1200), ("ravdess_av", .ravdess, 14), ("ravdess_video_only", .ravdess, 2),
        ]
        for (name, corpus, count) in expected {
            guard let folder = RepoPaths.sharedData(name)?.path else { return XCTFail("\(name) is missing") }
            XCTAssertEqual(Corpus.detect(path: folder), corpus, name)
            let listing = corpus.files(in: [folder])
            XCTAssertEqual(listing.files.count, count, name)
            XCTAssertEqual(listing.unlabelled, [], name)
        }
        XCTAssertEqual(
            Set(Corpus.ravdess.files(in: [RepoPaths.sharedData("ravdess_speech")!.path]).files.compactMap(\.speaker))
                .count, 20)
        XCTAssertNil(Corpus.detect(path: RepoPaths.sharedData("grid_av_samples")?.path ?? "/nonexistent"))

        // FER+'s validation split: 3,518 rows, of which 158 ties and 23 + 1 unknown and not-a-face majorities.
        guard let ferplus = RepoPaths.sharedData("ferplus/valid")?.path else { return XCTFail("ferplus is missing") }
        XCTAssertEqual(Corpus.detect(path: ferplus), .ferplus)
        let listing = Corpus.ferplus.files(in: [ferplus])
        XCTAssertEqual(listing.files.count, 3336)
        XCTAssertEqual(listing.leftOut, ["tie": 158, "unknown": 23, "not a face": 1])
        XCTAssertEqual(listing.unlabelled, [])
    }

    // MARK: Helpers

    /// A fresh folder holding empty files at the relative `paths`: names are all detection reads.
    private func folder(with paths: [String]) throws -> String {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("emoscan-corpus-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: root) }
        for path in paths {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            XCTAssertTrue(FileManager.default.createFile(atPath: url.path, contents: Data()))
        }
        return root.standardizedFileURL.path
    }
}
