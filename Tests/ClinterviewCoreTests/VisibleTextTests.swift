import Testing

@testable import ClinterviewCore

@Suite struct VisibleTextTests {
    @Test func controlsAndBidiOverridesAreShownNotSent() {
        #expect(VisibleText.escaped("a\u{1B}]52;c;aGk=\u{07}b") == "a<U+001B>]52;c;aGk=<U+0007>b")
        #expect(VisibleText.escaped("x\u{202E}y\u{2066}z\u{9B}") == "x<U+202E>y<U+2066>z<U+009B>")
        #expect(VisibleText.escaped("line\nfake\rover") == "line<U+000A>fake<U+000D>over")
        #expect(VisibleText.escaped("line\nnext", keepingNewlines: true) == "line\nnext")
        #expect(VisibleText.escaped("plain é 日 😀") == "plain é 日 😀")
    }
}
