import Foundation
import Media

/// A labelled emotion corpus emoscan knows how to read: where each file's acted label and
/// speaker are written (its naming scheme), and what kind of media it holds.
///
/// Labels are kept in the corpus's own words (`fearful`, `happiness`, `pleasant_surprise`);
/// `LabelMap` turns them into a model's labels, so the parsing here serves evaluation and
/// training alike.
public enum Corpus: String, CaseIterable, Sendable {
    /// RAVDESS: `MM-VC-EE-II-SS-RR-AA.ext`, emotion in field 3, actor in field 7.
    case ravdess
    /// TESS: `<speaker>_<word>_<emotion>.wav` (OAF, YAF), `ps` for pleasant surprise.
    case tess
    /// EmoDB: `SSTTTEV.wav`, speaker in characters 1-2, emotion's German initial in character 6.
    case emodb
    /// CK+ (CK+48): face crops in one folder per label, `S<subject>_<sequence>_<frame>.png`.
    case ckplus
    /// FER2013: face crops in one folder per label.
    case fer2013
    /// FER+: FER2013's crops as `ferNNNNNNN.png`, with a `label.csv` beside them holding ten
    /// annotators' votes each; an image's label is the majority vote (`FERPlusVotes`).
    case ferplus

    /// What a corpus file holds, which decides how a model can be run on it.
    public enum MediaKind: Sendable {
        /// A ready-made face crop: classified as it is, without detection.
        case faceCrop
        /// A recording with audio only.
        case audio
        /// A recording with video (and, in RAVDESS's full audio-video clips, audio).
        case video
    }

    /// The corpus's labels in its own words, in its own order (RAVDESS's codes, EmoDB's letters, ...).
    public var labels: [String] {
        switch self {
        case .ravdess: return Self.ravdessEmotions
        case .tess: return ["angry", "disgust", "fear", "happy", "neutral", "pleasant_surprise", "sad"]
        case .emodb: return Self.emodbEmotions.map(\.label)
        case .ckplus: return ["anger", "contempt", "disgust", "fear", "happy", "sadness", "surprise"]
        case .fer2013: return ["angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"]
        case .ferplus: return FERPlusVotes.emotions
        }
    }

    // MARK: Parsing one file

    /// The label and speaker of the file at `path`, from its name (and, for face crops, its
    /// folder's, or for FER+ the votes in the folder's `label.csv`); nil when the name does not
    /// follow the corpus's scheme, or FER+ leaves the image out.
    ///
    /// - Parameter path: the file's path; only the names in it are read, never the file.
    /// - Returns: the file with its label, speaker (nil when the scheme names none) and media kind; nil when its name
    ///   does not follow the scheme, or, for a face-crop corpus, it is not an image.
    public func labelledFile(path: String) -> LabelledFile? {
        if case .labelled(let file) = reading(path: path) { return file }
        return nil
    }

    /// What the corpus makes of one path.
    enum Reading {
        case labelled(LabelledFile)
        /// Named in the scheme, but the corpus itself leaves it out of scoring (FER+'s ties).
        case leftOut(reason: String)
        case unlabelled
    }

