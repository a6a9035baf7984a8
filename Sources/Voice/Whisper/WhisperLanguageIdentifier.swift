import CHalfPrecision
import Foundation

/// Which language is spoken, as Whisper tells it: one decoder step from
/// `<|startoftranscript|>` over the encoder's output, and a softmax over the 99 language tokens'
/// logits (what OpenAI's `detect_language` and CTranslate2's do). The same step says whether
/// there is speech at all: Whisper learnt to predict its no-speech token instead of a language
/// for audio without speech.
///
/// With a single query every product is a matrix times a vector, so the decoder's weights stay
/// float16 in the mapped file and are widened as they are read: the step never holds a float32
/// copy of them (they would be 90 MB). Cross-attention never projects the encoder's frames:
/// a head's scores are the frames times `W_kᵀ q`, and its output `W_v` times the frames'
/// weighted mean, since the weights sum to one.
public struct WhisperLanguageIdentifier: @unchecked Sendable {
    private static let width = WhisperEncoder.width
    private static let heads = 8
    private static let headWidth = width / heads

    /// A linear layer whose weights (out × in) and bias stay float16 in the mapping.
    struct HalfLinear {
        let weight: UnsafeBufferPointer<Float16>
        let bias: [Float]
        let outputs: Int
        let inputs: Int

        init(_ weights: WhisperWeights, _ scope: String, outputs: Int, inputs: Int) throws {
            weight = try weights.float16("\(scope)/weight", shape: [outputs, inputs])
            bias = try weights.float16("\(scope)/bias", shape: [outputs]).map(Float.init)
            self.outputs = outputs
            self.inputs = inputs
        }

        /// `W[rows] x + b[rows]`.
        func callAsFunction(_ x: [Float], rows: Range<Int>? = nil) -> [Float] {
            let rows = rows ?? 0..<outputs
            var y = [Float](repeating: 0, count: rows.count)
            bias.withUnsafeBufferPointer { bias in
                halfProduct(weight, rows: rows, columns: inputs) { w in
                    emoscan_half_matvec(w, rows.count, inputs, x, bias.baseAddress! + rows.lowerBound, &y)
                }
            }
            return y
        }

        /// `W[rows]ᵀ v`: the input-space vector whose dot product with an input is `v · W[rows] input`.
        func transposed(times v: [Float], rows: Range<Int>) -> [Float] {
            var result = [Float](repeating: 0, count: inputs)
            halfProduct(weight, rows: rows, columns: inputs) { w in
                emoscan_half_matvec_transposed(w, rows.count, inputs, v, &result)
            }
            return result
        }
    }

    struct HalfLayerNorm {
        let gamma: [Float]
        let beta: [Float]

        init(_ weights: WhisperWeights, _ scope: String) throws {
            gamma = try weights.float16("\(scope)/gamma", shape: [width]).map(Float.init)
            beta = try weights.float16("\(scope)/beta", shape: [width]).map(Float.init)
        }

        func callAsFunction(_ x: [Float]) -> [Float] {
            let mean = x.reduce(0, +) / Float(x.count)
            let variance = x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Float(x.count)
            let scale = 1 / (variance + 1e-5).squareRoot()
            return x.indices.map { (x[$0] - mean) * scale * gamma[$0] + beta[$0] }
        }
    }

    struct Layer {
        let selfNorm: HalfLayerNorm
        let selfQueryKeyValue: HalfLinear
        let selfOutput: HalfLinear
        let crossNorm: HalfLayerNorm
        let crossQuery: HalfLinear
        let crossKeyValue: HalfLinear
        let crossOutput: HalfLinear
        let feedForwardNorm: HalfLayerNorm
        let feedForwardIn: HalfLinear
        let feedForwardOut: HalfLinear

        init(_ weights: WhisperWeights, index: Int) throws {
            let scope = "decoder/layer_\(index)"
            selfNorm = try HalfLayerNorm(weights, "\(scope)/self_attention/layer_norm")
            selfQueryKeyValue = try HalfLinear(
                weights, "\(scope)/self_attention/linear_0", outputs: 3 * width, inputs: width)
            selfOutput = try HalfLinear(weights, "\(scope)/self_attention/linear_1", outputs: width, inputs: width)
            crossNorm = try HalfLayerNorm(weights, "\(scope)/attention/layer_norm")
            crossQuery = try HalfLinear(weights, "\(scope)/attention/linear_0", outputs: width, inputs: width)
            crossKeyValue = try HalfLinear(weights, "\(scope)/attention/linear_1", outputs: 2 * width, inputs: width)
            crossOutput = try HalfLinear(weights, "\(scope)/attention/linear_2", outputs: width, inputs: width)
            feedForwardNorm = try HalfLayerNorm(weights, "\(scope)/ffn/layer_norm")
            feedForwardIn = try HalfLinear(weights, "\(scope)/ffn/linear_0", outputs: 2048, inputs: width)
            feedForwardOut = try HalfLinear(weights, "\(scope)/ffn/linear_1", outputs: width, inputs: 2048)
        }

