/// A one-line text editor: insert, delete, move by character, home and end.
public struct TextField: Sendable, Equatable {
    public private(set) var characters: [Character]
    public private(set) var cursor: Int

    public init(_ text: String = "") {
        characters = Array(text)
        cursor = characters.count
    }

    public var text: String { String(characters) }
    public var isEmpty: Bool { characters.isEmpty }

    /// Applies an editing key; returns false for keys it does not handle.
    public mutating func handle(_ key: Key) -> Bool {
        switch key {
        case .character(let character) where character != "\n" && character != "\r":
            characters.insert(character, at: cursor)
            cursor += 1
        case .backspace:
            guard cursor > 0 else { return true }
            characters.remove(at: cursor - 1)
            cursor -= 1
        case .delete:
            if cursor < characters.count { characters.remove(at: cursor) }
        case .left: cursor = max(0, cursor - 1)
        case .right: cursor = min(characters.count, cursor + 1)
        case .home, .control("a"): cursor = 0
        case .end, .control("e"): cursor = characters.count
        case .control("u"):
            characters.removeSubrange(0..<cursor)
            cursor = 0
        default:
            return false
        }
        return true
    }

    /// Draws the field in `width` columns, scrolled so the cursor shows; returns the cursor column.
    @discardableResult
    public func draw(into grid: inout CellGrid, row: Int, column: Int, width: Int, style: Style = .underline) -> Int {
        guard width > 1 else { return column }
        grid.fill(row: row, from: column, to: column + width, style: style)
        let (start, widthBeforeCursor) = TextScroll.start(of: characters, cursor: cursor, width: width)
        grid.put(
            TextScroll.visible(characters, from: start, width: width), row: row, column: column, style: style,
            limit: column + width)
        let cursorColumn = column + widthBeforeCursor
        grid.cursor = (row, cursorColumn)
        return cursorColumn
    }
}
