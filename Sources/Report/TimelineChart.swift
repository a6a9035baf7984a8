import Model

/// A file's emotions over its duration, as inline SVG (it prints, and needs no script): above,
/// each sampled frame's face probabilities as a stacked bar at its time, or a grey mark with its
/// reason where no face was accepted; below, the audio as bands, each speech segment in its top
/// emotion's colour, non-speech grey, silence left blank. Every mark has a `<title>` (a tooltip
/// in a browser) that says what it is.
public struct TimelineChart: Sendable {
    public struct Frame: Sendable, Equatable {
        public var t: Double
        /// The accepted face's probabilities; nil when the frame has none.
        public var probs: [String: Double]?
        /// Why no face was accepted.
        public var reason: String?

        public init(t: Double, probs: [String: Double]?, reason: String?) {
            self.t = t
            self.probs = probs
            self.reason = reason
        }
    }

    public struct Segment: Sendable, Equatable {
        public var t0: Double
        public var t1: Double
        public var speech: Bool
        /// The segment's top emotion; nil for non-speech, or speech that was not classified.
        public var emotion: String?

        public init(t0: Double, t1: Double, speech: Bool, emotion: String?) {
            self.t0 = t0
            self.t1 = t1
            self.speech = speech
            self.emotion = emotion
        }
    }

    public var duration: Double
    public var frames: [Frame]
    public var segments: [Segment]
    /// The face model's labels, bottom to top in each bar.
    public var labels: [String]
    public var width = 900.0
    /// The frames' plot's height; the audio band and the axis come below it.
    public var plotHeight = 160.0
    static let left = 40.0, right = 10.0, top = 10.0, bandHeight = 22.0, gap = 14.0

    public init(duration: Double, frames: [Frame], segments: [Segment], labels: [String]) {
        self.duration = duration
        self.frames = frames
        self.segments = segments
        self.labels = labels
    }

    /// The chart of `result`.
    public init(_ result: FileResult) {
        let labels = result.pipeline.settings.faceModel.labels
        let frames = result.frames.map { row in
            let face = row.faces.first { $0.accepted }
            return Frame(
                t: row.t, probs: face?.probs,
                reason: face == nil ? (row.reason ?? row.faces.first?.reason ?? .noFace).rawValue : nil)
        }
        let voiceLabels = result.aggregate.voice?.labels
        let segments = result.voice.segments.map { segment in
            Segment(
                t0: segment.t0, t1: segment.t1, speech: segment.kind == .speech,
                emotion: segment.probs.flatMap { TopLabel.of($0, in: voiceLabels ?? $0.keys.sorted()) })
        }
        let end = max(result.file.durationSeconds ?? 0, frames.last?.t ?? 0, segments.last?.t1 ?? 0)
        self.init(duration: end, frames: frames, segments: segments, labels: labels)
    }

    public var height: Double { Self.top + plotHeight + Self.gap + Self.bandHeight + 24 }
    var plotWidth: Double { width - Self.left - Self.right }

    /// Where time `t` is drawn: `left + t / duration × plot width`.
    public func x(_ t: Double) -> Double {
        guard duration > 0 else { return Self.left }
        return Self.left + min(max(t / duration, 0), 1) * plotWidth
    }

    /// A frame's bar's width: the plot shared among the frames, at most 24 and at least 2.
    var barWidth: Double { min(24, max(2, plotWidth / Double(max(frames.count, 1)) * 0.7)) }

