/// How a cell is drawn. Every emphasis also shows without colour (bold, reverse,
/// underline), so a vt100 terminal loses nothing that matters.
public struct Style: OptionSet, Sendable, Hashable {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public static let bold = Style(rawValue: 1 << 0)
    public static let reverse = Style(rawValue: 1 << 1)
    public static let underline = Style(rawValue: 1 << 2)
    public static let dim = Style(rawValue: 1 << 3)
    /// Colour hints, used only where the terminal has colours.
    public static let accent = Style(rawValue: 1 << 8)
    public static let danger = Style(rawValue: 1 << 9)
    public static let good = Style(rawValue: 1 << 10)
    public static let muted = Style(rawValue: 1 << 11)

    public static let plain: Style = []
}

public struct Cell: Sendable, Hashable {
    public var character: Character
    public var style: Style
    /// The right half of a two-column character drawn in the cell before.
    public var isContinuation: Bool
}

/// A cell as the grid keeps it: plain bits, so a grid is made, compared and
/// freed without touching each character's storage.
/// `code` is a Unicode scalar's value, or, for a character of several scalars,
/// `clusterBit` and its place in the grid's `clusters`.
struct StoredCell: Equatable {
    var code: UInt32
    var style: Style
    var isContinuation: Bool

    static let clusterBit: UInt32 = 1 << 31
    static let blank = StoredCell(code: 0x20, style: .plain, isContinuation: false)
}

/// Where the interface draws: a grid of cells. Views draw into a grid in
/// memory; the terminal copies the grid to the screen. Tests read the grid.
public struct CellGrid: Sendable, Equatable {
    public private(set) var rows: Int
    public private(set) var columns: Int
    private var cells: [StoredCell]
    private var clusters: [Character] = []
    public var cursor: (row: Int, column: Int)?

    public init(rows: Int, columns: Int) {
        self.rows = max(0, rows)
        self.columns = max(0, columns)
        self.cells = [StoredCell](repeating: .blank, count: self.rows * self.columns)
    }

    public static func == (a: CellGrid, b: CellGrid) -> Bool {
        guard a.rows == b.rows, a.columns == b.columns, a.cursor?.row == b.cursor?.row,
            a.cursor?.column == b.cursor?.column
        else { return false }
        return (0..<a.rows).allSatisfy { row in (0..<a.columns).allSatisfy { a[row, $0] == b[row, $0] } }
    }

    public subscript(row: Int, column: Int) -> Cell {
        let stored = cells[row * columns + column]
        return Cell(character: character(stored.code), style: stored.style, isContinuation: stored.isContinuation)
    }

    private func character(_ code: UInt32) -> Character {
        if code & StoredCell.clusterBit != 0 { return clusters[Int(code & ~StoredCell.clusterBit)] }
        return Character(Unicode.Scalar(code) ?? "\u{FFFD}")
    }

    /// The code that stores `character`, adding it to `clusters` if it has
    /// several scalars.
    private mutating func code(of character: Character) -> UInt32 {
        let scalars = character.unicodeScalars
        if let only = scalars.first, scalars.index(after: scalars.startIndex) == scalars.endIndex { return only.value }
        clusters.append(character)
        return StoredCell.clusterBit | UInt32(clusters.count - 1)
    }

    /// Whether `row` holds the same cells as in `earlier` (a grid of the same
    /// width), scalar for scalar: the terminal rewrites only the rows for
    /// which it does not.
    public func rowIsUnchanged(_ row: Int, since earlier: CellGrid) -> Bool {
        guard columns == earlier.columns, row >= 0, row < rows, row < earlier.rows else { return false }
        let start = row * columns
        for index in start..<(start + columns) {
            let now = cells[index], before = earlier.cells[index]
            if now == before, now.code & StoredCell.clusterBit == 0 { continue }
            guard now.style == before.style, now.isContinuation == before.isContinuation,
                character(now.code).unicodeScalars.elementsEqual(earlier.character(before.code).unicodeScalars)
            else { return false }
        }
        return true
    }

