/// The fields of an item object, found in one pass over its members.
struct ItemFields {
    enum Field: Int, CaseIterable {
        case id, kind, prompt, instructions, probes, code, notes, when, scale, options, min, max, unit, checks, linkID,
            required, risk, fhirType, fhirAnswer, fhirParent

        var key: String {
            switch self {
            case .linkID: "link_id"
            case .fhirType: "fhir_type"
            case .fhirAnswer: "fhir_answer"
            case .fhirParent: "fhir_parent"
            default: String(describing: self)
            }
        }

        private static let byKey = Dictionary(uniqueKeysWithValues: allCases.map { ($0.key, $0) })

        /// The field called `key`.
        init?(key: String) {
            guard let field = Self.byKey[key] else { return nil }
            self = field
        }
    }

    static let keys = Field.allCases.map(\.key)

    let object: JSONObject
    /// Per field, the index of its member (-1: absent).
    private var members = [Int](repeating: -1, count: Field.allCases.count)
    /// Whether a member's key is not an item field.
    private(set) var hasUnknownKey = false

    init(_ object: JSONObject) {
        self.object = object
        for index in object.members.indices {
            if let field = Field(key: object.members[index].key) {
                members[field.rawValue] = index
            } else {
                hasUnknownKey = true
            }
        }
    }

    subscript(field: Field) -> JSONNode? {
        let index = members[field.rawValue]
        return index < 0 ? nil : object.members[index].value
    }

    /// Where the field's key stands, when it is there.
    func keyOffset(_ field: Field) -> Int? {
        let index = members[field.rawValue]
        return index < 0 ? nil : object.members[index].keyOffset
    }
}
