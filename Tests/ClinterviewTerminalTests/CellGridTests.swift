import Testing

@testable import ClinterviewTerminal

/// The terminal rewrites only the rows `rowIsUnchanged` says changed; a grid
/// keeps its cells as plain bits and characters of several scalars aside.
@Suite struct CellGridTests {
    static func grid(_ lines: [String], columns: Int = 12) -> CellGrid {
        var grid = CellGrid(rows: lines.count, columns: columns)
        for (row, line) in lines.enumerated() { grid.put(line, row: row, column: 0) }
        return grid
    }

    @Test func aRowIsUnchangedOnlyIfEveryCellIsTheSame() {
        let before = Self.grid(["first", "日本語", "third", "fourth"])
        var after = before
        after.put("X", row: 0, column: 4)
        after.put("本", row: 1, column: 0)
        after.put("third", row: 2, column: 0, style: .bold)
        #expect((0..<4).map { after.rowIsUnchanged($0, since: before) } == [false, false, false, true])
        #expect((0..<4).allSatisfy { before.rowIsUnchanged($0, since: before) })
    }

    @Test func aWideCharacterReplacedByTwoNarrowOnesIsAChange() {
        let wide = Self.grid(["日"])
        let narrow = Self.grid(["ab"])
        #expect(!narrow.rowIsUnchanged(0, since: wide))
        var continuation = wide
        continuation.put(" ", row: 0, column: 1)
        #expect(!continuation.rowIsUnchanged(0, since: wide))
    }

    @Test func gridsOfAnotherShapeOrRowsOutsideAreNeverUnchanged() {
        let grid = Self.grid(["same"])
        #expect(!Self.grid(["same"], columns: 13).rowIsUnchanged(0, since: grid))
        #expect(!grid.rowIsUnchanged(1, since: grid))
        #expect(!grid.rowIsUnchanged(-1, since: grid))
    }

    /// A character of several scalars is compared by its scalars, wherever
    /// each grid keeps it.
    @Test func aCharacterOfSeveralScalarsIsComparedByItsScalars() {
        var before = CellGrid(rows: 2, columns: 6)
        before.put("x\u{301}", row: 0, column: 0)
        before.put("e\u{301}", row: 1, column: 2)
        var after = CellGrid(rows: 2, columns: 6)
        after.put("e\u{301}", row: 1, column: 2)
        after.put("y\u{301}", row: 0, column: 0)
        #expect(after.rowIsUnchanged(1, since: before))
        #expect(!after.rowIsUnchanged(0, since: before))
        var other = CellGrid(rows: 2, columns: 6)
        other.put("y\u{301}", row: 0, column: 0)
        #expect(!other.rowIsUnchanged(0, since: before), "the same place in each grid's list, another character")
        var precomposed = CellGrid(rows: 2, columns: 6)
        precomposed.put("\u{E9}", row: 1, column: 2)
        #expect(!precomposed.rowIsUnchanged(1, since: before), "é as one scalar is other bytes for the terminal")
    }

    /// Against cell-by-cell equality, scalar for scalar: every pair of a few texts in a few styles,
    /// each drawn at the same place in a row.
    @Test(arguments: ["a", "b", "日", "é", "e\u{301}", " ", "😀", "ab"])
    func agreesWithComparingEveryCell(_ text: String) {
        let texts = ["a", "b", "日", "é", "e\u{301}", " ", "😀", "ab"]
        let styles: [Style] = [.plain, .bold, .reverse, [.bold, .danger]]
        func row(_ text: String, _ style: Style) -> CellGrid {
            var grid = CellGrid(rows: 1, columns: 5)
            grid.put(text, row: 0, column: 1, style: style)
            return grid
        }
        for style in styles {
            let drawn = row(text, style)
            #expect(drawn.rowIsUnchanged(0, since: drawn))
            for other in texts {
                for otherStyle in styles {
                    let earlier = row(other, otherStyle)
                    let equal = (0..<5).allSatisfy { column in
                        let (now, before) = (drawn[0, column], earlier[0, column])
                        return now.style == before.style && now.isContinuation == before.isContinuation
                            && now.character.unicodeScalars.elementsEqual(before.character.unicodeScalars)
                    }
                    #expect(
                        drawn.rowIsUnchanged(0, since: earlier) == equal, "\(text) \(style) / \(other) \(otherStyle)")
                }
            }
        }
    }
}
