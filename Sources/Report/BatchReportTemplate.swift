/// The batch page, in Mustache (`{{ }}` escapes every value; the charts go in as SVG). Its one
/// script sorts the table by a column when its header is clicked; without it the table reads
/// the same, in the order that puts the files to look at first.
enum BatchReportTemplate {
    static let text = """
        {{> head}}
        <body>
        <h1>{{title}}</h1>
        <div class="muted">emoscan batch report</div>
        <p>{{total}} files: {{okCount}} analysed, <span class="{{#hasFailures}}failed{{/hasFailures}}">{{failedCount}} failed</span>. Analysed {{span}}.</p>

        <div class="grid">
        <div class="chart"><h2>Fused emotions</h2>{{{emotions}}}</div>
        <div class="chart"><h2>Confidence</h2>{{{confidence}}}</div>
        </div>

        {{#hasFailures}}
        <h2>Failures, by reason</h2>
        <table>
        {{#failures}}<tr><td class="failed">{{reason}}</td><td>{{count}}</td><td>{{#files}}{{file}}<br>{{/files}}{{more}}</td></tr>
        {{/failures}}
        </table>
        {{/hasFailures}}

        <h2>Files</h2>
        <div class="muted">Failures first, then the least confident. Click a heading to sort.</div>
        <table id="files">
        <thead><tr><th data-sort="text">file</th><th data-sort="text">status</th><th data-sort="text">emotion</th><th data-sort="number">confidence</th><th data-sort="number">duration (s)</th><th data-sort="text">frames accepted</th><th data-sort="number">warnings</th></tr></thead>
        <tbody>
        {{#rows}}<tr><td>{{#report}}<a href="{{report}}">{{file}}</a>{{/report}}{{^report}}{{file}}{{/report}}</td><td{{#failed}} class="failed"{{/failed}}>{{status}}</td><td><span class="swatch" style="background:{{color}}"></span>{{emotion}}</td><td>{{confidence}}</td><td>{{duration}}</td><td>{{frames}}</td><td>{{warnings}}</td></tr>
        {{/rows}}
        </tbody>
        </table>
        <script>
        document.querySelectorAll("#files th").forEach(function (th, column) {
          th.addEventListener("click", function () {
            var body = document.querySelector("#files tbody");
            var rows = Array.prototype.slice.call(body.rows);
            var numeric = th.dataset.sort === "number";
            var down = th.dataset.down !== "1";
            th.dataset.down = down ? "1" : "0";
            rows.sort(function (a, b) {
              var x = a.cells[column].textContent, y = b.cells[column].textContent;
              var order = numeric ? (parseFloat(x) || 0) - (parseFloat(y) || 0) : x.localeCompare(y);
              return down ? order : -order;
            });
            rows.forEach(function (row) { body.appendChild(row); });
          });
        });
        </script>
        </body>
        </html>
        """
}
