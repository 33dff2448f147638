import ClinterviewTestSupport
import Testing
@testable import ClinterviewCore

/// Distinct condition texts are numbered by a table of their own; it must
/// number them as a dictionary of first places does.
@Suite struct DistinctStringsTests {
    /// Strings of every length up to 40 bytes, many differing only in their
    /// last byte or only in length, with non-ASCII text and repeats.
    static func strings(count: Int, seed: UInt64) -> [String] {
        var generator = SplitMix64(state: seed)
        let pieces = ["A1", " and ", "==", "3", "é", "心", "\u{301}", "x", "\0", "or", "(", ")"]
        var made: [String] = []
        for _ in 0..<count {
            if !made.isEmpty, Int.random(in: 0..<3, using: &generator) == 0 {
                made.append(made[Int.random(in: 0..<made.count, using: &generator)])
                continue
            }
            var text = ""
            while text.utf8.count < Int.random(in: 0...40, using: &generator) {
                text += pieces[Int.random(in: 0..<pieces.count, using: &generator)]
            }
            made.append(text)
            if Bool.random(using: &generator) { made.append(text + "x") }
            if Bool.random(using: &generator), !text.isEmpty { made.append(String(text.dropLast())) }
        }
        return made
    }

    @Test(arguments: [0, 1, 7, 100, 5_000])
    func numbersAsFirstPlacesDo(count: Int) {
        let strings = Self.strings(count: count, seed: UInt64(count))
        var oracle: [String: Int] = [:]
        var oracleOrder: [String] = []
        let expected = strings.map { string in
            if let known = oracle[string] { return known }
            oracle[string] = oracleOrder.count
            oracleOrder.append(string)
            return oracleOrder.count - 1
        }
        // Capacity 1: the table grows many times on the way.
        var table = DistinctStrings(capacity: 1)
        #expect(strings.map { table.number(of: $0) } == expected)
        #expect(table.strings == oracleOrder)
        #expect(strings.map { table.number(of: $0) } == expected, "numbers stay once every string is known")
    }

    @Test func everyLengthAndLastByteCounts() {
        var table = DistinctStrings(capacity: 64)
        let base = String(repeating: "m", count: 20)
        var numbers: [Int] = []
        for length in 0...20 {
            let prefix = String(base.prefix(length))
            numbers.append(table.number(of: prefix))
            numbers.append(table.number(of: prefix + "a"))
            numbers.append(table.number(of: prefix + "b"))
        }
        #expect(numbers == Array(0..<63))
        #expect(table.strings.count == 63)
    }
}
