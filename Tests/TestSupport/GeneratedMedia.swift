import Foundation

/// Small media made at test time with the `ffmpeg` CLI, so the unit tests need no data files.
/// Each file is made once per test process, in a temporary folder.
public enum GeneratedMedia {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String

        public init(description: String) {
            self.description = description
        }
    }

    /// A folder for this test process's generated files.
    public static let directory: URL = {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("emoscan-tests-\(ProcessInfo.processInfo.processIdentifier)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()

    /// Runs `ffmpeg` with `arguments` to make `name` (once), returning its path.
    public static func make(_ name: String, _ arguments: [String]) throws -> String {
        let output = directory.appendingPathComponent(name).path
        if FileManager.default.fileExists(atPath: output) { return output }
        let partial = output + ".partial." + (URL(fileURLWithPath: name).pathExtension)
        try run("ffmpeg", ["-v", "error", "-y"] + arguments + [partial])
        try FileManager.default.moveItem(atPath: partial, toPath: output)
        return output
    }

    /// Runs a tool to completion, throwing with its stderr when it fails.
    public static func run(_ tool: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(
                description: "\(tool) \(arguments.joined(separator: " ")) failed: "
                    + String(decoding: message, as: UTF8.self))
        }
    }

    // MARK: Ready-made inputs

    /// 4 s of 320×240 `testsrc` at 25 fps, H.264 with a keyframe every 250 frames, no audio.
    public static func testPattern() throws -> String {
        try make(
            "testsrc.mp4",
            [
                "-f", "lavfi", "-i", "testsrc=duration=4:size=320x240:rate=25",
                "-c:v", "libx264", "-g", "250", "-pix_fmt", "yuv420p",
            ])
    }

    /// 10 s at 25 fps with a keyframe every 10 frames: short GOP, so sampling should seek.
    public static func shortGOP() throws -> String {
        try make(
            "short-gop.mp4",
            [
                "-f", "lavfi", "-i", "testsrc=duration=10:size=320x240:rate=25",
                "-c:v", "libx264", "-g", "10", "-pix_fmt", "yuv420p",
            ])
    }

    /// 1 s of 320×240, black on the left half and white on the right.
    public static func halfBlack() throws -> String {
        try make(
            "half-black.mp4",
            [
                "-f", "lavfi", "-i",
                "color=white:s=320x240:d=1,drawbox=x=0:y=0:w=160:h=240:color=black:t=fill",
                "-c:v", "libx264", "-pix_fmt", "yuv420p",
            ])
    }

    /// `halfBlack()` with a display matrix (`rotate=90` metadata) that FFmpeg's own player and
    /// CLI show as 240×320 with the black half at the bottom.
    public static func rotated() throws -> String {
        try make("rotated.mp4", ["-i", try halfBlack(), "-c", "copy", "-metadata:s:v", "rotate=90"])
    }

    /// Variable frame rate: 2 s at 5 fps, then 2 s at 50 fps, timestamps kept as they are.
    public static func variableFrameRate() throws -> String {
        try make(
            "vfr.mkv",
            [
                "-f", "lavfi", "-i",
                "testsrc=duration=2:size=160x120:rate=5[a];testsrc=duration=2:size=160x120:rate=50[b];[a][b]concat=n=2:v=1",
                "-c:v", "libx264", "-fps_mode", "vfr", "-pix_fmt", "yuv420p",
            ])
    }

    /// A 64×48 PNG still image.
    public static func stillImage() throws -> String {
        try make("still.png", ["-f", "lavfi", "-i", "testsrc=size=64x48", "-frames:v", "1"])
    }

    /// Audio only: 1 s of a 440 Hz tone.
    public static func audioOnly() throws -> String {
        try make("tone.wav", ["-f", "lavfi", "-i", "sine=frequency=440:duration=1"])
    }

    /// `count` clips whose content differs (so does their sha256: the queue skips content it
    /// already holds): `testsrc` with a small purple square at a place of its own in each (and
    /// the clip's number in its metadata, in case the square lands on a bar of that colour),
    /// H.264 with one keyframe per 250 frames, no audio. The defaults analyse in a blink; a bigger
    /// `size`, more `seconds` or a higher `rate` make slower ones, for tests that catch a run mid-file.
    public static func distinctClips(
        _ count: Int, seconds: Int = 2, size: String = "160x120", rate: Int = 10
    ) throws -> [String] {
        try (0..<count).map { index in
            try make(
                "clip-\(size)-\(seconds)s-\(rate)fps-\(index).mp4",
                [
                    "-f", "lavfi", "-i", "testsrc=duration=\(seconds):size=\(size):rate=\(rate)",
                    "-vf", "drawbox=x=\(4 + index % 12 * 10):y=\(4 + index / 12 * 10):w=8:h=8:color=0x7F3FBF:t=fill",
                    "-metadata", "comment=emoscan test clip \(index)",
                    "-c:v", "libx264", "-preset", "ultrafast", "-g", "250", "-pix_fmt", "yuv420p",
                ])
        }
    }

    /// `count` small PNG images, each a different frame of `testsrc2` (so each has its own
    /// sha256), made by one ffmpeg call into a folder of their own: a batch that analyses in a
    /// blink per file, for tests about the queue rather than the analysis.
    public static func distinctImages(_ count: Int) throws -> [String] {
        let folder = directory.appendingPathComponent("images-\(count)")
        let names = (1...max(1, count)).map { String(format: "image-%04d.png", $0) }
        let paths = names.map { folder.appendingPathComponent($0).path }
        if paths.allSatisfy({ FileManager.default.fileExists(atPath: $0) }) { return Array(paths.prefix(count)) }
        let partial = directory.appendingPathComponent("images-\(count).partial-\(getpid())")
        try? FileManager.default.removeItem(at: partial)
        try FileManager.default.createDirectory(at: partial, withIntermediateDirectories: true)
        try run(
            "ffmpeg",
            [
                "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=96x96:rate=25", "-frames:v", "\(count)",
                partial.appendingPathComponent("image-%04d.png").path,
            ])
        try? FileManager.default.removeItem(at: folder)
        try FileManager.default.moveItem(at: partial, to: folder)
        return Array(paths.prefix(count))
    }

    /// `count` one-second tones, 330 Hz, 385 Hz, ... (WAV): different content, like `distinctClips`.
    public static func distinctTones(_ count: Int) throws -> [String] {
        try (0..<count).map { index in
            try make(
                "tone-\(330 + 55 * index)hz.wav",
                ["-f", "lavfi", "-i", "sine=frequency=\(330 + 55 * index):duration=1"])
        }
    }

    // MARK: Audio

    /// espeak-ng saying `text` (22050 Hz mono WAV) in `voice` at `wordsPerMinute`, with `lead`
    /// seconds of silence before and `tail` after, as in a recorded take.
    public static func speech(
        _ name: String = "speech.wav", text: String = "Kids are talking by the door. Dogs are sitting by the door.",
        voice: String = "en", wordsPerMinute: Int = 175, lead: Double = 2, tail: Double = 1
    ) throws -> String {
        let raw = directory.appendingPathComponent(name + ".espeak.wav").path
        if !FileManager.default.fileExists(atPath: raw) {
            try run("espeak-ng", ["-v", voice, "-s", "\(wordsPerMinute)", "-w", raw, text])
        }
        return try make(name, ["-i", raw, "-af", "adelay=\(Int(lead * 1000)),apad=pad_dur=\(tail)"])
    }

    /// `seconds` of `color` noise (white, pink or brown: ffmpeg's `anoisesrc`) at 22050 Hz, steady,
    /// or with its level rising and falling `syllablesPerSecond` times a second as speech's does.
    public static func noise(color: String, syllablesPerSecond: Int? = nil, seconds: Int = 6) throws -> String {
        let seed = ["white": 1, "pink": 2, "brown": 3][color, default: 4]
        let source = "anoisesrc=color=\(color):amplitude=0.2:d=\(seconds):seed=\(seed):r=22050"
        let filter = syllablesPerSecond.map { ",volume='0.5+0.5*sin(2*PI*\($0)*t)':eval=frame" } ?? ""
        return try make(
            "noise-\(color)-\(syllablesPerSecond ?? 0)-\(seconds)s.wav", ["-f", "lavfi", "-i", source + filter])
    }

    /// `first` then `second` (audio files of one rate and layout), joined end to end.
    public static func joined(_ name: String, _ first: String, _ second: String) throws -> String {
        try make(name, ["-i", first, "-i", second, "-filter_complex", "[0:a][1:a]concat=n=2:v=0:a=1"])
    }

    /// 3 s of digital silence at 48 kHz.
    public static func silence() throws -> String {
        try make("silence.wav", ["-f", "lavfi", "-i", "anullsrc=r=48000:cl=mono", "-t", "3"])
    }

    /// A 5-second melody of sustained tones (a note every half second, like a simple instrument):
    /// loud, voiced and varied, but not speech.
    public static func melody() throws -> String {
        let notes = [262, 330, 392, 523, 392, 330, 294, 349, 440, 349]
        let expression = notes.enumerated().map {
            "between(t\\,\(Double($0.offset) * 0.5)\\,\(Double($0.offset) * 0.5 + 0.5))*sin(2*PI*\($0.element)*t)"
        }
        .joined(separator: "+")
        return try make("melody.wav", ["-f", "lavfi", "-i", "aevalsrc=0.3*(\(expression)):s=44100:d=5"])
    }

    /// Stereo at 48 kHz, the left channel constant 0.4 and the right 0.2: mono is their mean, 0.3.
    public static func stereoConstant() throws -> String {
        try make("stereo.wav", ["-f", "lavfi", "-i", "aevalsrc=0.4|0.2:s=48000:d=1"])
    }

    /// `testPattern()`'s picture with `speech()` as AAC audio.
    public static func videoWithSpeech() throws -> String {
        try make(
            "video-speech.mp4",
            [
                "-i", try testPattern(), "-i", try speech(), "-map", "0:v", "-map", "1:a",
                "-c:v", "copy", "-c:a", "aac", "-shortest",
            ])
    }

    /// `testPattern()`'s picture with a silent AAC track, like RAVDESS's video-only clips.
    public static func videoWithSilentAudio() throws -> String {
        try make(
            "video-silent.mp4",
            [
                "-i", try testPattern(), "-f", "lavfi", "-i", "anullsrc=r=48000:cl=stereo",
                "-map", "0:v", "-map", "1:a", "-c:v", "copy", "-c:a", "aac", "-shortest",
            ])
    }

    // MARK: Broken inputs

    /// The first 30% of `testPattern()`'s bytes: the index (moov) is lost.
    public static func truncated() throws -> String {
        let output = directory.appendingPathComponent("truncated.mp4").path
        let data = try Data(contentsOf: URL(fileURLWithPath: try testPattern()))
        try data.prefix(data.count * 3 / 10).write(to: URL(fileURLWithPath: output))
        return output
    }

    /// A zero-byte file with a video extension.
    public static func empty() throws -> String {
        let output = directory.appendingPathComponent("empty.mp4").path
        _ = FileManager.default.createFile(atPath: output, contents: Data())
        return output
    }

    /// Bytes that are no media format at all.
    public static func garbage() throws -> String {
        let output = directory.appendingPathComponent("garbage.mp4").path
        try Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 7) })
            .write(to: URL(fileURLWithPath: output))
        return output
    }
}
