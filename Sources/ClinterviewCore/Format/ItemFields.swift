/// The fields of an item object, found in one pass over its members.
///
/// Looking sixteen keys up one by one compared each with every member's key,
/// and checking every member against the sixteen allowed keys did it again:
/// together a quarter of reading an item.
struct ItemFields {
    enum Field: Int, CaseIterable {
        case id, kind, prompt, instructions, probes, code, notes, when, scale, options, min, max, unit, checks, linkID, required

        var key: String {
            switch self {
            case .id: "id"
            case .kind: "kind"
            case .prompt: "prompt"
            case .instructions: "instructions"
            case .probes: "probes"
            case .code: "code"
            case .notes: "notes"
            case .when: "when"
            case .scale: "scale"
            case .options: "options"
            case .min: "min"
            case .max: "max"
            case .unit: "unit"
            case .checks: "checks"
            case .linkID: "link_id"
            case .required: "required"
            }
        }

        /// The field called `key`: length, first and last byte tell the keys
        /// apart, so one comparison decides.
        init?(key: String) {
            guard let shape = WordShape(key) else { return nil }
            let candidate: Field? = switch (shape.count, shape.first, shape.last) {
            case (2, UInt8(ascii: "i"), UInt8(ascii: "d")): .id
            case (4, UInt8(ascii: "k"), UInt8(ascii: "d")): .kind
            case (6, UInt8(ascii: "p"), UInt8(ascii: "t")): .prompt
            case (12, UInt8(ascii: "i"), UInt8(ascii: "s")): .instructions
            case (6, UInt8(ascii: "p"), UInt8(ascii: "s")): .probes
            case (4, UInt8(ascii: "c"), UInt8(ascii: "e")): .code
            case (5, UInt8(ascii: "n"), UInt8(ascii: "s")): .notes
            case (4, UInt8(ascii: "w"), UInt8(ascii: "n")): .when
            case (5, UInt8(ascii: "s"), UInt8(ascii: "e")): .scale
            case (7, UInt8(ascii: "o"), UInt8(ascii: "s")): .options
            case (3, UInt8(ascii: "m"), UInt8(ascii: "n")): .min
            case (3, UInt8(ascii: "m"), UInt8(ascii: "x")): .max
            case (4, UInt8(ascii: "u"), UInt8(ascii: "t")): .unit
            case (6, UInt8(ascii: "c"), UInt8(ascii: "s")): .checks
            case (7, UInt8(ascii: "l"), UInt8(ascii: "d")): .linkID
            case (8, UInt8(ascii: "r"), UInt8(ascii: "d")): .required
            default: nil
            }
            guard let candidate, candidate.key == key else { return nil }
            self = candidate
        }
    }

    static let keys = Field.allCases.map(\.key)

    let object: JSONObject
    /// Per field, the index of its member (-1: absent).
    private var members = SIMD16<Int32>(repeating: -1)
    /// Whether a member's key is not an item field.
    private(set) var hasUnknownKey = false

    init(_ object: JSONObject) {
        self.object = object
        for index in object.members.indices {
            if let field = Field(key: object.members[index].key) {
                members[field.rawValue] = Int32(index)
            } else {
                hasUnknownKey = true
            }
        }
    }

    subscript(field: Field) -> JSONNode? {
        let index = members[field.rawValue]
        return index < 0 ? nil : object.members[Int(index)].value
    }

    /// Where the field's key stands, when it is there.
    func keyOffset(_ field: Field) -> Int? {
        let index = members[field.rawValue]
        return index < 0 ? nil : object.members[Int(index)].keyOffset
    }
}
