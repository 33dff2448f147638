import ClinterviewCore

/// The keys that choose options. A key never records another answer than the
/// one it names: an option's key is its code when the code is one character
/// (not a command letter); else its score, an integer weight 0 to 9, so an
/// imported questionnaire coded otherwise is keyed by what it scores. Options
/// left over get a letter (the code's first when free) when any key is a
/// digit, so that no digit can mean a position beside digits that mean
/// scores; otherwise they are keyed 1 to 9 by position.
enum OptionKeys {
    static let commandLetters: [Character] = ["j", "s", "n", "r", "h", "q", "y", "a", "A"]
    /// Letters for options that have neither a one-character code nor a score.
    static let spareLetters = Array("xzbcdefgiklmoptuvw")

    /// Called for every key and frame: a few options, so lists, not sets.
    static func keys(for options: [ChoiceOption]) -> [Character?] {
        var keys = [Character?](repeating: nil, count: options.count)
        var used: [Character] = []
        func take(_ index: Int, _ key: Character) {
            keys[index] = key
            used.append(key)
        }
        for index in options.indices {
            if let character = options[index].code.first, options[index].code.count == 1,
                !commandLetters.contains(character), !used.contains(character)
            {
                take(index, character)
            }
        }
        for index in options.indices where keys[index] == nil {
            if let weight = options[index].weight, weight.rounded() == weight, (0...9).contains(weight) {
                let digit = Character(String(Int(weight)))
                if !used.contains(digit) { take(index, digit) }
            }
        }
        let digitsMeanScores = used.contains { $0.isASCII && $0.isNumber }
        for index in options.indices where keys[index] == nil {
            if !digitsMeanScores {
                if index < 9 { take(index, Character(String(index + 1))) }
                continue
            }
            let first = options[index].code.lowercased().first
            if let first, first.isASCII, first.isLetter, !commandLetters.contains(first), !used.contains(first) {
                take(index, first)
            } else if let letter = spareLetters.first(where: { !used.contains($0) }) {
                take(index, letter)
            }
        }
        return keys
    }

    /// The keys of an item's choices, without their labels.
    static func keys(of item: Item) -> [Character?] {
        switch item.kind {
        case .yesNo: return ["y", "n"]
        case .rating(_, let options), .choice(let options), .multipleChoice(let options): return keys(for: options)
        default: return []
        }
    }

    /// The choices of an item as (key, code, label); yes/no items have two.
    static func choices(
        of item: Item, language: String?, fallbacks: [String]
    ) -> [(key: Character?, code: String, label: String)] {
        switch item.kind {
        case .yesNo:
            return [("y", "yes", "Yes"), ("n", "no", "No")]
        case .rating(_, let options), .choice(let options), .multipleChoice(let options):
            let keys = keys(for: options)
            return options.indices.map {
                (keys[$0], options[$0].code, options[$0].label.resolved(language, fallbacks: fallbacks))
            }
        default:
            return []
        }
    }
}
