import Testing

@testable import ClinterviewTerminal

/// Widths, sanitizing and drawing have a fast path for printable ASCII; each
/// case here is measured both ways: the whole text, and character by character.
@Suite struct TerminalTextTests {
    /// Text, the width of the sanitized text, and the sanitized text.
    static let texts: [(text: String, width: Int, sanitized: String)] = [
        ("plain ASCII text", 16, "plain ASCII text"),
        ("", 0, ""),
        ("tab\there", 7, "tab here"),
        ("bell\u{07}", 5, "bell\u{FFFD}"),
        ("esc\u{1B}[31m", 8, "esc\u{FFFD}[31m"),
        ("del\u{7F}", 4, "del\u{FFFD}"),
        ("C1 \u{85}", 4, "C1 \u{FFFD}"),
        ("bidi \u{202E}abc", 9, "bidi \u{FFFD}abc"),
        ("line\u{2028}sep", 8, "line\u{FFFD}sep"),
        ("日本語", 6, "日本語"),
        ("Ärger über Öl", 13, "Ärger über Öl"),
        ("e\u{301}", 1, "e\u{301}"),
        ("😀!", 3, "😀!"),
        ("──│", 3, "──│"),
        ("new\nline", 7, "new\nline"),
    ]

    @Test(arguments: texts.indices)
    func widthAndSanitizing(_ index: Int) {
        let (text, width, sanitized) = Self.texts[index]
        #expect(TerminalText.sanitize(text) == sanitized)
        let sanitizedWidth = DisplayWidth.of(sanitized)
        #expect(sanitizedWidth == sanitized.reduce(0) { $0 + DisplayWidth.of($1) })
        if !text.contains("\t") && !text.contains("\n") { #expect(sanitizedWidth == width, "\(text)") }
    }

    @Test func drawingPutsOneCellPerColumnAndStopsAtTheLimit() {
        var grid = CellGrid(rows: 2, columns: 10)
        #expect(grid.put("abcdefghijkl", row: 0, column: 2) == 10)
        #expect(grid.line(0) == "  abcdefgh")
        #expect(grid.put("日本語x", row: 1, column: 0, limit: 5) == 4)
        #expect(grid.line(1) == "日本")
        #expect(grid[1, 1].isContinuation)
        var controls = CellGrid(rows: 1, columns: 10)
        controls.put("a\u{1B}b\tc", row: 0, column: 0)
        #expect(controls.line(0) == "a\u{FFFD}b c")
    }

    /// Text made only of printable ASCII and non-combining one-column characters
    /// (European letters, punctuation, box drawing) is drawn scalar by scalar:
    /// random texts mixing those with marks, emoji, wide and control characters
    /// must measure and draw exactly as character by character.
    @Test func simpleTextFastPathAgreesWithCharacters() {
        let pieces = [
            "a", " ", "Ä", "ß", "é", "–", "’", "…", "€", "│", "─", "█", "░", "›", "\u{A0}", "↑", "⏎", "↔", "ʼ",
            "e\u{301}", "\u{301}", "日", "😀", "\u{1B}", "\t", "\n", "\u{2028}", "\u{200B}", "\u{7F}", "🇩🇪",
            "\u{AD}", "©", "‼", "↔\u{FE0F}", "⌚", "\u{2329}",
        ]
        var state: UInt64 = 2026
        func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }
        var simple = 0
        for _ in 0..<3_000 {
            // Half the texts from the first 19 pieces only, which are all simple.
            let range = next(2) == 0 ? 19 : pieces.count
            let text = (0..<next(14)).map { _ in pieces[next(range)] }.joined()
            if DisplayWidth.isSimple(text) { simple += 1 }
            #expect(DisplayWidth.of(text) == DisplayWidth.ofCharacters(text), "\(text.debugDescription)")
            for limit in [12, 5] {
                var fast = CellGrid(rows: 1, columns: 12)
                var slow = CellGrid(rows: 1, columns: 12)
                let fastEnd = fast.put(text, row: 0, column: 1, limit: limit)
                let slowEnd = slow.putCharacters(text, row: 0, from: 1, end: limit, style: .plain)
                #expect(fastEnd == slowEnd && fast == slow, "\(text.debugDescription) limit \(limit)")
            }
        }
        #expect(simple > 1_000)
    }

    /// Rules and bars are drawn as repeated characters without building the
    /// string: the same cells as drawing the repeated string, for one-column,
    /// wide and unsafe characters, anywhere on the row.
    @Test func repeatedCharactersDrawAsTheRepeatedString() {
        for character: Character in ["─", "█", "x", "日", "\u{2028}", "\u{1B}", "e\u{301}"] {
            for (column, count) in [(0, 5), (3, 20), (-4, 6), (9, 3), (12, 2), (2, 0)] {
                var fast = CellGrid(rows: 1, columns: 10)
                var slow = CellGrid(rows: 1, columns: 10)
                let fastEnd = fast.put(repeating: character, count: count, row: 0, column: column)
                let slowEnd = slow.put(String(repeating: character, count: count), row: 0, column: column)
                #expect(fastEnd == slowEnd && fast == slow, "\(character.debugDescription) at \(column), \(count)")
            }
        }
    }

    /// Prompts of printable ASCII are wrapped on their bytes: the same lines as
    /// wrapping by characters, for every combination of a few words, spaces,
    /// newlines and long words, at every width from 1 to 24.
    @Test func printableASCIIWrapsAsCharactersDo() {
        let pieces = ["a", "word", "  ", " ", "\n", "\n\n", "longerthanmostlines", "x.", "two words", "12345678"]
        var texts: [String] = [""]
        for first in pieces {
            for second in pieces {
                for third in pieces { texts.append(first + second + third) }
            }
        }
        for text in texts {
            for width in 1...24 {
                let bytewise = TerminalText.wrapPrintableASCII(text, width: width)
                #expect(
                    bytewise == TerminalText.wrapCharacters(text, width: width), "\(text.debugDescription) at \(width)")
            }
        }
        for other in ["é", "tab\there", "日本", "cr\r\nlf", "\u{7F}"] {
            #expect(TerminalText.wrapPrintableASCII(other, width: 10) == nil, "\(other.debugDescription)")
        }
    }

    /// Printable ASCII is clipped on its bytes: the same text as clipping by
    /// characters, at every width.
    @Test func printableASCIIClipsAsCharactersDo() {
        for text in ["", "a", "exactly ten", "Latency benchmark (150 ratings)", " client bench "] {
            for width in 0...34 {
                #expect(
                    TerminalText.clip(text, to: width) == TerminalText.clipCharacters(text, to: width),
                    "\(text.debugDescription) at \(width)")
            }
        }
        #expect(TerminalText.clip("abc│def", to: 5) == "abc│…")
        #expect(TerminalText.clip("日本語", to: 4) == "日…")
    }
}
