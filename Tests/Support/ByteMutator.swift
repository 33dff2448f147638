/// Mutations of a file's bytes for fuzzing: random bytes, cuts, repeats,
/// inserted fragments, truncation, a string replaced by an expression, and
/// a string with one character dropped (a misspelt id, scale or code).
public struct ByteMutator: Sendable {
    public var fragments: [String]
    public var expressionPieces: [String]

    public init(fragments: [String], expressionPieces: [String]) {
        self.fragments = fragments
        self.expressionPieces = expressionPieces
    }

    public func mutate(_ input: [UInt8], _ rng: inout SplitMix64) -> [UInt8] {
        var bytes = input
        for _ in 0..<Int.random(in: 1...4, using: &rng) {
            guard !bytes.isEmpty else { break }
            let at = Int.random(in: 0..<bytes.count, using: &rng)
            switch Int.random(in: 0..<7, using: &rng) {
            case 0: bytes[at] = UInt8.random(in: 0...255, using: &rng)
            case 1: bytes.removeSubrange(at..<min(bytes.count, at + Int.random(in: 1...40, using: &rng)))
            case 2:
                let end = min(bytes.count, at + Int.random(in: 1...200, using: &rng))
                bytes.insert(contentsOf: bytes[at..<end], at: Int.random(in: 0...bytes.count, using: &rng))
            case 3: bytes.insert(contentsOf: Array(fragments.randomElement(using: &rng)!.utf8), at: at)
            case 4: bytes = Array(bytes[..<at])
            case 5:
                // Replace the contents of a string with a random expression.
                if let (open, close) = Self.string(in: bytes, from: at) {
                    let expression = (0..<Int.random(in: 1...8, using: &rng)).map { _ in
                        expressionPieces.randomElement(using: &rng)!
                    }.joined(separator: " ")
                    bytes.replaceSubrange((open + 1)..<close, with: Array(expression.utf8))
                }
            default:
                // Misspell a string: drop one of its characters.
                if let (open, close) = Self.string(in: bytes, from: at), close - open > 2 {
                    bytes.remove(at: Int.random(in: (open + 1)..<close, using: &rng))
                }
            }
        }
        return bytes
    }

    /// The offsets of the next pair of double quotes at or after `start`.
    static func string(in bytes: [UInt8], from start: Int) -> (Int, Int)? {
        guard let open = bytes[start...].firstIndex(of: 0x22), open + 1 < bytes.count,
            let close = bytes[(open + 1)...].firstIndex(of: 0x22)
        else { return nil }
        return (open, close)
    }
}