    public var svg: String {
        var out =
            #"<svg xmlns="http://www.w3.org/2000/svg" class="timeline" width="\#(Markup.number(width))" "#
            + #"height="\#(Markup.number(height))" viewBox="0 0 \#(Markup.number(width)) \#(Markup.number(height))" "#
            + #"role="img" aria-label="emotions over time">"#
        let bottom = Self.top + plotHeight
        out += #"<rect x="\#(Self.left)" y="\#(Self.top)" width="\#(Markup.number(plotWidth))" "#
        out += #"height="\#(Markup.number(plotHeight))" fill="rgb(250,250,250)" stroke="rgb(221,221,221)"/>"#
        for frame in frames {
            let x = x(frame.t) - barWidth / 2
            if let probs = frame.probs {
                var y = bottom
                for label in labels {
                    let share = probs[label] ?? 0
                    guard share > 0 else { continue }
                    let h = share * plotHeight
                    y -= h
                    out += #"<rect class="face" data-emotion="\#(Markup.escaped(label))" x="\#(Markup.number(x))" "#
                    out +=
                        #"y="\#(Markup.number(y))" width="\#(Markup.number(barWidth))" height="\#(Markup.number(h))" "#
                    out += #"fill="\#(EmotionPalette.color(for: label))"><title>"#
                    out += Markup.escaped("\(Self.time(frame.t)): \(label) \(Int((share * 100).rounded()))%")
                    out += "</title></rect>"
                }
            } else {
                let reason = (frame.reason ?? "no_face").replacingOccurrences(of: "_", with: " ")
                out += #"<g class="rejected"><rect x="\#(Markup.number(x))" y="\#(Markup.number(bottom - 12))" "#
                out += #"width="\#(Markup.number(barWidth))" height="12" fill="\#(EmotionPalette.nothing)"/>"#
                out += #"<text x="\#(Markup.number(x + barWidth / 2))" y="\#(Markup.number(bottom - 16))" "#
                out += #"font-size="9" text-anchor="middle" fill="rgb(119,119,119)">×</text>"#
                out += "<title>\(Markup.escaped("\(Self.time(frame.t)): no face accepted (\(reason))"))</title></g>"
            }
        }
        let bandY = bottom + Self.gap
        out += #"<text x="2" y="\#(Markup.number(bandY + 15))" font-size="11" fill="rgb(85,85,85)">voice</text>"#
        out += #"<text x="2" y="\#(Markup.number(Self.top + 12))" font-size="11" fill="rgb(85,85,85)">face</text>"#
        for segment in segments where segment.t1 > segment.t0 {
            let x0 = x(segment.t0), x1 = x(segment.t1)
            let color = segment.emotion.map(EmotionPalette.color(for:)) ?? EmotionPalette.nothing
            let what = segment.speech ? "speech" + (segment.emotion.map { ", \($0)" } ?? "") : "not speech"
            out += #"<rect class="voice" data-emotion="\#(Markup.escaped(segment.emotion ?? ""))" "#
            out +=
                #"x="\#(Markup.number(x0))" y="\#(Markup.number(bandY))" width="\#(Markup.number(max(1, x1 - x0)))" "#
            out += #"height="\#(Self.bandHeight)" fill="\#(color)"><title>"#
            out += Markup.escaped("\(Self.time(segment.t0))–\(Self.time(segment.t1)): \(what)") + "</title></rect>"
        }
        let axisY = bandY + Self.bandHeight + 16
        for tick in Self.ticks(duration) {
            out += #"<text x="\#(Markup.number(x(tick)))" y="\#(Markup.number(axisY))" font-size="10" "#
            out += #"text-anchor="middle" fill="rgb(85,85,85)">\#(Self.time(tick))</text>"#
        }
        return out + "</svg>"
    }

    /// `m:ss.s` for a time in seconds.
    static func time(_ seconds: Double) -> String {
        let minutes = Int(seconds) / 60
        let rest = seconds - Double(minutes * 60)
        let text = String(Int(rest * 10) / 10) + "." + String(Int(rest * 10) % 10)
        return "\(minutes):" + (rest < 10 ? "0" : "") + text
    }

    /// About six round times from 0 to `duration`.
    static func ticks(_ duration: Double) -> [Double] {
        guard duration > 0 else { return [0] }
        let steps = [0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 1800, 3600]
        let step = steps.first { duration / $0 <= 6 } ?? 7200
        return stride(from: 0, through: duration, by: step).map { $0 }
    }
}
