import Foundation

/// Reference outputs of a converted model, computed once with onnxruntime by
/// `Scripts/models/make_parity_fixture.py`, for the tests that hold OpenCV's `dnn` to them.
public struct ParityFixture: Decodable {
    public struct Case: Decodable {
        public let name: String
        public let input: [Float]
        public let probs: [Float]
    }

    /// The sha256 of the ONNX file the outputs came from.
    public let modelSHA256: String
    public let labels: [String]
    public let inputShape: [Int]
    public let cases: [Case]

    enum CodingKeys: String, CodingKey {
        case modelSHA256 = "model_sha256"
        case labels
        case inputShape = "input_shape"
        case cases
    }

    public static func load(_ url: URL) throws -> ParityFixture {
        try JSONDecoder().decode(ParityFixture.self, from: Data(contentsOf: url))
    }
}
