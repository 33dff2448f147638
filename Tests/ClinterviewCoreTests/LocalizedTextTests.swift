import Testing

@testable import ClinterviewCore

@Suite struct LocalizedTextTests {
    @Test func plainTextIsTheSameHoweverItIsMade() {
        let plain = LocalizedText("Low mood")
        #expect(plain == LocalizedText(translations: ["": "Low mood"]))
        #expect(plain.translations == ["": "Low mood"])
        #expect(plain.resolved("de", fallbacks: ["ja"]) == "Low mood")
    }

    @Test func translationsResolveByLanguageThenFallbacksThenAny() {
        let text = LocalizedText(translations: ["de": "Schlaf", "ja": "睡眠"])
        #expect(text.resolved("ja") == "睡眠")
        #expect(text.resolved("fr", fallbacks: ["de"]) == "Schlaf")
        #expect(text.resolved("fr") == "Schlaf")
        #expect(text.resolved() == "Schlaf")
        let withPlain = LocalizedText(translations: ["": "Sleep", "ja": "睡眠"])
        #expect(withPlain.resolved("ja") == "睡眠")
        #expect(withPlain.resolved("de", fallbacks: ["ja"]) == "Sleep")
    }
}
