import Foundation
import Media

/// Damaged, unusual and hostile inputs, made at test time with `ffmpeg`, `espeak-ng` and a few
/// byte edits: what an operator's directory holds when someone else filled it. Each entry is one
/// file (or FIFO, or symlink) in `folder`, named after its category.
public enum HostileCorpus {
    /// One input: its category and path.
    public struct Entry {
        public var category: String
        public var path: String
    }

    /// Makes every entry in `folder` (created; reused when already made) and returns them in order.
    public static func make(in folder: String) throws -> [Entry] {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var entries: [Entry] = []
        func add(_ category: String, _ name: String, _ make: (String) throws -> Void) throws {
            let path = folder + "/" + name
            if FileSystemPath.withCString(path, { access($0, F_OK) }) != 0 { try make(path) }
            entries.append(Entry(category: category, path: path))
        }
        func ffmpeg(_ arguments: [String]) -> (String) throws -> Void {
            { path in try GeneratedMedia.run("ffmpeg", ["-v", "error", "-y"] + arguments + [path]) }
        }
        func copy(_ source: String) -> (String) throws -> Void {
            { path in try write(try Data(contentsOf: URL(fileURLWithPath: source)), to: path) }
        }
        let clip = try GeneratedMedia.videoWithSpeech()
        let speech = try GeneratedMedia.speech()

        try add("zero-byte", "zero-byte.mp4") { try write(Data(), to: $0) }
        try add("random bytes", "random-bytes.mp4") { path in
            var generator = SeededBytes(seed: 13)
            try write(Data((0..<65_536).map { _ in generator.next() }), to: path)
        }
        try add("text named .mp4", "text.mp4") {
            try write(Data(String(repeating: "not a video\n", count: 100).utf8), to: $0)
        }
        try add("wrong extension", "really-a-wav.mp4", copy(speech))
        try add(
            "no frames", "no-frames.mp4",
            ffmpeg([
                "-f", "lavfi", "-i", "testsrc=size=160x120:rate=10", "-frames:v", "0",
                "-c:v", "libx264",
            ]))
        try add("subtitles only", "subtitles-only.mkv") { path in
            let srt = path + ".srt"
            try write(Data("1\n00:00:00,000 --> 00:00:02,000\nhello\n".utf8), to: srt)
            defer { unlink(srt) }
            try ffmpeg(["-i", srt, "-c:s", "srt"])(path)
        }
        try add("rotated", "rotated.mp4", copy(try GeneratedMedia.rotated()))
        try add("variable frame rate", "vfr.mkv", copy(try GeneratedMedia.variableFrameRate()))
        try add(
            "one frame", "one-frame.mp4",
            ffmpeg([
                "-f", "lavfi", "-i", "testsrc=size=160x120:rate=10", "-frames:v", "1",
                "-c:v", "libx264", "-pix_fmt", "yuv420p",
            ]))
        try add("0.1 s", "tenth-second.mp4", ffmpeg(["-i", clip, "-t", "0.1", "-c:v", "libx264", "-c:a", "aac"]))
        try add(
            "huge still", "huge-16000x16000.png",
            ffmpeg(["-f", "lavfi", "-i", "color=gray:s=16000x16000", "-frames:v", "1"]))
        try add(
            "multi-track", "multi-track.mkv",
            ffmpeg([
                "-i", clip, "-i", speech, "-map", "0:v", "-map", "0:a", "-map", "1:a",
                "-c:v", "copy", "-c:a", "aac",
            ]))
        try add("8 kHz mono", "8khz.wav", ffmpeg(["-i", speech, "-ar", "8000", "-ac", "1"]))
        try add("11025 Hz 6 channels", "11025hz-6ch.flac", ffmpeg(["-i", speech, "-ar", "11025", "-ac", "6"]))
        try add("truncated, index at front", "truncated-faststart.mp4") { path in
            let whole = path + ".whole.mp4"
            defer { unlink(whole) }
            try ffmpeg(["-i", clip, "-c", "copy", "-movflags", "+faststart"])(whole)
            let data = try Data(contentsOf: URL(fileURLWithPath: whole))
            try write(data.prefix(data.count / 2), to: path)
        }
        try add("truncated, index at end", "truncated-moov-at-end.mp4") { path in
            let data = try Data(contentsOf: URL(fileURLWithPath: clip))
            try write(data.prefix(data.count / 2), to: path)
        }
        try add(
            "corrupt video packets", "corrupt-packets.mp4",
            ffmpeg(["-i", try GeneratedMedia.testPattern(), "-c", "copy", "-bsf:v", "noise=amount=50"]))
        try add("timestamp jump", "timestamp-jump.ts") { path in
            let (first, second) = (path + ".1.ts", path + ".2.ts")
            defer {
                unlink(first)
                unlink(second)
            }
            try ffmpeg(["-i", clip, "-t", "1.6", "-c:v", "libx264", "-c:a", "aac"])(first)
            try ffmpeg(["-ss", "1.6", "-i", clip, "-c:v", "libx264", "-c:a", "aac", "-output_ts_offset", "36000"])(
                second)
            try write(
                try Data(contentsOf: URL(fileURLWithPath: first)) + Data(contentsOf: URL(fileURLWithPath: second)),
                to: path)
        }
        try add("NaN/Inf samples", "nan-samples.wav") { path in
            let raw = path + ".f32"
            defer { unlink(raw) }
            try ffmpeg(["-i", speech, "-f", "f32le", "-ac", "1", "-ar", "16000"])(raw)
            var samples = try Data(contentsOf: URL(fileURLWithPath: raw))
            for (index, value) in [
                (1000, Float.nan), (30_000, Float.infinity), (40_000, -Float.infinity), (50_000, Float.nan),
            ] {
                withUnsafeBytes(of: value.bitPattern.littleEndian) {
                    samples.replaceSubrange(index * 4..<index * 4 + 4, with: $0)
                }
            }
            try samples.write(to: URL(fileURLWithPath: raw))
            try ffmpeg(["-f", "f32le", "-ar", "16000", "-ac", "1", "-i", raw, "-c:a", "pcm_f32le"])(path)
        }
        try add("absurd sample rate", "rate-1.5ghz.wav") { path in
            // A WAV whose header claims 1.5 GHz (bytes 24–27, little-endian): what the fuzzer found.
            var data = try Data(contentsOf: URL(fileURLWithPath: speech))
            withUnsafeBytes(of: UInt32(1_526_742_656).littleEndian) { data.replaceSubrange(24..<28, with: $0) }
            try write(data, to: path)
        }
        try add("FIFO", "fifo.mp4") { path in
            guard mkfifo(path, 0o644) == 0 else { throw GeneratedMedia.Failure(description: "mkfifo \(path) failed") }
        }
        try add("symlink loop", "loop.mp4") { path in _ = symlink(path, path) }
        // Distinct content under each name: the queue keeps one job per content.
        let names = [
            "name with a newline": "new\nline.mp4", "name with a quote": "it's \"quoted\".mp4",
            "name with a comma": "a,b.mp4", "name with a leading dash": "-leading-dash.mp4",
            "name with =": "key=value.mp4",
            "name not UTF-8": FileSystemPath.string(fromBytes: Array("latin1-caf".utf8) + [0xE9] + Array(".mp4".utf8)),
        ]
        for ((category, name), source) in zip(
            names.sorted { $0.key < $1.key }, try GeneratedMedia.distinctClips(names.count))
        {
            try add(category, name, copy(source))
        }
        return entries
    }

    /// Writes `data` to `path` (raw file-system bytes, so a non-UTF-8 name is made as named).
    static func write(_ data: Data, to path: String) throws {
        let descriptor = FileSystemPath.withCString(path) { open($0, O_WRONLY | O_CREAT | O_TRUNC, 0o644) }
        guard descriptor >= 0 else { throw GeneratedMedia.Failure(description: "cannot create \(path)") }
        defer { close(descriptor) }
        try data.withUnsafeBytes { bytes in
            guard bytes.isEmpty || Foundation.write(descriptor, bytes.baseAddress, bytes.count) == bytes.count else {
                throw GeneratedMedia.Failure(description: "cannot write \(path)")
            }
        }
    }
}

/// A tiny deterministic byte generator (xorshift), so the "random bytes" file is the same every run.
private struct SeededBytes {
    var state: UInt64

    init(seed: UInt64) { state = seed | 1 }

    mutating func next() -> UInt8 {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return UInt8(truncatingIfNeeded: state >> 24)
    }
}
