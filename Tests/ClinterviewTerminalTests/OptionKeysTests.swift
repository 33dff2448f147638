import ClinterviewCore
import Testing

@testable import ClinterviewTerminal

/// Which key chooses each option: its one-character code, else its score,
/// else a letter beside scored options, else its position.
@Suite struct OptionKeysTests {
    static let cases: [(codes: [String], keys: [Character?])] = [
        (["?", "1", "2", "3"], ["?", "1", "2", "3"]),
        (["0", "1", "2", "3"], ["0", "1", "2", "3"]),
        (["e\u{301}", "b"], ["e\u{301}", "b"]),
        (["yes", "no"], ["1", "2"]),
        // "2" would have chosen "y" by its position beside the code "1".
        (["1", "y"], ["1", "x"]),
        (["A", "b"], ["1", "b"]),
        (["x", "x"], ["x", "2"]),
        (["x", ""], ["x", "2"]),
        (["b", "x", "bb"], ["b", "x", "3"]),
        // The WSAS work item: 0 to 8 and "not applicable". Key 6 records 6.
        ((0...8).map(String.init) + ["na"], Array("012345678") + ["x"]),
        ((0..<11).map { "code\($0)" }, ["1", "2", "3", "4", "5", "6", "7", "8", "9", nil, nil]),
        ([], []),
    ]

    /// An imported questionnaire whose codes are not its scores (the LHC
    /// PHQ-9 codes its options LA6568-5 and so on, scored 0 to 3) is keyed
    /// by the scores, 0 included.
    @Test func scoredOptionsAreKeyedByTheirScores() {
        let options = ["LA6568-5", "LA6569-3", "LA6570-1", "LA6571-9"].enumerated().map { index, code in
            ChoiceOption(code: code, label: LocalizedText(code), weight: Double(index))
        }
        #expect(OptionKeys.keys(for: options) == ["0", "1", "2", "3"])
    }

    @Test(arguments: cases.indices)
    func keysFollowTheCodesOrThePositions(_ index: Int) {
        let (codes, keys) = Self.cases[index]
        let options = codes.map { ChoiceOption(code: $0, label: LocalizedText("label \($0)")) }
        #expect(OptionKeys.keys(for: options) == keys, "\(codes)")
    }
}
