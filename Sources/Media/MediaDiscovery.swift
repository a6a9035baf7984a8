import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Finds the media files among the paths an operator names (`emoscan queue add PATH...`).
///
/// - A path that is a file is taken as given, hidden or not; a path that is a directory is
///   listed: its direct files only, or its whole tree when `recursive`. Each path is made
///   absolute and standardized (`.` and `..` removed, symlinks kept as named); an empty path is
///   `.missing`, not the current directory, so an unset shell variable enqueues nothing.
/// - While walking a directory, entries whose name starts with `.` are skipped, and so is
///   everything below a hidden folder (`.git`, `.cache`, `.DS_Store`).
/// - Symlinks: a path named by the operator is followed, whatever it points at (like `find -H`).
///   While walking, a symlink to a file is followed but a symlink to a directory is never
///   descended into, so a link back up the tree cannot loop and a tree is never walked twice.
/// - Only regular files are considered: opening a FIFO or a device to probe it could block.
/// - A file is media when its extension (any case) is a known media one, and is not when it is
///   a known non-media one; either way it is not opened, so a broken `.mp4` is enqueued and its
///   analysis says what is wrong with it. A file with any other extension, or none, is probed
///   with FFmpeg and counts as media only if it has an audio or a video stream.
/// - Globs (`include`, `exclude`) are shell patterns matched with fnmatch(3), case-sensitive as
///   in the shell, and apply to files only (directories are always walked). A pattern without
///   `/` matches the file's name; a pattern with `/` matches its path below the directory named
///   on the command line (`sub/a.mp4`, no leading `./`), and `*` also matches `/` there, so
///   `raw/*` covers the whole `raw` tree. A file named directly has its name as that path.
///   A file must match some `include` (when there are any) and no `exclude`.
///
/// Results are handed to a callback as they are found rather than collected: a directory of
/// 100k recordings would otherwise be held twice, once in the report and once in the queue the
/// caller writes. The walk keeps only one sorted listing per directory level, and the returned
/// `Summary` is a handful of counters. It is synchronous, like the file-system and FFmpeg calls
/// it makes; an `AsyncStream` would add a buffer and a task for nothing. Files come in a
/// deterministic order: the paths in the order given, each directory's entries sorted by name
/// (Unicode scalar order, independent of locale) and subdirectories walked depth-first where
/// they sort. A file reached twice (named twice, or named and inside a named directory) is
/// reported twice: dropping duplicates would mean remembering every path, and the queue looks
/// paths up anyway.
public struct MediaDiscovery: Sendable {
    /// Walk subdirectories too (`--recursive`).
    public var recursive: Bool
    /// Shell globs a file must match one of; empty admits every file (`--include`).
    public var include: [String]
    /// Shell globs a file must match none of (`--exclude`).
    public var exclude: [String]
    /// A file modified less than this many seconds ago is left out as still being written (a
    /// copy or a recording in progress); the next `queue add` takes it (`--settle`).
    public var settle: TimeInterval
    /// The clock the settle time is measured on (tests pass their own).
    public var now: @Sendable () -> Date

    public init(
        recursive: Bool = false, include: [String] = [], exclude: [String] = [], settle: TimeInterval = 0,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.recursive = recursive
        self.include = include
        self.exclude = exclude
        self.settle = settle
        self.now = now
    }

    // MARK: Results

    /// Why an entry was not taken.
    public enum SkipReason: String, Sendable, CaseIterable, CustomStringConvertible {
        /// A known non-media extension, or probing found no audio or video stream.
        case notMedia
        /// Filtered out by `include` or `exclude`.
        case excluded
        /// Does not exist, or a symlink that leads nowhere.
        case missing
        /// A symlink that leads back to itself, directly or through others.
        case symlinkLoop
        /// Exists but cannot be read (a file) or listed (a directory): permissions, usually.
        case unreadable
        /// A subdirectory met while walking without `recursive`.
        case directoryNotRecursed
        /// A symlink to a directory met while walking: never descended into (see the type's doc).
        case symlinkedDirectory
        /// A name starting with `.` met while walking.
        case hidden
        /// Not a regular file: a FIFO, socket or device.
        case notRegularFile
        /// Modified within the settle time: probably still being copied or recorded.
        case settling

        /// Words for a summary line ("2 not media").
        public var description: String {
            switch self {
            case .notMedia: return "not media"
            case .excluded: return "excluded"
            case .missing: return "missing"
            case .symlinkLoop: return "symlink loop"
            case .unreadable: return "unreadable"
            case .directoryNotRecursed: return "subdirectory not recursed"
            case .symlinkedDirectory: return "symlinked directory"
            case .hidden: return "hidden"
            case .notRegularFile: return "not a regular file"
            case .settling: return "modified too recently (still being written?)"
            }
        }
    }