    func reading(path: String) -> Reading {
        let url = URL(fileURLWithPath: path)
        let name = url.deletingPathExtension().lastPathComponent
        let folder = url.deletingLastPathComponent().lastPathComponent.lowercased()
        switch self {
        case .ravdess:
            // Seven two-digit fields; field 1 is the modality (01 audio-video, 02 video-only, 03 audio-only).
            let fields = name.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 7, fields.allSatisfy({ $0.count == 2 && $0.allSatisfy(\.isASCIIDigit) }),
                let code = Int(fields[2]), (1...Self.ravdessEmotions.count).contains(code)
            else { return .unlabelled }
            let media: MediaKind = fields[0] == "03" ? .audio : .video
            return .labelled(
                LabelledFile(path: path, label: Self.ravdessEmotions[code - 1], speaker: fields[6], media: media))
        case .tess:
            let parts = name.split(separator: "_").map { $0.lowercased() }
            guard parts.count >= 3, ["oaf", "yaf"].contains(parts[0]) else { return .unlabelled }
            let emotion = parts.last == "ps" ? "pleasant_surprise" : parts.last!
            guard labels.contains(emotion) else { return .unlabelled }
            return .labelled(LabelledFile(path: path, label: emotion, speaker: parts[0].uppercased(), media: .audio))
        case .emodb:
            let characters = Array(name)
            guard characters.count == 7,
                characters[0].isASCIIDigit, characters[1].isASCIIDigit, characters[2].isLetter,
                characters[3].isASCIIDigit, characters[4].isASCIIDigit, characters[6].isLetter,
                let emotion = Self.emodbEmotions.first(where: { $0.letter == characters[5] })
            else { return .unlabelled }
            return .labelled(
                LabelledFile(path: path, label: emotion.label, speaker: String(characters[0...1]), media: .audio))
        case .ckplus, .fer2013:
            guard labels.contains(folder), Self.imageExtensions.contains(url.pathExtension.lowercased()) else {
                return .unlabelled
            }
            return .labelled(
                LabelledFile(
                    path: path, label: folder, speaker: self == .ckplus ? Self.ckSubject(name) : nil,
                    media: .faceCrop))
        case .ferplus:
            guard Self.isFERPlusName(name), url.pathExtension.lowercased() == "png",
                let votes = FERPlusLabelFiles.shared.votes(inFolder: url.deletingLastPathComponent().path)[
                    url.lastPathComponent]
            else { return .unlabelled }
            switch votes.majority {
            case .emotion(let label):
                return .labelled(LabelledFile(path: path, label: label, speaker: nil, media: .faceCrop))
            case .leftOut(let reason): return .leftOut(reason: reason)
            }
        }
    }

    /// The acted label of the file at `path`, in the corpus's words.
    ///
    /// - Parameter path: the file's path; only the names in it are read.
    /// - Returns: the label; nil when the name does not follow the corpus's scheme.
    public func label(for path: String) -> String? {
        labelledFile(path: path)?.label
    }

    /// The speaker, actor or subject of the file at `path`, for grouping folds by person; nil
    /// when the corpus does not name one (FER2013) or the name does not parse.
    ///
    /// - Parameter path: the file's path; only the names in it are read.
    /// - Returns: the speaker as the corpus writes it (`05`, `OAF`, `S010`); nil as above.
    public func speaker(for path: String) -> String? {
        labelledFile(path: path)?.speaker
    }

    // MARK: Finding files

    /// The corpus's labelled files among `paths` (files, or folders walked recursively), sorted
    /// by path, and the media files there whose names carry no label of this corpus.
    ///
    /// - Parameter paths: files, or folders walked recursively with hidden entries skipped (see `MediaDiscovery`).
    /// - Returns: the labelled files sorted by path, and the unlabelled media files' paths sorted.
    public func files(in paths: [String]) -> CorpusListing {
        var labelled: [String: LabelledFile] = [:]
        var unlabelled = Set<String>()
        var leftOut: [String: Int] = [:]
        MediaDiscovery(recursive: true).find(paths) { found in
            guard case .media(let path) = found else { return }
            switch reading(path: path) {
            case .labelled(let file): labelled[path] = file
            case .leftOut(let reason): leftOut[reason, default: 0] += 1
            case .unlabelled: unlabelled.insert(path)
            }
        }
        return CorpusListing(
            corpus: self, files: labelled.keys.sorted().map { labelled[$0]! },
            unlabelled: unlabelled.sorted(), leftOut: leftOut)
    }

