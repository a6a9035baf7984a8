import Model

/// The detector a pipeline's `detector.kind` names.
public enum FaceDetectorFactory {
    /// Loads the detector `options` describe.
    ///
    /// - Parameter options: The detector's kind, file and settings.
    /// - Returns: A `HaarFaceDetector` or a `CenterFaceDetector`.
    /// - Throws: `OpenCVError` when OpenCV cannot load the file.
    public static func detector(for options: FaceDetectorOptions) throws -> any FaceDetector {
        switch options.kind {
        case .haar: try HaarFaceDetector(options: options)
        case .centerface: try CenterFaceDetector(options: options)
        }
    }
}
