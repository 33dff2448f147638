import ClinterviewCore

/// How many terminal columns text takes, without asking the C library (whose
/// answer depends on the locale): East Asian wide and fullwidth characters and
/// emoji take 2, combining marks and format characters 0, the rest 1.
public enum DisplayWidth {
    public static func of(_ character: Character) -> Int {
        if let ascii = character.asciiValue { return ascii < 0x20 || ascii == 0x7F ? 0 : 1 }
        let scalars = character.unicodeScalars
        guard let first = scalars.first else { return 0 }
        if scalars.contains(where: { $0.properties.isEmojiPresentation })
            || (scalars.count > 1 && scalars.contains("\u{FE0F}") && first.properties.isEmoji)
        {
            return 2
        }
        return of(first)
    }

    public static func of(_ scalar: Unicode.Scalar) -> Int {
        let value = scalar.value
        if value < 0x20 || (0x7F..<0xA0).contains(value) { return 0 }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        if value == 0x200B { return 0 }
        return isWide(value) ? 2 : 1
    }

    public static func of(_ text: some StringProtocol) -> Int {
        if isPrintableASCII(text) { return text.utf8.count }
        if isSimple(text) { return text.unicodeScalars.count }
        return ofCharacters(text)
    }

    /// Whether every byte is printable ASCII: then every byte is a character
    /// one column wide, and text can be measured, cut and drawn on its bytes.
    static func isPrintableASCII(_ text: some StringProtocol) -> Bool {
        text.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
    }

    /// The width character by character, with grapheme breaking: the slow
    /// path, and what the fast paths must agree with.
    static func ofCharacters(_ text: some StringProtocol) -> Int {
        text.reduce(0) { $0 + of($1) }
    }

    /// Whether every scalar of `text` is printable ASCII or from ranges of
    /// one-column characters that never combine with their neighbours
    /// (precomposed Latin letters, punctuation, currency, arrows, ⏎, box
    /// drawing and blocks). Then every scalar is one character, one column wide, and safe
    /// to draw: the interface's own frames and bars and most European text
    /// need no grapheme breaking.
    static func isSimple(_ text: some StringProtocol) -> Bool {
        text.unicodeScalars.allSatisfy { scalar in
            switch scalar.value {
            case 0x20...0x7E, 0xA0...0xAC, 0xAE...0x2FF, 0x2010...0x2027, 0x2030...0x205E, 0x20A0...0x20BF,
                0x2190...0x21FF, 0x23CE, 0x2500...0x259F:
                true
            default: false
            }
        }
    }

    static func isWide(_ v: UInt32) -> Bool {
        switch v {
        case 0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x23E9...0x23EC, 0x23F0, 0x23F3, 0x25FD...0x25FE,
            0x2614...0x2615, 0x2648...0x2653, 0x267F, 0x2693, 0x26A1, 0x26AA...0x26AB, 0x26BD...0x26BE, 0x26C4...0x26C5,
            0x26CE, 0x26D4, 0x26EA, 0x26F2...0x26F3, 0x26F5, 0x26FA, 0x26FD, 0x2705, 0x270A...0x270B, 0x2728, 0x274C,
            0x274E, 0x2753...0x2755, 0x2757, 0x2795...0x2797, 0x27B0, 0x27BF, 0x2B1B...0x2B1C, 0x2B50, 0x2B55,
            0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF, 0xA960...0xA97F,
            0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F, 0xFF00...0xFF60, 0xFFE0...0xFFE6,
            0x16FE0...0x16FE4, 0x17000...0x18CFF, 0x1B000...0x1B2FF, 0x1F004, 0x1F0CF, 0x1F18E, 0x1F191...0x1F19A,
            0x1F200...0x1F251, 0x1F300...0x1F64F, 0x1F680...0x1F6FF, 0x1F7E0...0x1F7EB, 0x1F90C...0x1F9FF,
            0x1FA70...0x1FAFF, 0x20000...0x2FFFD, 0x30000...0x3FFFD:
            return true
        default:
            return false
        }
    }
}

