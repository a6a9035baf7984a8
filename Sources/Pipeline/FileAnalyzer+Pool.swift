import CVSupport
import Foundation
import Logging
import Voice

extension FileAnalyzer {
    /// The analyzers that `analyze`, `evaluate`, `run` and a server share out to their workers:
    /// one per file analysed at once, each with its own detector and networks (OpenCV's are not
    /// shared between threads), and OpenCV's and OpenBLAS's own thread pools at `opencvThreads`,
    /// since files and their branches already run side by side.
    ///
    /// - Parameters:
    ///   - pipeline: what each analyzer runs.
    ///   - count: how many (at least one).
    ///   - opencvThreads: OpenCV's worker threads (-1: OpenCV's default, one per core).
    ///   - logger: where the analyzers log.
    /// - Returns: `count` analyzers.
    /// - Throws: when a model cannot be loaded.
    public static func pool(
        _ pipeline: ResolvedPipeline, count: Int, opencvThreads: Int = 1,
        logger: Logger
    ) throws -> [FileAnalyzer] {
        OpenCVThreads.set(opencvThreads)
        BLAS.setThreads(opencvThreads > 0 ? opencvThreads : ProcessInfo.processInfo.activeProcessorCount)
        return try (0..<max(1, count)).map { _ in try FileAnalyzer(pipeline: pipeline, logger: logger) }
    }
}
