import Foundation
import Model

/// A batch's results on one page: what was found and how it is spread, which files failed and
/// why, and every file in a table (failures first, then the least confident) linking to its own
/// report. It stays light at 10,000 files: a table row per file and a few charts of the whole,
/// never a chart per file.
public struct BatchReport: Sendable {
    /// One file, as the batch page lists it.
    public struct Row: Sendable, Equatable {
        public var file: String
        public var failed: Bool
        public var error: String?
        /// The fused emotion and its confidence.
        public var emotion: String?
        public var confidence: Double?
        public var durationSeconds: Double?
        public var framesAccepted: Int?
        public var framesSampled: Int?
        /// How many warnings the result has; nil when not known (no document read).
        public var warnings: Int?
        /// When it was analysed (ISO 8601).
        public var analyzedAt: String?
        /// The file's own report, relative to the batch page; nil for none.
        public var report: String?

        public init(
            file: String, failed: Bool, error: String? = nil, emotion: String? = nil, confidence: Double? = nil,
            durationSeconds: Double? = nil, framesAccepted: Int? = nil, framesSampled: Int? = nil,
            warnings: Int? = nil, analyzedAt: String? = nil, report: String? = nil
        ) {
            self.file = file
            self.failed = failed
            self.error = error
            self.emotion = emotion
            self.confidence = confidence
            self.durationSeconds = durationSeconds
            self.framesAccepted = framesAccepted
            self.framesSampled = framesSampled
            self.warnings = warnings
            self.analyzedAt = analyzedAt
            self.report = report
        }
    }

    public var rows: [Row]
    /// What the batch is (the store, the time span asked for).
    public var title: String

    public init(rows: [Row], title: String) {
        self.rows = rows
        self.title = title
    }

    /// The page.
    public var html: String {
        ReportTemplates.render(context, page: "batch")
    }

    /// The rows as the table lists them: failed first, then by confidence, lowest first (the files to look at first).
    var ordered: [Row] {
        rows.sorted { a, b in
            if a.failed != b.failed { return a.failed }
            return (a.confidence ?? -1, a.file) < (b.confidence ?? -1, b.file)
        }
    }

    /// The failures grouped by reason (the error without the file's path), the commonest first.
    var failures: [(reason: String, files: [String])] {
        let failed = rows.filter(\.failed)
        let grouped = Dictionary(grouping: failed) { row in Self.reason(row.error ?? "failed", file: row.file) }
        return grouped.map { ($0.key, $0.value.map(\.file).sorted()) }
            .sorted { ($0.files.count, $1.reason) > ($1.files.count, $0.reason) }
    }

    static func reason(_ error: String, file: String) -> String {
        error.hasPrefix(file + ": ") ? String(error.dropFirst(file.count + 2)) : error
    }

    var context: [String: Any] {
        let total = rows.count
        let failedCount = rows.filter(\.failed).count
        var counts: [String: Int] = [:]
        for row in rows where !row.failed { counts[row.emotion ?? "none", default: 0] += 1 }
        let byCount = counts.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
        let emotions = BarChart(
            rows: byCount.map { ($0.key, Double($0.value)) },
            format: { [total] value in "\(Int(value)) (\(Self.percent(value, of: total)))" })
        var bins = [Double](repeating: 0, count: 10)
        for confidence in rows.compactMap(\.confidence) { bins[min(9, max(0, Int(confidence * 10)))] += 1 }
        var histogram = BarChart(
            rows: bins.enumerated().map {
                (String(format: "%.1f–%.1f", Double($0.offset) / 10, Double($0.offset + 1) / 10), $0.element)
            },
            format: { "\(Int($0))" })
        histogram.color = "#4c78a8"
        let times = rows.compactMap(\.analyzedAt).compactMap { try? Date($0, strategy: .iso8601) }.sorted()
        var span = "–"
        if let first = times.first, let last = times.last {
            let seconds = last.timeIntervalSince(first)
            span = "\(first.formatted(.iso8601)) to \(last.formatted(.iso8601))"
            if seconds > 0 { span += String(format: " (%.1f files a minute)", Double(times.count) / seconds * 60) }
        }
        return [
            "title": title, "pageTitle": "emoscan batch: " + title, "css": ReportStyle.css, "total": total,
            "failedCount": failedCount,
            "okCount": total - failedCount, "span": span, "emotions": emotions.svg, "confidence": histogram.svg,
            "failures": failures.map { group in
                [
                    "reason": group.reason, "count": group.files.count,
                    "files": group.files.prefix(20).map { ["file": $0] },
                    "more": group.files.count > 20 ? "and \(group.files.count - 20) more" : "",
                ] as [String: Any]
            },
            "hasFailures": failedCount > 0,
            "rows": ordered.map(Self.cells),
        ]
    }

    static func cells(_ row: Row) -> [String: Any] {
        var cells: [String: Any] = [
            "file": row.file, "status": row.failed ? "failed" : "ok", "failed": row.failed,
            "emotion": row.failed ? (row.error.map { reason($0, file: row.file) } ?? "failed") : row.emotion ?? "none",
            "color": row.emotion.map(EmotionPalette.color(for:)) ?? EmotionPalette.nothing,
            "confidence": row.confidence.map { String(format: "%.2f", $0) } ?? "",
            "duration": row.durationSeconds.map { String(format: "%.1f", $0) } ?? "",
            "frames": row.framesAccepted.map { "\($0)/\(row.framesSampled ?? 0)" } ?? "",
            "warnings": row.warnings.map(String.init) ?? "",
        ]
        cells["report"] = row.report
        return cells
    }

    static func percent(_ value: Double, of total: Int) -> String {
        total == 0 ? "0%" : String(format: "%.1f%%", value / Double(total) * 100)
    }
}

extension BatchReport.Row {
    /// The row of `result`, linking to `report`.
    public init(_ result: FileResult, report: String?) {
        let aggregate = result.aggregate
        self.init(
            file: result.file.path, failed: result.status == .failed, error: result.error,
            emotion: aggregate.fused.emotion, confidence: aggregate.fused.confidence,
            durationSeconds: result.file.durationSeconds, framesAccepted: aggregate.face?.framesAccepted,
            framesSampled: aggregate.face?.framesSampled, warnings: result.warnings.count,
            analyzedAt: result.analyzedAt, report: report)
    }
}