    /// The corpus whose naming scheme labels the most media files under `path` (`--dataset auto`);
    /// nil when none labels any, or two label equally many and their file names do not decide.
    ///
    /// CK+ and FER2013 share four folder names (disgust, fear, happy, surprise); their own
    /// folders (anger, sadness, contempt against angry, sad, neutral) or, failing those, their
    /// file names (`S010_004_00000017`, `PrivateTest_123`) tell them apart.
    ///
    /// - Parameter path: a folder, walked recursively, or a file.
    /// - Returns: the corpus whose scheme labels the most files there; nil as above.
    public static func detect(path: String) -> Corpus? {
        var media: [String] = []
        MediaDiscovery(recursive: true).find([path]) { found in
            if case .media(let file) = found { media.append(file) }
        }
        let scores = allCases.map { corpus -> (corpus: Corpus, labelled: Int, typical: Int) in
            let labelled = media.filter { corpus.labelledFile(path: $0) != nil }
            return (corpus, labelled.count, labelled.filter(corpus.hasTypicalName).count)
        }
        .filter { $0.labelled > 0 }
        .sorted { ($0.labelled, $0.typical) > ($1.labelled, $1.typical) }
        guard let best = scores.first else { return nil }
        if scores.count > 1, scores[1].labelled == best.labelled, scores[1].typical == best.typical { return nil }
        return best.corpus
    }

    // MARK: Naming schemes

    private static let ravdessEmotions = [
        "neutral", "calm", "happy", "sad", "angry", "fearful", "disgust", "surprised",
    ]

    /// EmoDB's emotion letters (German initials: Wut, Langeweile, Ekel, Angst, Freude, Trauer, Neutral).
    private static let emodbEmotions: [(letter: Character, label: String)] = [
        ("W", "anger"), ("L", "boredom"), ("E", "disgust"), ("A", "fear"), ("F", "happiness"), ("T", "sadness"),
        ("N", "neutral"),
    ]

    private static let imageExtensions: Set<String> = ["jpg", "jpeg", "png", "bmp", "tif", "tiff", "webp"]

    /// FER+'s `fer0028638`: its row in `fer2013.csv`.
    private static func isFERPlusName(_ name: String) -> Bool {
        name.count > 3 && name.hasPrefix("fer") && name.dropFirst(3).allSatisfy(\.isASCIIDigit)
    }

    /// `S010` from CK+'s `S010_004_00000017`.
    private static func ckSubject(_ name: String) -> String? {
        guard let first = name.split(separator: "_").first, first.count > 1, first.first == "S",
            first.dropFirst().allSatisfy(\.isASCIIDigit)
        else { return nil }
        return String(first)
    }

    /// Whether the file is named the way the corpus names its own, beyond carrying a label it
    /// knows: what separates CK+ from FER2013 crops in a folder both could label.
    private func hasTypicalName(_ path: String) -> Bool {
        let name = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        switch self {
        case .ravdess, .tess, .emodb, .ferplus: return true
        case .ckplus: return Self.ckSubject(name) != nil
        case .fer2013:
            guard let underscore = name.lastIndex(of: "_") else { return false }
            return ["Training", "PublicTest", "PrivateTest"].contains(String(name[..<underscore]))
                && name[name.index(after: underscore)...].allSatisfy(\.isASCIIDigit)
        }
    }
}

/// One corpus file with what its name says.
public struct LabelledFile: Sendable, Equatable {
    public var path: String
    /// The acted or posed emotion, in the corpus's own words.
    public var label: String
    /// The speaker, actor or subject (nil when the corpus does not say).
    public var speaker: String?
    public var media: Corpus.MediaKind

    public init(path: String, label: String, speaker: String?, media: Corpus.MediaKind) {
        self.path = path
        self.label = label
        self.speaker = speaker
        self.media = media
    }
}

/// A corpus's files under some paths: the labelled ones and the media files without a label,
/// counted rather than silently left out.
public struct CorpusListing: Sendable {
    public var corpus: Corpus
    /// Sorted by path.
    public var files: [LabelledFile]
    /// Media files whose names do not follow the corpus's scheme, sorted.
    public var unlabelled: [String]
    /// Files in the scheme that the corpus itself leaves out of scoring, by reason: FER+'s ties
    /// and its majorities for unknown or not a face.
    public var leftOut: [String: Int] = [:]
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
