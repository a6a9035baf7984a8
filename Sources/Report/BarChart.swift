/// Shares as horizontal bars, one row per label in the emotion's colour, as inline SVG: the
/// spread of a file's face, voice and fused probabilities, or of a batch's answers.
public struct BarChart: Sendable {
    /// The rows, top to bottom: a label and its value.
    public var rows: [(label: String, value: Double)]
    /// The value of a full bar (1 for probabilities, the largest count for counts).
    public var scale: Double
    /// How a value is written beside its bar.
    public var format: @Sendable (Double) -> String
    /// One colour for every bar (a histogram); nil: each label's emotion colour.
    public var color: String?
    public var width = 420.0
    static let rowHeight = 18.0, labelWidth = 90.0, valueWidth = 60.0

    public init(
        rows: [(label: String, value: Double)], scale: Double? = nil,
        format: @escaping @Sendable (Double) -> String = { "\(Int(($0 * 100).rounded()))%" }
    ) {
        self.rows = rows
        self.scale = scale ?? max(rows.map(\.value).max() ?? 1, 1e-9)
        self.format = format
    }

    /// `probs` in `labels`' order (those absent count 0).
    public init(probs: [String: Double], labels: [String]) {
        self.init(rows: labels.map { ($0, probs[$0] ?? 0) }, scale: 1)
    }

    public var svg: String {
        let height = Double(rows.count) * Self.rowHeight + 4
        let barSpace = width - Self.labelWidth - Self.valueWidth
        var out =
            #"<svg xmlns="http://www.w3.org/2000/svg" class="bars" width="\#(Markup.number(width))" "#
            + #"height="\#(Markup.number(height))" viewBox="0 0 \#(Markup.number(width)) \#(Markup.number(height))">"#
        for (index, row) in rows.enumerated() {
            let y = Double(index) * Self.rowHeight + 2
            let length = scale > 0 ? max(0, min(1, row.value / scale)) * barSpace : 0
            out += #"<text x="\#(Markup.number(Self.labelWidth - 6))" y="\#(Markup.number(y + 13))" font-size="12" "#
            out += #"text-anchor="end">\#(Markup.escaped(row.label))</text>"#
            out += #"<rect x="\#(Self.labelWidth)" y="\#(Markup.number(y + 2))" width="\#(Markup.number(length))" "#
            out += #"height="\#(Self.rowHeight - 5)" fill="\#(color ?? EmotionPalette.color(for: row.label))"/>"#
            out += #"<text x="\#(Markup.number(Self.labelWidth + length + 4))" y="\#(Markup.number(y + 13))" "#
            out += #"font-size="11" fill="rgb(68,68,68)">\#(Markup.escaped(format(row.value)))</text>"#
        }
        return out + "</svg>"
    }
}
