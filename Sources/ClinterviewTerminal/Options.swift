import ClinterviewCore

/// The keys that choose options: the code itself when every code is one
/// character that is not a command key, else 1 to 9 by position.
enum OptionKeys {
    static let commandLetters: [Character] = ["j", "s", "n", "r", "h", "q", "y", "a", "A"]

    /// Called for every key and frame: a few options, so lists, not sets.
    static func keys(for options: [ChoiceOption]) -> [Character?] {
        var characters: [Character?] = []
        characters.reserveCapacity(options.count)
        for option in options {
            guard let character = option.code.first, option.code.dropFirst().isEmpty,
                !commandLetters.contains(character), !characters.contains(character)
            else {
                return options.indices.map { $0 < 9 ? Character(String($0 + 1)) : nil }
            }
            characters.append(character)
        }
        return characters
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
