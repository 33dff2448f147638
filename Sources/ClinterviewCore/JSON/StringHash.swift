/// The hash of the project's own string tables (duplicate keys in the JSON
/// parser, distinct condition texts): the UTF-8 read eight bytes at a time
/// and mixed, from a seed each table draws at random, so that no file can be
/// written to make its strings collide. Seeded SipHash (`Hasher`) cost more
/// than the work the tables were there to speed up.
enum StringHash {
    static func hash(_ string: String, seed: UInt64) -> UInt64 {
        var string = string
        return string.withUTF8 { hash($0, seed: seed) }
    }

    static func hash(_ bytes: UnsafeBufferPointer<UInt8>, seed: UInt64) -> UInt64 {
        let raw = UnsafeRawBufferPointer(bytes)
        var hash = seed ^ (UInt64(raw.count) &* 0x9E37_79B9_7F4A_7C15)
        var offset = 0
        while offset + 8 <= raw.count {
            hash = mix(hash ^ raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            offset += 8
        }
        if offset < raw.count {
            var tail: UInt64 = 0
            for index in offset..<raw.count { tail = tail << 8 | UInt64(raw[index]) }
            hash = mix(hash ^ tail)
        }
        return mix(hash)
    }

    /// A strong 64-bit mixing step (the finaliser of SplitMix64).
    private static func mix(_ value: UInt64) -> UInt64 {
        var value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}
