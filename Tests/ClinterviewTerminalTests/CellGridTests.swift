import Testing
@testable import ClinterviewTerminal

/// The terminal rewrites only the rows `rowIsUnchanged` says changed.
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

    /// Against cell-by-cell equality, over grids drawn from a few texts and styles.
    @Test(arguments: 0..<40)
    func agreesWithComparingEveryCell(_ seed: Int) {
        var generator = SeededGenerator(seed: UInt64(seed))
        let texts = ["a", "b", "日", "é", "e\u{301}", " ", "😀", "ab"]
        let styles: [Style] = [.plain, .bold, .reverse, [.bold, .danger]]
        func draw() -> CellGrid {
            var grid = CellGrid(rows: 6, columns: 8)
            for _ in 0..<10 {
                let text = texts[Int(generator.next() % UInt64(texts.count))]
                let style = styles[Int(generator.next() % UInt64(styles.count))]
                grid.put(text, row: Int(generator.next() % 6), column: Int(generator.next() % 8), style: style)
            }
            return grid
        }
        let a = draw(), b = draw()
        for row in 0..<6 {
            let equal = (0..<8).allSatisfy { a[row, $0] == b[row, $0] }
            #expect(a.rowIsUnchanged(row, since: b) == equal)
            #expect(a.rowIsUnchanged(row, since: a))
        }
    }
}

/// A small deterministic generator (SplitMix64) for reproducible cases.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
