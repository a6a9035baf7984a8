/// What the face model is and how to feed it: a pipeline's `face_model:`.
public struct FaceModelSpec: Codable, Sendable, Equatable {
    public var name: String
    /// Where the weights come from and under which licence.
    public var source: String
    /// The ONNX file: as written in the pipeline file, then absolute once resolved.
    public var path: String
    /// The digest the file must have.
    public var sha256: String
    /// Side of the square gray input, in pixels.
    public var inputSize: Int
    /// Margin added around a detected face before cropping, in pixels per side (fer uses 10).
    public var cropMargin: Int
    /// Faces with landmarks (CenterFace's) are turned level by their eye line and cut to the
    /// framing below, that of the training crops; faces without are cut with `cropMargin`.
    public var align: Bool
    /// The distance between the eyes, as a fraction of an aligned crop's side.
    public var eyeDistance: Double
    /// Where the eyes' midpoint sits in an aligned crop, as a fraction of its height from the top.
    public var eyeHeight: Double
    /// Class names in the order of the model's outputs.
    public var labels: [String]

    public init(
        name: String = "", source: String = "", path: String, sha256: String = "", inputSize: Int = 64,
        cropMargin: Int = 10, align: Bool = false, eyeDistance: Double = 0.364, eyeHeight: Double = 0.402,
        labels: [String]
    ) {
        self.name = name
        self.source = source
        self.path = path
        self.sha256 = sha256
        self.inputSize = inputSize
        self.cropMargin = cropMargin
        self.align = align
        self.eyeDistance = eyeDistance
        self.eyeHeight = eyeHeight
        self.labels = labels
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, source, path, sha256, inputSize, cropMargin, align, eyeDistance, eyeHeight, labels
    }
}
