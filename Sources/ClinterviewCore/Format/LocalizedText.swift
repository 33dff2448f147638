/// Text that is either one plain string or a map from language code to string.
public struct LocalizedText: Sendable, Hashable {
    /// Language code to text; a plain string is stored under the empty code.
    public var translations: [String: String]

    public init(_ plain: String) {
        translations = ["": plain]
    }

    public init(translations: [String: String]) {
        self.translations = translations
    }

    /// The text in `language`, else the first of `fallbacks` that has one, else any.
    public func resolved(_ language: String? = nil, fallbacks: [String] = []) -> String {
        if let language, let text = translations[language] { return text }
        if let plain = translations[""] { return plain }
        for code in fallbacks { if let text = translations[code] { return text } }
        return translations.sorted { $0.key < $1.key }.first?.value ?? ""
    }
}