/// Text from interview files, notes and client ids, made safe for a terminal:
/// control characters (escape sequences among them) become visible symbols.
public enum TerminalText {
    public static func sanitize(_ text: String) -> String {
        if !text.unicodeScalars.contains(where: { $0 == "\t" || ($0 != "\n" && isUnsafe($0)) }) { return text }
        var result = ""
        for character in text {
            if character == "\n" || character == "\t" {
                result.append(character == "\t" ? " " : "\n")
                continue
            }
            if character.unicodeScalars.contains(where: isUnsafe) {
                result.append("\u{FFFD}")
            } else {
                result.append(character)
            }
        }
        return result
    }

    /// Control characters, and the line and paragraph separators and bidirectional
    /// controls that could rearrange what the screen shows.
    static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool { VisibleText.isUnsafe(scalar) }

    /// Cuts `text` to at most `width` columns, ending with … when cut.
    public static func clip(_ text: String, to width: Int) -> String {
        guard width > 0 else { return "" }
        if DisplayWidth.isPrintableASCII(text) {
            // A column per byte: cut without walking characters.
            return text.utf8.count <= width ? text : String(decoding: text.utf8.prefix(width - 1), as: UTF8.self) + "…"
        }
        return clipCharacters(text, to: width)
    }

    static func clipCharacters(_ text: String, to width: Int) -> String {
        guard width > 0 else { return "" }
        if DisplayWidth.of(text) <= width { return text }
        var result = ""
        var used = 0
        for character in text {
            let w = DisplayWidth.of(character)
            if used + w > width - 1 { break }
            result.append(character)
            used += w
        }
        return result + "…"
    }

    /// Breaks text into lines of at most `width` columns, at spaces where it can;
    /// explicit newlines are kept.
    public static func wrap(_ text: String, width: Int) -> [String] {
        guard width > 0 else { return [] }
        return wrapPrintableASCII(text, width: width) ?? wrapCharacters(text, width: width)
    }

    /// `wrapCharacters` for text of printable ASCII and newlines, most prompts,
    /// on its bytes: there every byte is a character one column wide. Each new
    /// item's prompt is wrapped on the answer key's path. Nil for any other text.
    static func wrapPrintableASCII(_ text: String, width: Int) -> [String]? {
        guard width > 0 else { return [] }
        var text = text
        return text.withUTF8 { bytes -> [String]? in
            guard bytes.allSatisfy({ ($0 >= 0x20 && $0 < 0x7F) || $0 == 0x0A }) else { return nil }
            var lines: [String] = []
            for paragraph in bytes.split(separator: 0x0A, omittingEmptySubsequences: false) {
                var line: [UInt8] = []
                for whole in paragraph.split(separator: 0x20, omittingEmptySubsequences: true) {
                    var word = whole[...]
                    if !line.isEmpty, line.count + 1 + word.count <= width {
                        line.append(0x20)
                        line += word
                        continue
                    }
                    if !line.isEmpty { lines.append(String(decoding: line, as: UTF8.self)) }
                    // A word longer than the line is broken by characters.
                    while word.count > width {
                        lines.append(String(decoding: word.prefix(width), as: UTF8.self))
                        word = word.dropFirst(width)
                    }
                    line = Array(word)
                }
                lines.append(String(decoding: line, as: UTF8.self))
            }
            return lines
        }
    }

    static func wrapCharacters(_ text: String, width: Int) -> [String] {
        guard width > 0 else { return [] }
        var lines: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = ""
            var lineWidth = 0
            for word in paragraph.split(separator: " ", omittingEmptySubsequences: true) {
                var word = String(word)
                var wordWidth = DisplayWidth.of(word)
                if lineWidth > 0, lineWidth + 1 + wordWidth <= width {
                    line += " " + word
                    lineWidth += 1 + wordWidth
                    continue
                }
                if lineWidth > 0 {
                    lines.append(line)
                    line = ""
                    lineWidth = 0
                }
                // A word longer than the line is broken by characters.
                while wordWidth > width {
                    var head = ""
                    var headWidth = 0
                    var rest = Substring(word)
                    while let character = rest.first, headWidth + DisplayWidth.of(character) <= width {
                        head.append(character)
                        headWidth += DisplayWidth.of(character)
                        rest = rest.dropFirst()
                    }
                    if head.isEmpty { break }
                    lines.append(head)
                    word = String(rest)
                    wordWidth = DisplayWidth.of(word)
                }
                line = word
                lineWidth = wordWidth
            }
            lines.append(line)
        }
        return lines
    }
}
