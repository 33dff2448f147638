/// Which part of a line of text an editor shows: the cursor must fit in
/// `width` columns. Both are found from the cursor outwards, so drawing costs
/// the width of the field, not the length of the text (a paste of 100,000
/// characters is drawn as fast as a word).
enum TextScroll {
    /// The first character shown, and the columns between it and the cursor.
    static func start(of characters: [Character], cursor: Int, width: Int) -> (start: Int, widthBeforeCursor: Int) {
        var start = cursor
        var columns = 0
        while start > 0 {
            let next = DisplayWidth.of(characters[start - 1])
            if columns + next > width - 1 { break }
            columns += next
            start -= 1
        }
        return (start, columns)
    }

    /// The characters from `start` that can show in `width` columns.
    static func visible(_ characters: [Character], from start: Int, width: Int) -> String {
        var end = start
        var columns = 0
        while end < characters.count, columns <= width {
            columns += DisplayWidth.of(characters[end])
            end += 1
        }
        return String(characters[start..<end])
    }
}
