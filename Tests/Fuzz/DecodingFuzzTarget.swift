import Media
import Model

/// The decoding path as the fuzzer drives it: arbitrary bytes, opened from memory, probed, their
/// video sampled and their audio read to the end, as `FileAnalyzer`'s branches do. Any crash,
/// hang or leak here is one a hostile upload could cause.
///
/// A library target, so that `MediaTests` replays every input the fuzzer ever kept
/// (`Fixtures/fuzz`) while the fuzzer binary itself is built apart (`Fuzz/`, `Scripts/fuzz`).
public enum DecodingFuzzTarget {
    public static func run(_ bytes: [UInt8]) {
        guard let file = try? MediaFile(bytes: bytes, maxPixels: 4_000_000) else { return }
        if file.info.video != nil,
            let sampler = try? FrameSampler(
                file: file,
                options: SamplingOptions(
                    maxFrames: 5, maxWidth: 320, decoderThreads: 1,
                    maxPixels: 4_000_000))
        {
            while (try? sampler.next()) != nil {}
            _ = sampler.warnings
        }
        guard file.info.audio != nil, let audioFile = try? MediaFile(bytes: bytes, maxPixels: 4_000_000),
            let reader = try? AudioReader(file: audioFile, sampleRate: 16_000)
        else { return }
        while (try? reader.next()) != nil {}
        _ = (reader.warnings, reader.truncation)
    }
}

/// libFuzzer's entry point.
@_cdecl("LLVMFuzzerTestOneInput")
public func emoscanFuzzDecoding(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    DecodingFuzzTarget.run(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
