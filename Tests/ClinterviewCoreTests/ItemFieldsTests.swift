import Testing

@testable import ClinterviewCore

/// An item's members are sorted into its fields in one pass; a key that is
/// not exactly a field's name is unknown.
@Suite struct ItemFieldsTests {
    @Test(arguments: ItemFields.Field.allCases)
    func eachFieldIsFoundByItsKeyOnly(field: ItemFields.Field) {
        #expect(ItemFields.Field(key: field.key) == field)
        // Same length, first and last byte, another middle; other case; a space.
        let key = Array(field.key.utf8)
        if key.count > 2 {
            var other = key
            other[1] = other[1] == UInt8(ascii: "z") ? UInt8(ascii: "y") : UInt8(ascii: "z")
            #expect(ItemFields.Field(key: String(decoding: other, as: UTF8.self)) == nil)
        }
        #expect(ItemFields.Field(key: field.key.uppercased()) == nil)
        #expect(ItemFields.Field(key: field.key + " ") == nil)
        #expect(ItemFields.Field(key: " " + field.key) == nil)
    }

    @Test func membersGoToTheirFieldsAndUnknownKeysAreNoted() throws {
        let node = try JSONParser.parse(
            Array(#"{"prompt": "p", "kind": "rating", "ID": 1, "id": "A1", "when": "x", "link_id": "L"}"#.utf8))
        guard case .object(let object) = node.value else { Issue.record("not an object"); return }
        let fields = ItemFields(object)
        #expect(fields.hasUnknownKey)
        func string(_ field: ItemFields.Field) -> String? {
            if case .string(let text)? = fields[field]?.value { text } else { nil }
        }
        #expect(
            string(.id) == "A1" && string(.kind) == "rating" && string(.prompt) == "p" && string(.when) == "x"
                && string(.linkID) == "L")
        #expect(fields[.scale] == nil && fields.keyOffset(.scale) == nil)
        #expect(fields.keyOffset(.kind) == 16)
        #expect(!ItemFields(JSONObject(members: object.members.filter { $0.key != "ID" })).hasUnknownKey)
    }
}