    /// One decision, for one absolute, standardized path.
    public enum Found: Sendable, Equatable {
        case media(path: String)
        case skipped(path: String, reason: SkipReason)
    }

    /// How many entries went which way: cheap to keep, whatever the size of the tree.
    public struct Summary: Sendable, Equatable, CustomStringConvertible {
        public private(set) var media = 0
        public private(set) var skipped: [SkipReason: Int] = [:]

        public var skippedCount: Int { skipped.values.reduce(0, +) }

        /// The skipped entries by reason, in the order `SkipReason` declares them, e.g. "2 not media, 1 hidden".
        public var skippedBreakdown: String {
            SkipReason.allCases.compactMap { reason in skipped[reason].map { "\($0) \(reason)" } }
                .joined(separator: ", ")
        }

        /// e.g. "3 media, 3 skipped: 2 not media, 1 hidden".
        public var description: String {
            "\(media) media, \(skippedCount) skipped" + (skipped.isEmpty ? "" : ": \(skippedBreakdown)")
        }

        mutating func count(_ found: Found) {
            switch found {
            case .media: media += 1
            case .skipped(_, let reason): skipped[reason, default: 0] += 1
            }
        }
    }

    // MARK: Finding

    /// Looks through `paths` in order, handing each media file and each skipped entry to `body`
    /// as it is decided, and returns the counts. An error thrown by `body` stops the search.
    ///
    /// - Parameters:
    ///   - paths: the paths the operator named, in order; each is made absolute and standardized.
    ///   - body: hears each decision as it is made: a media file, or a skipped entry and why. An error it throws is
    ///     rethrown.
    /// - Returns: how many media files were found and how many entries were skipped, by reason.
    @discardableResult
    public func find(_ paths: [String], _ body: (Found) throws -> Void) rethrows -> Summary {
        var summary = Summary()
        for path in paths {
            try visit(argument: path) { found in
                summary.count(found)
                try body(found)
            }
        }
        return summary
    }

    /// Reports one path named by the operator: followed if a symlink, walked if a directory.
    private func visit(argument: String, _ report: (Found) throws -> Void) rethrows {
        guard !argument.isEmpty else { return try report(.skipped(path: argument, reason: .missing)) }
        let path = URL(fileURLWithPath: argument).standardizedFileURL.path
        switch Self.kind(of: path, followingLinks: true) {
        case .failed(let reason): try report(.skipped(path: path, reason: reason))
        case .directory: try walk(path, relative: "", report)
        case .file(let modified):
            let name = path.split(separator: "/").last.map(String.init) ?? path
            try report(decide(file: path, name: name, relative: name, modified: modified))
        case .link, .other: try report(.skipped(path: path, reason: .notRegularFile))
        }
    }

    /// Reports the entries of `directory`, whose path below the argument directory is `relative`.
    private func walk(_ directory: String, relative: String, _ report: (Found) throws -> Void) rethrows {
        guard let names = Self.names(in: directory) else {
            return try report(.skipped(path: directory, reason: .unreadable))
        }
        for name in names.sorted() {
            let path = directory == "/" ? "/" + name : directory + "/" + name
            let below = relative.isEmpty ? name : relative + "/" + name
            if name.hasPrefix(".") {
                try report(.skipped(path: path, reason: .hidden))
                continue
            }
            var kind = Self.kind(of: path, followingLinks: false)
            if case .link = kind {
                kind = Self.kind(of: path, followingLinks: true)
                if case .directory = kind {
                    try report(.skipped(path: path, reason: .symlinkedDirectory))
                    continue
                }
            }
            switch kind {
            case .failed(let reason): try report(.skipped(path: path, reason: reason))
            case .directory:
                if recursive {
                    try walk(path, relative: below, report)
                } else {
                    try report(.skipped(path: path, reason: .directoryNotRecursed))
                }
            case .file(let modified): try report(decide(file: path, name: name, relative: below, modified: modified))
            case .link, .other: try report(.skipped(path: path, reason: .notRegularFile))
            }
        }
    }

    /// The verdict on a regular file: globs first (no I/O), then the extension, then a probe.
    private func decide(file path: String, name: String, relative: String, modified: Double) -> Found {
        guard admits(name: name, relative: relative) else { return .skipped(path: path, reason: .excluded) }
        guard FileSystemPath.withCString(path, { access($0, R_OK) }) == 0 else {
            return .skipped(path: path, reason: .unreadable)
        }
        if settle > 0, now().timeIntervalSince1970 - modified < settle {
            return .skipped(path: path, reason: .settling)
        }
        let isMedia: Bool
        switch Self.extensionKind(of: name) {
        case .media: isMedia = true
        case .notMedia: isMedia = false
        case .unsure: isMedia = Self.probeFindsRecording(path)
        }
        return isMedia ? .media(path: path) : .skipped(path: path, reason: .notMedia)
    }

