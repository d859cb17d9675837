import Testing

@testable import WebBrowse

@Suite("HTML to text")
struct HTMLTextExtractorTests {
    private func extract(_ html: String, baseURL: String = "https://example.com/a/page.html") -> ExtractedPage {
        HTMLTextExtractor().extract(html: Array(html.utf8), charset: nil, baseURL: baseURL)
    }

    @Test func runsOfWhitespaceCollapseAndBlocksBreakLines() {
        let page = extract(
            """
            <body><div>  one
               two  </div><div><span>three</span> <b>four</b></div><p>five</p><section>six</section>
            seven<br>eight<br><br>nine</body>
            """)
        #expect(page.text == "one two\nthree four\n\nfive\n\nsix\nseven\neight\n\nnine")
    }

    @Test func headingsListsAndPreformattedTextKeepTheirShape() {
        let page = extract(
            """
            <h1>Top</h1><h3>Third <i>level</i></h3>
            <ol><li>first</li><li><p>second</p></li></ol>
            <pre>  keep   this
                indented
            </pre><p>after</p>
            """)
        #expect(page.text == "# Top\n\n### Third level\n\n- first\n- second\n\n  keep   this\n    indented\n\nafter")
    }

    @Test func tablesBecomeTabSeparatedRows() {
        let page = extract(
            "<table><tr><th>A</th><th>B</th><th>C</th></tr><tr><td>1</td><td></td><td><div>3</div> x</td></tr></table>")
        #expect(page.text == "A\tB\tC\n1\t\t3 x")
    }

    @Test func hiddenAndNonContentElementsAreDropped() {
        let page = extract(
            """
            <head><title>T</title><script>var a = 1;</script></head>
            <body>shown
            <p hidden>h1</p><p aria-hidden="TRUE">h2</p><p aria-hidden="false">visible</p>
            <p style="DISPLAY : NONE">h3</p><p style="visibility:hidden;">h4</p><p style="display:block">block</p>
            <script>h5</script><style>h6</style><noscript>h7</noscript><template>h8</template>
            <svg><text>h9</text></svg><iframe>h10</iframe><select><option>h11</option></select>
            <!-- h12 --></body>
            """)
        #expect(page.title == "T")
        #expect(page.text == "shown\n\nvisible\n\nblock")
    }

    @Test func linksResolveAgainstTheBaseElementWhenThereIsOne() {
        let page = extract(
            """
            <head><base href="/docs/v2/"></head>
            <body><a href="intro">Intro</a> <a href="https://example.com/docs/v2/intro#top">Intro again</a>
            <a href="">empty</a> <a>no href</a> <a href="data:text/html,hi">data</a>
            <a href="JavaScript:alert(1)">js</a> <a href="ftp://files.example/">ftp</a>
            <a href="/x" title="Titled"></a> <a href="HTTPS://Example.com/Y">upper</a></body>
            """)
        #expect(
            page.links == [
                PageLink(text: "Intro", url: "https://example.com/docs/v2/intro"),
                PageLink(text: "Titled", url: "https://example.com/x"),
                PageLink(text: "upper", url: "https://example.com/Y"),
            ])
    }

    @Test func entitiesDecodeAndBrokenMarkupIsRecovered() {
        let page = extract("<p>Fish &amp; chips &lt;3 &eacute;t&#233; &#x1F600;<p>unclosed <b>bold <i>both</b> end")
        #expect(page.text == "Fish & chips <3 été 😀\n\nunclosed bold both end")
    }

    @Test func deeplyNestedMarkupDoesNotExhaustTheStack() {
        let html = String(repeating: "<div>", count: 20_000) + "deep" + String(repeating: "</div>", count: 20_000)
        #expect(extract(html).text.contains("deep"))
    }

    @Test func emptyAndNonHTMLInputGivesEmptyText() {
        #expect(extract("").text == "")
        #expect(extract("just text").text == "just text")
    }
}
