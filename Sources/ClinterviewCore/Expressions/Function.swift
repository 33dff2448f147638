/// The functions of the expression language.
enum Function: String, Sendable, CaseIterable {
    case count, any, all, sum, mean, answeredCount = "answered_count", knownCount = "known_count", answered
    case inadequate, weight, has, size, `if`, min, max, abs, round

    /// The function called `name`. Length, first and last letter tell the names
    /// apart, so one string comparison decides: a `switch` over the names
    /// compared them one by one, and every `if(...)` of a count rule paid for
    /// twelve comparisons.
    init?(name: String) {
        guard let shape = WordShape(name) else { return nil }
        let candidate: Function? = switch (shape.count, shape.first, shape.last) {
        case (2, UInt8(ascii: "i"), UInt8(ascii: "f")): .if
        case (3, UInt8(ascii: "a"), UInt8(ascii: "y")): .any
        case (3, UInt8(ascii: "a"), UInt8(ascii: "l")): .all
        case (3, UInt8(ascii: "s"), UInt8(ascii: "m")): .sum
        case (3, UInt8(ascii: "m"), UInt8(ascii: "n")): .min
        case (3, UInt8(ascii: "m"), UInt8(ascii: "x")): .max
        case (3, UInt8(ascii: "a"), UInt8(ascii: "s")): .abs
        case (3, UInt8(ascii: "h"), UInt8(ascii: "s")): .has
        case (4, UInt8(ascii: "m"), UInt8(ascii: "n")): .mean
        case (4, UInt8(ascii: "s"), UInt8(ascii: "e")): .size
        case (5, UInt8(ascii: "c"), UInt8(ascii: "t")): .count
        case (5, UInt8(ascii: "r"), UInt8(ascii: "d")): .round
        case (6, UInt8(ascii: "w"), UInt8(ascii: "t")): .weight
        case (8, UInt8(ascii: "a"), UInt8(ascii: "d")): .answered
        case (10, UInt8(ascii: "i"), UInt8(ascii: "e")): .inadequate
        case (11, UInt8(ascii: "k"), UInt8(ascii: "t")): .knownCount
        case (14, UInt8(ascii: "a"), UInt8(ascii: "t")): .answeredCount
        default: nil
        }
        guard let candidate, candidate.rawValue == name else { return nil }
        self = candidate
    }
}
