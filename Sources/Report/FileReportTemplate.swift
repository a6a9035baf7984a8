/// The per-file page, in Mustache: `{{ }}` escapes what it writes (file names are user input);
/// only the SVG charts, which Swift builds with their own escaping, go in unescaped (`{{{ }}}`).
enum FileReportTemplate {
    static let text = """
        {{> head}}
        <body>
        <h1>{{title}}</h1>
        <div class="muted">emoscan report</div>
        {{#failed}}<p class="failed">The analysis failed: {{error}}</p>{{/failed}}

        <h2>The answer</h2>
        <table class="answer">
        {{#answers}}<tr><td>{{name}}</td><td><span class="swatch" style="background:{{color}}"></span><b>{{emotion}}</b></td><td>confidence {{confidence}}</td></tr>
        {{/answers}}
        </table>
        <p>Fusion: {{fusion}}.</p>

        <h2>Over time</h2>
        <div class="chart">{{{timeline}}}</div>
        <div class="muted">
        {{#legend}}<span><span class="swatch" style="background:{{color}}"></span>{{label}}</span> {{/legend}}
        <span><span class="swatch" style="background:#c8c8c8"></span>no face accepted, or not speech (× marks a frame and its reason)</span>
        </div>

        <h2>Spread</h2>
        <div class="grid">
        {{#charts}}<div class="chart"><div>{{title}}</div>{{{svg}}}</div>
        {{/charts}}
        </div>

        {{#hasWarnings}}
        <h2>Warnings</h2>
        <ul class="warnings">{{#warnings}}<li>{{.}}</li>{{/warnings}}</ul>
        {{/hasWarnings}}

        <h2>The file</h2>
        <table class="facts">
        {{#facts}}<tr><td>{{name}}</td><td>{{value}}</td></tr>
        {{/facts}}
        </table>

        <h2>Models</h2>
        <table class="models">
        <tr><th>role</th><th>name</th><th>sha256</th><th>source and licence</th></tr>
        {{#models}}<tr><td>{{role}}</td><td>{{name}}</td><td><code>{{sha256}}</code></td><td>{{source}}</td></tr>
        {{/models}}
        </table>
        </body>
        </html>
        """
}