    private func admits(name: String, relative: String) -> Bool {
        func matches(_ pattern: String) -> Bool {
            fnmatch(pattern, pattern.contains("/") ? relative : name, 0) == 0
        }
        return (include.isEmpty || include.contains(where: matches)) && !exclude.contains(where: matches)
    }

    // MARK: File system

    private enum Kind {
        /// A regular file, with its modification time (seconds since 1970).
        case file(modified: Double)
        case directory, link, other
        case failed(SkipReason)
    }

    /// The names in `directory`, as the kernel has them (see `FileSystemPath`); nil when it cannot be listed.
    private static func names(in directory: String) -> [String]? {
        guard let stream = FileSystemPath.withCString(directory, { opendir($0) }) else { return nil }
        defer { closedir(stream) }
        var names: [String] = []
        let nameOffset = MemoryLayout<dirent>.offset(of: \dirent.d_name)!
        while let entry = readdir(stream) {
            // Read in place: a dirent is only as long as its name (d_reclen), so copying the
            // 256-byte d_name field would read past it (AddressSanitizer found it).
            let name = FileSystemPath.string(
                fromCString: (UnsafeRawPointer(entry) + nameOffset).assumingMemoryBound(to: CChar.self))
            if name != ".", name != ".." { names.append(name) }
        }
        return names
    }

    /// What is at `path`, by stat(2) or, not following a final symlink, lstat(2).
    private static func kind(of path: String, followingLinks: Bool) -> Kind {
        var status = stat()
        let result = FileSystemPath.withCString(path) { followingLinks ? stat($0, &status) : lstat($0, &status) }
        guard result == 0 else {
            return .failed(errno == ELOOP ? .symlinkLoop : [ENOENT, ENOTDIR].contains(errno) ? .missing : .unreadable)
        }
        switch status.st_mode & S_IFMT {
        case S_IFREG: return .file(modified: Double(status.st_mtim.tv_sec) + Double(status.st_mtim.tv_nsec) * 1e-9)
        case S_IFDIR: return .directory
        case S_IFLNK: return .link
        default: return .other
        }
    }

    // MARK: Media detection

    private enum ExtensionKind { case media, notMedia, unsure }

    private static func extensionKind(of name: String) -> ExtensionKind {
        // A leading dot starts a hidden name, not an extension.
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return .unsure }
        let ext = name[name.index(after: dot)...].lowercased()
        if mediaExtensions.contains(ext) { return .media }
        if nonMediaExtensions.contains(ext) { return .notMedia }
        return .unsure
    }

    /// Containers FFmpeg reads that hold recordings: video, audio and still images.
    private static let mediaExtensions: Set<String> = [
        // video
        "mp4", "m4v", "mov", "qt", "mkv", "avi", "webm", "mpg", "mpeg", "m2v", "vob", "ts", "mts", "m2ts",
        "wmv", "asf", "flv", "f4v", "3gp", "3g2", "ogv", "mxf", "dv",
        // audio
        "wav", "flac", "mp3", "m4a", "m4b", "aac", "ogg", "oga", "opus", "wma", "aiff", "aif", "aifc", "amr",
        "caf", "mka", "ac3", "wv", "au",
        // still images
        "jpg", "jpeg", "png", "bmp", "tif", "tiff", "webp", "gif",
    ]

    /// Extensions common next to recordings (notes, data, subtitles, archives, code) that are
    /// skipped without being opened.
    private static let nonMediaExtensions: Set<String> = [
        // text and data
        "txt", "md", "rst", "rtf", "csv", "tsv", "json", "jsonl", "ndjson", "yml", "yaml", "toml", "ini", "cfg",
        "conf", "xml", "xmp", "html", "htm", "log", "sqlite", "db", "parquet", "npy", "npz", "pkl", "onnx",
        // documents
        "pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "odt", "ods",
        // subtitles
        "srt", "vtt", "ass", "ssa", "sub", "lrc",
        // archives
        "zip", "gz", "tgz", "bz2", "xz", "zst", "7z", "rar", "tar",
        // code
        "py", "ipynb", "sh", "swift", "c", "h", "cpp", "js",
    ]

    /// Opens `path` with libavformat: media when it has an audio stream or a real video stream.
    private static func probeFindsRecording(_ path: String) -> Bool {
        guard let info = try? MediaFile(path: path).info else { return false }
        // FFmpeg's `tty` demuxer opens text as ANSI art, a "video" of codec `ansi`: by extension
        // (.asc, .diz, .nfo, ...) in FFmpeg 5, by content too from FFmpeg 6.1.
        if info.container == "tty" || (info.video?.codec == "ansi" && info.audio == nil) { return false }
        return info.video != nil || info.audio != nil
    }
}
