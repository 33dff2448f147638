import ClinterviewTestSupport
import Testing

@testable import ClinterviewCore

/// `JSONWriter` prints results without building a `JSONOutput` tree; for any
/// value it must write exactly the bytes the tree serializes to, compact and
/// indented, and `JSONTreeBuilder` must give the tree back from the same events.
@Suite struct JSONWriterTests {
    static let texts = [
        "", "a", "status", "é", "日本", "😀", "quote \" here", "back\\slash", "line\nbreak", "\t", "\u{1}", "\u{7F}",
        "m1_q1",
    ]
    static let numbers: [Double] = [0, -0.0, 1, -1, 3, 2.5, 1e15, 1e300, -7.25, .infinity, -.infinity, .nan]

    static func randomValue(depth: Int, using rng: inout SplitMix64) -> JSONOutput {
        let kind = Int.random(in: 0..<(depth < 4 ? 7 : 4), using: &rng)
        switch kind {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &rng))
        case 2: return .number(numbers.randomElement(using: &rng)!)
        case 3: return .string(texts.randomElement(using: &rng)!)
        case 4:
            return .array(
                (0..<Int.random(in: 0...3, using: &rng)).map { _ in randomValue(depth: depth + 1, using: &rng) })
        default:
            return .object(
                (0..<Int.random(in: 0...3, using: &rng)).map { _ in
                    (texts.randomElement(using: &rng)!, randomValue(depth: depth + 1, using: &rng))
                })
        }
    }

    @Test func writesWhatTheTreeSerializesTo() {
        var rng = SplitMix64(state: 11)
        for _ in 0..<3_000 {
            let value = Self.randomValue(depth: 0, using: &rng)
            for indent in [nil, "  ", "\t"] {
                var writer = JSONWriter(indent: indent)
                writer.emit(value)
                #expect(writer.text == value.serialized(indent: indent), "\(value.serialized())")
            }
            var builder = JSONTreeBuilder()
            builder.emit(value)
            #expect(builder.result.serialized() == value.serialized())
        }
    }
}
