import Foundation

/// An answer as a clinician or an answer file gives it, before it is checked
/// against the item.
public enum AnswerInput: Sendable, Hashable, CustomStringConvertible {
    case code(String)
    case codes([String])
    case bool(Bool)
    case number(Double)
    case duration(Double, DurationUnit)
    case date(String)
    case text(String)

    public var description: String {
        switch self {
        case .code(let code): code
        case .codes(let codes): "[" + codes.joined(separator: ", ") + "]"
        case .bool(let b): b ? "yes" : "no"
        case .number(let n): formatNumber(n)
        case .duration(let amount, let unit): "\(formatNumber(amount)) \(unit.rawValue)"
        case .date(let text): text
        case .text(let text): text
        }
    }
}

/// What is recorded for an item.
public enum RecordedAnswer: Sendable, Hashable {
    case value(Value, input: AnswerInput)
    /// An option meaning "inadequate information", such as `?`.
    case inadequate(code: String)
    case skipped(reason: String)

    var itemState: ItemState {
        switch self {
        case .value(let value, _): .known(value)
        case .inadequate: .inadequate
        case .skipped: .open
        }
    }

    public var input: AnswerInput? {
        switch self {
        case .value(_, let input): input
        case .inadequate(let code): .code(code)
        case .skipped: nil
        }
    }
}

public struct Amendment: Sendable, Hashable {
    public var previous: RecordedAnswer
    public var reason: String
    public var time: Date
}

public struct Note: Sendable, Hashable {
    public var text: String
    public var time: Date
}

public struct Response: Sendable, Hashable {
    public var answer: RecordedAnswer
    public var time: Date
    public var amendments: [Amendment] = []
    /// Soft checks overridden for this answer, with the reasons given.
    public var overrides: [String: String] = [:]
}

extension Item {
    /// Checks an input against the item's kind; returns what to record, or why not.
    public func record(_ input: AnswerInput) -> Result<RecordedAnswer, AnswerRejection> {
        kind.record(input, item: id)
    }
}

extension ItemKind {
    /// `Item.record` for an item of this kind whose identifier is `id`.
    public func record(_ input: AnswerInput, item id: String) -> Result<RecordedAnswer, AnswerRejection> {
        func reject(_ message: String) -> Result<RecordedAnswer, AnswerRejection> {
            .failure(AnswerRejection(item: id, message: message))
        }
        switch (self, input) {
        case (.rating(_, let options), .code(let code)), (.choice(let options), .code(let code)):
            guard let option = options.first(where: { $0.code == code }) else {
                return reject(
                    "'\(code)' is not an option of \(id) (options: \(options.map(\.code).joined(separator: ", ")))")
            }
            return .success(
                option.isUnknown ? .inadequate(code: code) : .value(.code(code, weight: option.weight), input: input))
        case (.rating(_, let options), .number(let number)), (.choice(let options), .number(let number)):
            return record(.code(formatNumber(number)), item: id).mapError { _ in
                AnswerRejection(
                    item: id,
                    message:
                        "\(formatNumber(number)) is not an option of \(id) (options: \(options.map(\.code).joined(separator: ", ")))"
                )
            }
        case (.multipleChoice(let options), .codes(let codes)):
            for code in codes where !options.contains(where: { $0.code == code }) {
                return reject(
                    "'\(code)' is not an option of \(id) (options: \(options.map(\.code).joined(separator: ", ")))")
            }
            guard Set(codes).count == codes.count else { return reject("an option is chosen twice") }
            let ordered = options.map(\.code).filter(codes.contains)
            return .success(.value(.codes(ordered), input: .codes(ordered)))
        case (.yesNo, .bool(let value)):
            return .success(.value(.bool(value), input: input))
        case (.integer(let range), .number(let number)), (.decimal(let range), .number(let number)):
            if case .integer = self, number.rounded() != number {
                return reject("\(id) needs a whole number, not \(formatNumber(number))")
            }
            if let low = range.min, number < low {
                return reject("\(formatNumber(number)) is below the minimum of \(formatNumber(low)) for \(id)")
            }
            if let high = range.max, number > high {
                return reject("\(formatNumber(number)) is above the maximum of \(formatNumber(high)) for \(id)")
            }
            return .success(.value(.number(number), input: input))
        case (.duration, .duration(let amount, let unit)):
            guard amount >= 0, amount <= 200 * (365.25 / unit.days) else {
                return reject("a duration must be between 0 and 200 years")
            }
            return .success(.value(.duration(amount * unit.days), input: input))
        case (.date, .date(let text)):
            guard let days = CalendarDate.daysSinceEpoch(iso: text) else {
                return reject("'\(text)' is not a date: write it as YYYY-MM-DD")
            }
            return .success(.value(.date(days), input: input))
        case (.text, .text(let text)):
            if let problem = TextLimit.problem(text, "the answer") { return reject(problem) }
            return .success(.value(.text(text), input: input))
        case (.display, _):
            return reject("\(id) is a display item and takes no answer")
        default:
            return reject("\(id) is \(JSONReader.article(name)) \(name) item and cannot take \(input.kindDescription)")
        }
    }
}

extension AnswerInput {
    var kindDescription: String {
        switch self {
        case .code: "a code"
        case .codes: "a list of codes"
        case .bool: "yes/no"
        case .number: "a number"
        case .duration: "a duration"
        case .date: "a date"
        case .text: "text"
        }
    }
}

public struct AnswerRejection: Error, Sendable, Hashable {
    public var item: String
    public var message: String
}

extension RecordedAnswer {
    /// The answer in words, as screens and reports show it: a code with its
    /// option's label, yes or no, the labels of ticked options, or the value typed.
    public func describe(for item: Item, label: (LocalizedText?) -> String) -> String {
        switch self {
        case .skipped(let reason): return "skipped (\(reason))"
        case .inadequate(let code): return "\(code) (\(label(item.option(code)?.label)))"
        case .value(_, let input):
            switch input {
            case .code(let code): return "\(code) (\(label(item.option(code)?.label)))"
            case .codes(let codes):
                return codes.isEmpty ? "none" : codes.map { label(item.option($0)?.label) }.joined(separator: "; ")
            case .bool(let b): return b ? "yes" : "no"
            default: return input.description
            }
        }
    }
}
