/// Text that is either one plain string or a map from language code to string.
public struct LocalizedText: Sendable, Hashable {
    /// A plain string is kept on its own: a dictionary for each of 100,000
    /// prompts was a twentieth of the memory of loading them.
    private var plain: String?
    private var byLanguage: [String: String]

    /// Language code to text; a plain string is under the empty code.
    public var translations: [String: String] {
        plain.map { ["": $0] } ?? byLanguage
    }

    public init(_ plain: String) {
        self.plain = plain
        byLanguage = [:]
    }

    public init(translations: [String: String]) {
        if translations.count == 1, let text = translations[""] {
            plain = text
            byLanguage = [:]
        } else {
            plain = nil
            byLanguage = translations
        }
    }

    /// The text in `language`, else the first of `fallbacks` that has one, else any.
    public func resolved(_ language: String? = nil, fallbacks: [String] = []) -> String {
        if let plain { return plain }
        if let language, let text = byLanguage[language] { return text }
        if let plain = byLanguage[""] { return plain }
        for code in fallbacks { if let text = byLanguage[code] { return text } }
        return byLanguage.sorted { $0.key < $1.key }.first?.value ?? ""
    }
}
