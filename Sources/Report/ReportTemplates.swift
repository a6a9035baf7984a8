import Mustache

/// The report pages' templates in one Mustache library, so that every page opens with the same
/// `head` partial: the document type, the character set, its title (`pageTitle`) and the style
/// sheet (`css`), inline.
enum ReportTemplates {
    static let head = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{pageTitle}}</title>
        <style>{{{css}}}</style>
        </head>
        """

    static let library: MustacheLibrary = {
        var library = MustacheLibrary()
        do {
            try library.register(head, named: "head")
            try library.register(FileReportTemplate.text, named: "file")
            try library.register(BatchReportTemplate.text, named: "batch")
        } catch {
            preconditionFailure("a report template does not parse: \(error)")
        }
        return library
    }()

    /// The page `name` (`file` or `batch`) filled from `context`.
    static func render(_ context: [String: Any], page name: String) -> String {
        guard let html = library.render(context, withTemplate: name) else {
            preconditionFailure("no report template named \(name)")
        }
        return html
    }
}
