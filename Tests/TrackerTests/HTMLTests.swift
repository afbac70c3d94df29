import Testing
import Tracker

@Suite("HTML is safe by construction")
struct HTMLTests {
    @Test("interpolated text is escaped; the literal's markup is kept")
    func escapes() {
        let name = #"<script>alert("x")</script> & 'Sigur Rós'"#
        let cell: HTML = "<td title=\"\(name)\">\(name)</td>"
        #expect(
            cell.markup == "<td title=\"&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;Sigur Rós&#39;\">"
                + "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;Sigur Rós&#39;</td>")
    }

    @Test("HTML in HTML is kept as it is, never escaped twice")
    func nested() {
        let name = "Tom & Jerry"
        let link: HTML = "<a href=\"/a?x=1&amp;y=2\">\(name)</a>"
        let row: HTML = "<tr><td>\(link)</td><td>\(3)</td><td>\(2.5)</td></tr>"
        #expect(row.markup == "<tr><td><a href=\"/a?x=1&amp;y=2\">Tom &amp; Jerry</a></td><td>3</td><td>2.5</td></tr>")
        let missing: HTML? = nil
        #expect(("<p>\(missing)</p>" as HTML).markup == "<p></p>")
    }

    @Test("pieces join, with separators that are markup")
    func joins() {
        let items = ["a<b", "c"].map { "<li>\($0)</li>" as HTML }
        #expect(items.joined(separator: "\n").markup == "<li>a&lt;b</li>\n<li>c</li>")
        var page: HTML = "<ul>"
        page += items.joined()
        #expect((page + "</ul>").markup == "<ul><li>a&lt;b</li><li>c</li></ul>")
        #expect(HTML(text: "<b>").markup == "&lt;b&gt;" && HTML(unescaped: "<b>").markup == "<b>")
    }
}
