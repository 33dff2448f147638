import Foundation

/// Whether a file could be a FHIR resource, without parsing it: most files
/// given to the commands are Clinterview definitions and answer files, and
/// parsing a large one twice (once only to look for `resourceType`) doubled
/// the time to load it.
enum FHIRSniffing {
    static let needle = Array("\"resourceType\"".utf8)
    /// Where the needle's one capital letter stands in it.
    static let anchor = needle.firstIndex(of: UInt8(ascii: "T"))!

    static func mayBeResource(_ bytes: [UInt8]) -> Bool {
        // `memchr` jumps from capital T to capital T, which are rare in JSON,
        // many bytes at a time; a loop over every byte took ten instructions a
        // byte, 1.5 % of loading a large definition.
        bytes.withUnsafeBufferPointer { haystack in
            guard let base = haystack.baseAddress, haystack.count >= needle.count else { return false }
            var position = anchor
            while position < haystack.count - (needle.count - 1 - anchor) {
                guard let found = memchr(base + position, Int32(UInt8(ascii: "T")), haystack.count - position) else {
                    return false
                }
                let index = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
                let start = index - anchor
                if index + (needle.count - anchor) <= haystack.count,
                    needle.withUnsafeBufferPointer({ memcmp(base + start, $0.baseAddress!, needle.count) == 0 })
                {
                    return true
                }
                position = index + 1
            }
            return false
        }
    }
}
