/// Pages shaped like the ones models meet on the web: boilerplate around the content, markup hidden in several
/// ways, relative links, and a legacy character set.
enum FixturePages {
    /// A news article: a navigation bar, scripts and styles in head and body, hidden elements of every kind, a list,
    /// a data table and a code sample.
    static let article = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
          <meta charset="utf-8">
          <title>  Rust 2.0 &amp; the  borrow checker — Example News </title>
          <style>body { font-family: sans-serif } .ad { display: none }</style>
          <script>window.dataLayer = []; function track() { return "tracking-code"; }</script>
          <link rel="stylesheet" href="/site.css">
        </head>
        <body>
          <nav class="top">
            <a href="/">Home</a> | <a href="/world">World</a> | <a href="/tech">Technology</a>
          </nav>
          <header><p class="kicker">Technology</p></header>
          <main>
            <article>
              <h1>Rust 2.0 &amp; the borrow checker</h1>
              <p class="byline">By <a href="/authors/jane">Jane Doe</a>, 12 March 2025</p>
              <p>The   new release
                 makes the <b>borrow checker</b> smarter&nbsp;and <em>faster</em>.
                 Read the <a href="https://blog.rust-lang.org/release">release notes</a>.</p>
              <div hidden>Subscribe to our newsletter!</div>
              <div aria-hidden="true">Decorative quote mark</div>
              <p style="display: none">Hidden teaser text</p>
              <span style="color:red; visibility : hidden">Invisible span</span>
              <noscript>Please enable JavaScript.</noscript>
              <template><p>Template row</p></template>
              <svg viewBox="0 0 10 10"><title>Share icon</title><path d="M0 0"/></svg>
              <iframe src="https://ads.example/frame">Ad frame</iframe>
              <script>document.write("injected text");</script>
              <h2>What changed</h2>
              <ul>
                <li>Faster compile times</li>
                <li>Better   error messages
                  <ul><li>with suggestions</li></ul>
                </li>
              </ul>
              <table>
                <thead><tr><th>Version</th><th>Released</th></tr></thead>
                <tbody>
                  <tr><td>1.0</td><td>2015</td></tr>
                  <tr><td><p>2.0</p></td><td>2025</td></tr>
                </tbody>
              </table>
              <pre><code>fn main() {
            println!("hi");
        }</code></pre>
              <p>Line one<br>Line two</p>
            </article>
          </main>
          <footer><p>&copy; 2025 Example News</p></footer>
        </body>
        </html>
        """

    /// A documentation page served at `/docs/guide/index.html`, whose links are relative in every way a page
    /// writes them, with no `<base>` element.
    static let guide = """
        <html><head><title>Guide</title></head>
        <body>
          <h1>Guide</h1>
          <p>Start with the <a href="intro.html">introduction</a>, then read the
             <a href="../api/reference.html">API reference</a>.</p>
          <p><a href="/about">About us</a> · <a href="?page=2">Next page</a> ·
             <a href="//cdn.example.org/file.txt">Mirror</a> · <a href="https://other.example/">Elsewhere</a></p>
          <p><a href="#install">Jump to install</a> <a href="javascript:void(0)">Do nothing</a>
             <a href="mailto:team@example.com">Mail us</a></p>
          <p><a href="intro.html#part-2">Introduction, part 2</a>
             <a href="images/"><img src="logo.png" alt="Image gallery"></a>
             <a href=" chapter 2.html ">Chapter 2</a></p>
          <h2 id="install">Install</h2>
          <p>Run the installer.</p>
        </body></html>
        """

    /// A French page in ISO-8859-1: every accented letter is one byte, invalid as UTF-8.
    static func latin1(declaredInMeta: Bool) -> [UInt8] {
        let meta = declaredInMeta ? #"<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">"# : ""
        let html = """
            <html><head>\(meta)<title>Menu du café</title></head>
            <body><h1>Café crème</h1><p>Crème brûlée à la carte : 4,50 EUR.</p></body></html>
            """
        // Every character above is in Latin-1, so each scalar is exactly one byte.
        return html.unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) }
    }
}
