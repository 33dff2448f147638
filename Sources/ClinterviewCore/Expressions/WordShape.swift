/// The length and the first and last bytes of a word's UTF-8: enough to tell
/// the words of a small fixed set apart (the functions of the language, the
/// fields of an item), so that one string comparison then decides.
struct WordShape: Equatable {
    var count: Int
    var first: UInt8
    var last: UInt8

    /// Nil for the empty word. Read through a pointer: `utf8.last` went
    /// through the generic collection path, a tenth of reading an item.
    init?(_ word: String) {
        var word = word
        guard let shape = word.withUTF8({ bytes -> WordShape? in
            guard let first = bytes.first, let last = bytes.last else { return nil }
            return WordShape(count: bytes.count, first: first, last: last)
        }) else { return nil }
        self = shape
    }

    init(count: Int, first: UInt8, last: UInt8) {
        self.count = count
        self.first = first
        self.last = last
    }
}
