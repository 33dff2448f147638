import Foundation

/// A multi-line editor for notes: wide characters, arrows, home, end, newlines.
public struct TextArea: Sendable, Equatable {
    public private(set) var lines: [[Character]] = [[]]
    public private(set) var row = 0
    public private(set) var column = 0

    public init(_ text: String = "") {
        lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0) }
        if lines.isEmpty { lines = [[]] }
        row = lines.count - 1
        column = lines[row].count
    }

    public var text: String { lines.map { String($0) }.joined(separator: "\n") }
    public var isBlank: Bool { text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }

    public mutating func handle(_ key: Key) -> Bool {
        switch key {
        case .enter:
            let rest = Array(lines[row][column...])
            lines[row].removeSubrange(column...)
            lines.insert(rest, at: row + 1)
            row += 1
            column = 0
        case .character(let character):
            lines[row].insert(character, at: column)
            column += 1
        case .backspace:
            if column > 0 {
                lines[row].remove(at: column - 1)
                column -= 1
            } else if row > 0 {
                column = lines[row - 1].count
                lines[row - 1] += lines[row]
                lines.remove(at: row)
                row -= 1
            }
        case .delete:
            if column < lines[row].count {
                lines[row].remove(at: column)
            } else if row + 1 < lines.count {
                lines[row] += lines[row + 1]
                lines.remove(at: row + 1)
            }
        case .left:
            if column > 0 { column -= 1 } else if row > 0 { row -= 1; column = lines[row].count }
        case .right:
            if column < lines[row].count { column += 1 } else if row + 1 < lines.count { row += 1; column = 0 }
        case .up:
            if row > 0 { row -= 1; column = min(column, lines[row].count) }
        case .down:
            if row + 1 < lines.count { row += 1; column = min(column, lines[row].count) }
        case .home: column = 0
        case .end: column = lines[row].count
        default:
            return false
        }
        return true
    }

    /// Draws the text in a box of `height` rows and `width` columns, scrolled to the cursor.
    public func draw(into grid: inout CellGrid, top: Int, left: Int, width: Int, height: Int) {
        guard width > 0, height > 0 else { return }
        let first = max(0, row - height + 1)
        for (offset, index) in (first..<min(lines.count, first + height)).enumerated() {
            let (start, widthBeforeCursor) =
                index == row ? TextScroll.start(of: lines[index], cursor: column, width: width) : (0, 0)
            grid.put(
                TextScroll.visible(lines[index], from: start, width: width), row: top + offset, column: left,
                limit: left + width)
            if index == row { grid.cursor = (top + offset, left + widthBeforeCursor) }
        }
    }
}
