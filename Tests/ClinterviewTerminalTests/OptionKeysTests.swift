import ClinterviewCore
import Testing

@testable import ClinterviewTerminal

/// Which key chooses each option: its code when every code is one character,
/// distinct and not a command letter; otherwise 1 to 9 by position.
@Suite struct OptionKeysTests {
    static let cases: [(codes: [String], keys: [Character?])] = [
        (["?", "1", "2", "3"], ["?", "1", "2", "3"]),
        (["0", "1", "2", "3"], ["0", "1", "2", "3"]),
        (["e\u{301}", "b"], ["e\u{301}", "b"]),
        (["yes", "no"], ["1", "2"]),
        (["1", "y"], ["1", "2"]),
        (["A", "b"], ["1", "2"]),
        (["x", "x"], ["1", "2"]),
        (["x", ""], ["1", "2"]),
        (["b", "x", "bb"], ["1", "2", "3"]),
        ((0..<11).map { "code\($0)" }, ["1", "2", "3", "4", "5", "6", "7", "8", "9", nil, nil]),
        ([], []),
    ]

    @Test(arguments: cases.indices)
    func keysFollowTheCodesOrThePositions(_ index: Int) {
        let (codes, keys) = Self.cases[index]
        let options = codes.map { ChoiceOption(code: $0, label: LocalizedText("label \($0)")) }
        #expect(OptionKeys.keys(for: options) == keys, "\(codes)")
    }
}
