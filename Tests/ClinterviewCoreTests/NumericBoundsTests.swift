import ClinterviewTestSupport
import Testing

@testable import ClinterviewCore

/// The bounds of a choice or rating are those of the weights of its options
/// that are not "inadequate information"; with no such weight, unbounded.
@Suite struct NumericBoundsTests {
    func item(_ kind: ItemKind) -> Item {
        Item(
            id: "X", linkID: nil, kind: kind, prompt: LocalizedText("p"), instructions: nil, probes: [],
            standardCode: nil,
            notesAllowed: true, isRequired: false, condition: nil, checks: [], section: 0, offset: 0)
    }

    @Test func boundsOfRandomOptionLists() {
        var rng = SplitMix64(state: 23)
        for round in 0..<3_000 {
            let options = (0..<Int.random(in: 0...6, using: &rng)).map { index in
                ChoiceOption(
                    code: "c\(index)", label: LocalizedText("l"),
                    weight: Bool.random(using: &rng) ? Double(Int.random(in: -5...5, using: &rng)) : nil,
                    isUnknown: Int.random(in: 0..<4, using: &rng) == 0)
            }
            let weights = options.filter { !$0.isUnknown }.compactMap(\.weight)
            let expected = weights.isEmpty ? -Double.infinity...Double.infinity : weights.min()!...weights.max()!
            #expect(item(.choice(options: options)).numericBounds == expected, "round \(round)")
            #expect(item(.rating(scale: "s", options: options)).numericBounds == expected, "round \(round)")
        }
    }
}