        /// The one token's state after this layer, attending to `memory` (frames × width).
        func callAsFunction(_ x: [Float], memory: [Float], frames: Int) -> [Float] {
            // Self-attention over a single position is that position's value.
            var x = zip(x, selfOutput(selfQueryKeyValue(selfNorm(x), rows: 2 * width..<3 * width))).map(+)
            let query = crossQuery(crossNorm(x))
            var context = [Float](repeating: 0, count: width)
            for head in 0..<heads {
                let rows = head * headWidth..<(head + 1) * headWidth
                let q = Array(query[rows])
                let keyDirection = crossKeyValue.transposed(times: q, rows: rows)
                let keyBias = zip(q, crossKeyValue.bias[rows]).map(*).reduce(0, +)
                var scores = (0..<frames).map { frame in
                    var sum = keyBias
                    for i in 0..<width { sum += memory[frame * width + i] * keyDirection[i] }
                    return sum / Float(headWidth).squareRoot()
                }
                scores.withUnsafeMutableBufferPointer { softmaxRows($0, width: frames) }
                var mean = [Float](repeating: 0, count: width)
                for frame in 0..<frames {
                    for i in 0..<width { mean[i] += scores[frame] * memory[frame * width + i] }
                }
                let values = crossKeyValue(mean, rows: width + rows.lowerBound..<width + rows.upperBound)
                for (offset, value) in values.enumerated() { context[rows.lowerBound + offset] = value }
            }
            x = zip(x, crossOutput(context)).map(+)
            var hidden = feedForwardIn(feedForwardNorm(x))
            gelu(&hidden)
            return zip(x, feedForwardOut(hidden)).map(+)
        }
    }

    /// Whisper's language codes, in the order of `probabilities`.
    public let languages: [String]
    private let weights: WhisperWeights
    private let start: [Float]
    private let layers: [Layer]
    private let finalNorm: HalfLayerNorm
    private let languageRows: UnsafeBufferPointer<Float16>
    private let noSpeechRow: UnsafeBufferPointer<Float16>

    /// A language step over `weights`, its tensors checked against Whisper base's shapes.
    ///
    /// - Parameter weights: the mapped model.
    /// - Throws: `WhisperError.badTensor` when a tensor is missing or has another shape;
    ///   `.notAWhisperFile` when the file does not name 99 languages.
    public init(weights: WhisperWeights) throws {
        self.weights = weights
        guard weights.languages.count == 99 else {
            throw WhisperError.notAWhisperFile(
                path: weights.path, reason: "it names \(weights.languages.count) languages, not 99")
        }
        languages = weights.languages
        let token = try weights.float16("decoder/embeddings/start_of_transcript", shape: [Self.width])
        let position = try weights.float16("decoder/position_encodings/encodings", shape: [448, Self.width])
        start = (0..<Self.width).map { Float(token[$0]) + Float(position[$0]) }
        layers = try (0..<6).map { try Layer(weights, index: $0) }
        finalNorm = try HalfLayerNorm(weights, "decoder/layer_norm")
        languageRows = try weights.float16("decoder/embeddings/language_rows", shape: [99, Self.width])
        noSpeechRow = try weights.float16("decoder/embeddings/no_speech", shape: [Self.width])
    }

    /// What the step says of the audio the encoder heard.
    public struct Verdict: Sendable, Equatable {
        /// One probability per entry of `languages`, summing to 1: the softmax over the 99
        /// language tokens, as `detect_language`.
        public var languages: [Float]
        /// The no-speech token's probability against the language tokens (the softmax over the
        /// 100): the tokens Whisper may predict after `<|startoftranscript|>`; within 0.006 of
        /// CTranslate2's softmax over the whole vocabulary (`WhisperParityTests`).
        public var noSpeech: Float
    }

    /// The probability of each language, and of no speech, given what the encoder made of the audio.
    ///
    /// - Parameter encoding: the encoder's output for up to 30 s of audio; at least one frame.
    /// - Returns: the languages' probabilities and the no-speech probability.
    public func verdict(on encoding: WhisperEncoding) -> Verdict {
        precondition(encoding.frames > 0, "no frames to identify a language in")
        var x = start
        for layer in layers { x = layer(x, memory: encoding.output, frames: encoding.frames) }
        x = finalNorm(x)
        var logits = [Float](repeating: 0, count: languages.count + 1)
        halfProduct(languageRows, rows: 0..<languages.count, columns: Self.width) { w in
            emoscan_half_matvec(w, languages.count, Self.width, x, nil, &logits)
        }
        halfProduct(noSpeechRow, rows: 0..<1, columns: Self.width) { w in
            logits.withUnsafeMutableBufferPointer {
                emoscan_half_matvec(w, 1, Self.width, x, nil, $0.baseAddress! + languages.count)
            }
        }
        var probabilities = logits
        probabilities.withUnsafeMutableBufferPointer { softmaxRows($0, width: logits.count) }
        logits.removeLast()
        logits.withUnsafeMutableBufferPointer { softmaxRows($0, width: languages.count) }
        return Verdict(languages: logits, noSpeech: probabilities[languages.count])
    }
}

/// Rows `rows` of a row-major float16 matrix `columns` wide, as the bits the C kernels read.
private func halfProduct(
    _ matrix: UnsafeBufferPointer<Float16>, rows: Range<Int>, columns: Int, _ body: (UnsafePointer<UInt16>) -> Void
) {
    precondition(rows.upperBound * columns <= matrix.count, "rows beyond the matrix")
    (matrix.baseAddress! + rows.lowerBound * columns).withMemoryRebound(
        to: UInt16.self, capacity: rows.count * columns, body)
}
