/// Numbers strings by their first appearance: equal strings get one number.
///
/// Made for the condition texts of a large definition (100,000 of them,
/// about 70 bytes each, half repeated): a `[String: Int]` hashed each with
/// SipHash, and each repeated one twice. Here a string is hashed once
/// (`StringHash`), and equal hashes are confirmed by comparing the strings.
struct DistinctStrings {
    /// The distinct strings, in the order they first came.
    private(set) var strings: [String] = []
    private var hashes: [UInt64] = []
    /// Open addressing: a string's number plus one, 0 for an empty slot.
    private var slots: [Int32]
    private let seed = UInt64.random(in: .min ... .max)

    /// Room for `capacity` distinct strings without growing.
    init(capacity: Int) {
        var size = 16
        while size < 2 * capacity { size *= 2 }
        slots = [Int32](repeating: 0, count: size)
        strings.reserveCapacity(capacity)
        hashes.reserveCapacity(capacity)
    }

    /// The number of `string`: a new one if it has not come before.
    mutating func number(of string: String) -> Int {
        let hash = StringHash.hash(string, seed: seed)
        var slot = Int(truncatingIfNeeded: hash) & (slots.count - 1)
        while slots[slot] != 0 {
            let number = Int(slots[slot]) - 1
            if hashes[number] == hash, strings[number] == string { return number }
            slot = (slot + 1) & (slots.count - 1)
        }
        let number = strings.count
        precondition(number < Int32.max, "too many distinct strings")
        slots[slot] = Int32(number + 1)
        strings.append(string)
        hashes.append(hash)
        if 2 * strings.count > slots.count { grow() }
        return number
    }

    private mutating func grow() {
        slots = [Int32](repeating: 0, count: 2 * slots.count)
        for number in hashes.indices {
            var slot = Int(truncatingIfNeeded: hashes[number]) & (slots.count - 1)
            while slots[slot] != 0 { slot = (slot + 1) & (slots.count - 1) }
            slots[slot] = Int32(number + 1)
        }
    }
}
