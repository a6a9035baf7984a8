import Foundation

/// librosa's `mfcc` from a mel power spectrogram: `power_to_db` (ref 1, amin 1e-10, top_db 80)
/// followed by the orthonormal type-II DCT over the mel bands, keeping the first coefficients.
struct CepstralTransform: Sendable {
    /// power_to_db's floor on power (-100 dB) and its dynamic range below the loudest value.
    private static let minimumPower = 1e-10
    private static let dynamicRange = 80.0

    let bandCount: Int
    let coefficientCount: Int
    /// `basis[coefficient * bandCount + band]`: rows of the orthonormal DCT-II matrix
    /// (scipy's `dct(type=2, norm="ortho")`).
    private let basis: [Double]

    init(bandCount: Int = 128, coefficientCount: Int = 40) {
        precondition(coefficientCount <= bandCount, "cannot keep more coefficients than there are bands")
        self.bandCount = bandCount
        self.coefficientCount = coefficientCount
        let n = Double(bandCount)
        basis = (0..<coefficientCount).flatMap { k in
            let scale = (k == 0 ? 1 / n : 2 / n).squareRoot()
            return (0..<bandCount).map { band in scale * cos(Double.pi * Double(k) * (2 * Double(band) + 1) / (2 * n)) }
        }
    }

    /// `power_to_db` of a mel spectrogram: 10 log10(max(power, 1e-10)), then raised to at least
    /// 80 dB below the loudest value of the whole matrix (so the floor depends on all frames).
    func decibels(of mel: FrameMatrix) -> FrameMatrix {
        var decibels = mel.values.map { 10 * log10(max(Self.minimumPower, $0)) }
        let floor = (decibels.max() ?? 0) - Self.dynamicRange
        for index in decibels.indices where decibels[index] < floor {
            decibels[index] = floor
        }
        return FrameMatrix(frameCount: mel.frameCount, columnCount: mel.columnCount, values: decibels)
    }

    /// The first `coefficientCount` DCT coefficients of each frame of a log-mel spectrogram.
    func coefficients(of decibels: FrameMatrix) -> FrameMatrix {
        precondition(decibels.columnCount == bandCount, "log-mel spectrogram has the wrong band count")
        return decibels.projected(onto: basis, rowCount: coefficientCount)
    }
}
