/// Whether a file could be a FHIR resource, without parsing it: most files
/// given to the commands are Clinterview definitions and answer files, and
/// parsing a large one twice (once only to look for `resourceType`) doubled
/// the time to load it.
enum FHIRSniffing {
    static func mayBeResource(_ bytes: [UInt8]) -> Bool {
        let needle = Array("\"resourceType\"".utf8)
        guard bytes.count >= needle.count else { return false }
        var index = 0
        while index <= bytes.count - needle.count {
            if bytes[index] == needle[0], bytes[index..<(index + needle.count)].elementsEqual(needle) { return true }
            index += 1
        }
        return false
    }
}