    /// Writes sanitized text from `column`, clipped at `limit` (default: the right
    /// edge). A wide character that would straddle the limit is not drawn.
    /// Returns the column after the text.
    @discardableResult
    public mutating func put(_ text: String, row: Int, column: Int, style: Style = .plain, limit: Int? = nil) -> Int {
        guard row >= 0, row < rows else { return column }
        let end = min(limit ?? columns, columns)
        var x = max(0, column)
        if DisplayWidth.isPrintableASCII(text) {
            // Most of what is drawn: one column per byte.
            for byte in text.utf8 {
                guard x < end else { break }
                cells[row * columns + x] = StoredCell(code: UInt32(byte), style: style, isContinuation: false)
                x += 1
            }
            return x
        }
        if DisplayWidth.isSimple(text) {
            // One column per scalar, nothing to sanitize: see `DisplayWidth.isSimple`.
            for scalar in text.unicodeScalars {
                guard x < end else { break }
                cells[row * columns + x] = StoredCell(code: scalar.value, style: style, isContinuation: false)
                x += 1
            }
            return x
        }
        return putCharacters(text, row: row, from: x, end: end, style: style)
    }

    /// Draws character by character, with grapheme breaking and sanitizing:
    /// the slow path, and what the fast paths must agree with.
    mutating func putCharacters(_ text: String, row: Int, from column: Int, end: Int, style: Style) -> Int {
        var x = column
        for character in TerminalText.sanitize(text) {
            if character == "\n" { break }
            let width = DisplayWidth.of(character)
            if width == 0 { continue }
            guard x + width <= end else { break }
            cells[row * columns + x] = StoredCell(code: code(of: character), style: style, isContinuation: false)
            if width == 2 { cells[row * columns + x + 1] = StoredCell(code: 0x20, style: style, isContinuation: true) }
            x += width
        }
        return x
    }

    /// Draws `count` copies of `character` from `column` (rules and bars),
    /// without building the string first. Returns the column after them.
    @discardableResult
    public mutating func put(
        repeating character: Character, count: Int, row: Int, column: Int, style: Style = .plain
    ) -> Int {
        guard DisplayWidth.of(character) == 1, !character.unicodeScalars.contains(where: TerminalText.isUnsafe) else {
            return put(String(repeating: character, count: max(0, count)), row: row, column: column, style: style)
        }
        guard row >= 0, row < rows else { return column }
        // As `put` with the repeated string: drawn from the first visible column.
        var x = max(0, column)
        let end = min(columns, x + max(0, count))
        guard x < end else { return x }
        let cell = StoredCell(code: code(of: character), style: style, isContinuation: false)
        while x < end {
            cells[row * columns + x] = cell
            x += 1
        }
        return x
    }

    /// Fills a row segment with spaces in a style (for bars and highlights).
    public mutating func fill(row: Int, from: Int = 0, to: Int? = nil, style: Style) {
        guard row >= 0, row < rows else { return }
        for x in max(0, from)..<min(to ?? columns, columns) {
            cells[row * columns + x] = StoredCell(code: 0x20, style: style, isContinuation: false)
        }
    }

    /// Adds a style to cells already drawn.
    public mutating func emphasize(row: Int, from: Int, to: Int, style: Style) {
        guard row >= 0, row < rows else { return }
        for x in max(0, from)..<min(to, columns) { cells[row * columns + x].style.formUnion(style) }
    }

    /// The grid as text, one line per row, trailing spaces removed.
    public var text: String {
        (0..<rows).map { line($0) }.joined(separator: "\n")
    }

    public func line(_ row: Int) -> String {
        var result = ""
        for x in 0..<columns where !self[row, x].isContinuation {
            result.append(self[row, x].character)
        }
        while result.last == " " { result.removeLast() }
        return result
    }

    /// The grid with styles marked, for snapshots: `[text]` is reverse video,
    /// `*text*` bold, `_text_` underlined (outermost first), `!text!` danger.
    public var styledText: String {
        (0..<rows).map { row in
            var result = ""
            var current: Style = .plain
            let marks: [(style: Style, open: String, close: String)] = [
                (.danger, "!", "!"), (.reverse, "[", "]"), (.bold, "*", "*"), (.underline, "_", "_"),
            ]
            func markers(_ style: Style) -> String {
                marks.filter { style.contains($0.style) }.map(\.open).joined()
            }
            func closers(_ style: Style) -> String {
                marks.reversed().filter { style.contains($0.style) }.map(\.close).joined()
            }
            let visible: Style = [.danger, .reverse, .bold, .underline]
            for x in 0..<columns where !self[row, x].isContinuation {
                let cell = self[row, x]
                let style = cell.style.intersection(visible)
                if style != current {
                    result += closers(current) + markers(style)
                    current = style
                }
                result.append(cell.character)
            }
            result += closers(current)
            while result.last == " " { result.removeLast() }
            return result
        }.joined(separator: "\n")
    }
}
