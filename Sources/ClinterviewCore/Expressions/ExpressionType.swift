/// What a list of codes belongs to, as messages name it: formatted only
/// when a message is written.
public enum CodeOwner: Sendable, Equatable, CustomStringConvertible {
    case item(String)
    case scale(String)
    case options

    public var description: String {
        switch self {
        case .item(let id): "item '\(id)'"
        case .scale(let id): "scale '\(id)'"
        case .options: "options"
        }
    }
}

/// The static type of an expression. Not `indirect`: no case holds another
/// type, and a box for every type was an allocation per name checked.
public enum ExpressionType: Sendable, Equatable, CustomStringConvertible {
    case bool
    case number
    /// One code from an option list; `owner` names the item or scale for messages.
    case coded(owner: CodeOwner, options: [ChoiceOption])
    case codeSet(owner: CodeOwner, options: [ChoiceOption])
    case text
    case duration
    case date
    /// Used after an error, so one mistake does not cause a cascade of messages.
    case invalid

    public var description: String {
        switch self {
        case .bool: "a yes/no value"
        case .number: "a number"
        case .coded(let owner, _): "a code of \(owner)"
        case .codeSet(let owner, _): "a set of codes of \(owner)"
        case .text: "text"
        case .duration: "a duration"
        case .date: "a date"
        case .invalid: "an invalid value"
        }
    }

    var isNumeric: Bool {
        switch self {
        case .number, .invalid: true
        case .coded(_, let options): options.allSatisfy { $0.isUnknown || $0.weight != nil }
        default: false
        }
    }
}

extension ItemKind {
    var valueType: ExpressionType {
        switch self {
        case .rating(let scale, let options): .coded(owner: .scale(scale), options: options)
        case .choice(let options): .coded(owner: .options, options: options)
        case .multipleChoice(let options): .codeSet(owner: .options, options: options)
        case .yesNo: .bool
        case .integer, .decimal: .number
        case .duration: .duration
        case .date: .date
        case .text: .text
        case .display: .invalid
        }
    }
}
