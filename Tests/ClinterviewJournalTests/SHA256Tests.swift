import Testing
@testable import ClinterviewJournal

/// Test vectors from FIPS 180-4 examples and NIST's SHA-256 short and long messages.
@Suite struct SHA256Tests {
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        ("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
         "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"),
    ])
    func knownDigests(_ message: String, _ digest: String) {
        #expect(SHA256.hex(of: Array(message.utf8)) == digest)
    }

    @Test func oneMillionAs() {
        #expect(SHA256.hex(of: [UInt8](repeating: 0x61, count: 1_000_000)) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func incrementalUpdatesGiveTheSameDigest() {
        let message = Array("The quick brown fox jumps over the lazy dog".utf8)
        var hasher = SHA256()
        hasher.update(message[..<10])
        hasher.update(message[10...])
        #expect(hasher.finalizeHex() == "d7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592")
    }

    /// A 300-byte message fed in two pieces split at every offset, and in
    /// pieces of 1, 63, 64 and 65 bytes, from arrays and from sequences that
    /// are not contiguous in memory: whole blocks are hashed where they lie
    /// and only the rest is kept aside, so every split must agree.
    @Test func everySplitOfAMessageGivesTheSameDigest() {
        let message = (0..<300).map { UInt8(truncatingIfNeeded: $0 * 7 + 3) }
        let digest = "04773f8726c81cafcfa1a09a82664b98b00d2021031a1715bca1154f2dad3472"
        #expect(SHA256.hex(of: message) == digest)
        #expect(SHA256.hex(of: message.lazy.map { $0 }) == digest)
        for split in 0...message.count {
            var hasher = SHA256()
            hasher.update(message[..<split])
            hasher.update(message[split...].lazy.map { $0 })
            #expect(hasher.finalizeHex() == digest, "split at \(split)")
        }
        for size in [1, 63, 64, 65] {
            var hasher = SHA256()
            for start in stride(from: 0, to: message.count, by: size) {
                hasher.update(message[start..<min(start + size, message.count)])
            }
            #expect(hasher.finalizeHex() == digest, "pieces of \(size)")
        }
    }
}
