/// The style sheet every report carries inline (a report is one file, read offline or from
/// e-mail): plain, printable, a chart never split across pages.
enum ReportStyle {
    static let css = """
        body { font-family: system-ui, -apple-system, "DejaVu Sans", sans-serif; margin: 24px; color: #222; }
        h1 { font-size: 20px; margin: 0 0 4px; word-break: break-all; }
        h2 { font-size: 16px; margin: 24px 0 8px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
        table { border-collapse: collapse; font-size: 13px; }
        td, th { padding: 3px 8px; border-bottom: 1px solid #eee; text-align: left; vertical-align: top; }
        th { background: #f4f4f4; }
        .facts td:first-child { color: #666; }
        .answer { font-size: 15px; }
        .answer b { font-size: 18px; }
        .swatch { display: inline-block; width: 10px; height: 10px; margin-right: 4px; border-radius: 2px; }
        .chart, svg, table, .answer { break-inside: avoid; page-break-inside: avoid; }
        .warnings li { color: #8a4b00; }
        .muted { color: #777; font-size: 12px; }
        .failed { color: #b00020; }
        .grid { display: flex; flex-wrap: wrap; gap: 24px; }
        th[data-sort] { cursor: pointer; }
        code { font-size: 11px; word-break: break-all; }
        .models { table-layout: fixed; width: 100%; }
        .models td { word-break: break-word; }
        """
}
