import Batch
import Foundation
import Metrics
import Model
import Store

import class Prometheus.PrometheusCollectorRegistry
import struct Prometheus.PrometheusMetricsFactory

/// What `/metrics` shows, kept through swift-metrics on a Prometheus registry of the server's
/// own (not the process-wide bootstrap, so that two servers in one process stay apart):
/// requests, upload bytes, files analysed and failed, per-stage durations, and, read from the
/// store when scraped, jobs by state and the queue's depth.
public final class ServerMetrics: Sendable {
    public let registry = PrometheusCollectorRegistry()
    private let factory: PrometheusMetricsFactory
    private let uploadBytes: Metrics.Counter
    private let filesAnalysed: Metrics.Counter
    private let filesFailed: Metrics.Counter
    private let jobsByState: [JobState: Metrics.Gauge]
    private let queueDepth: Metrics.Gauge

    public init() {
        var factory = PrometheusMetricsFactory(registry: registry)
        let seconds: [Duration] = [0.005, 0.025, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300].map {
            .milliseconds($0 * 1000)
        }
        factory.defaultDurationHistogramBuckets = seconds
        self.factory = factory
        uploadBytes = Metrics.Counter(label: "emoscan_upload_bytes_total", factory: factory)
        filesAnalysed = Metrics.Counter(label: "emoscan_files_analysed_total", factory: factory)
        filesFailed = Metrics.Counter(label: "emoscan_files_failed_total", factory: factory)
        jobsByState = Dictionary(
            uniqueKeysWithValues: JobState.allCases.map {
                ($0, Metrics.Gauge(label: "emoscan_jobs", dimensions: [("state", $0.rawValue)], factory: factory))
            })
        queueDepth = Metrics.Gauge(label: "emoscan_queue_depth", factory: factory)
    }

    /// Counts an answered request, by route (not path: ids would make a series each) and status.
    public func request(method: String, route: String, status: Int, seconds: Double) {
        let dimensions = [("method", method), ("route", route), ("status", String(status))]
        Metrics.Counter(label: "emoscan_http_requests_total", dimensions: dimensions, factory: factory).increment()
        Metrics.Timer(label: "emoscan_http_request_duration_seconds", dimensions: [("route", route)], factory: factory)
            .recordSeconds(seconds)
    }

    /// Counts bytes of an upload as they arrive.
    public func received(bytes: Int) {
        uploadBytes.increment(by: bytes)
    }

    /// Counts a file this server's workers finished, and the time each stage took on it.
    public func finished(_ result: FileResult) {
        (result.status == .failed ? filesFailed : filesAnalysed).increment()
        for (stage, seconds) in [
            ("decode", result.timings.decodeSeconds), ("vision", result.timings.visionSeconds),
            ("voice", result.timings.voiceSeconds), ("total", result.timings.totalSeconds),
        ] {
            Metrics.Timer(label: "emoscan_stage_duration_seconds", dimensions: [("stage", stage)], factory: factory)
                .recordSeconds(seconds)
        }
    }

    /// The Prometheus text, the queue's gauges read from the store first.
    ///
    /// - Parameter counts: the store's job counts now; nil when the store cannot be read (the gauges keep their last
    ///   values).
    /// - Returns: the exposition, in Prometheus's text format.
    public func exposition(counts: QueueCounts?) -> [UInt8] {
        if let counts {
            jobsByState[.queued]?.record(counts.queued)
            jobsByState[.running]?.record(counts.running)
            jobsByState[.done]?.record(counts.done)
            jobsByState[.failed]?.record(counts.failed)
            queueDepth.record(counts.remaining)
        }
        return registry.emitToBuffer()
    }
}
