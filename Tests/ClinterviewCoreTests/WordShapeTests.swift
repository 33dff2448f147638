import Testing
@testable import ClinterviewCore

@Suite struct WordShapeTests {
    @Test(arguments: ["if", "x", "answered_count", "é", "a long word of more than fifteen bytes, stored apart"])
    func lengthAndEndsOfTheUTF8(word: String) throws {
        let shape = try #require(WordShape(word))
        #expect(shape == WordShape(count: word.utf8.count, first: Array(word.utf8).first!, last: Array(word.utf8).last!))
    }

    @Test func theEmptyWordHasNone() {
        #expect(WordShape("") == nil)
    }

    @Test func everyFunctionAndFieldIsFoundByItsNameOnly() {
        for function in Function.allCases {
            #expect(Function(name: function.rawValue) == function)
            #expect(Function(name: function.rawValue + "s") == nil)
        }
        for field in ItemFields.Field.allCases {
            #expect(ItemFields.Field(key: field.key) == field)
            #expect(ItemFields.Field(key: String(field.key.dropLast()) + "_") == nil)
        }
    }
}
