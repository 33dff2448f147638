import ClinterviewCore
import Foundation

/// Turns what was typed in an answer field into an answer for the item.
struct EntryProblem: Error, Equatable {
    var message: String
}

enum AnswerParsing {
    static func input(from text: String, for item: Item) -> Result<AnswerInput, EntryProblem> {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else {
            return .failure(EntryProblem(message: "type an answer, or press F4 to skip with a reason"))
        }
        switch item.kind {
        case .integer, .decimal:
            let normalized = trimmed.replacingOccurrences(of: ",", with: ".")
            guard let number = Double(normalized), number.isFinite else {
                return .failure(EntryProblem(message: "'\(trimmed)' is not a number"))
            }
            return .success(.number(number))
        case .duration:
            return duration(trimmed).map(Result.success)
                ?? .failure(
                    EntryProblem(message: "'\(trimmed)' is not a duration: type e.g. 3w, 10 days, 6 months, 1y"))
        case .date:
            guard CalendarDate.daysSinceEpoch(iso: trimmed) != nil else {
                return .failure(EntryProblem(message: "'\(trimmed)' is not a date: type it as YYYY-MM-DD"))
            }
            return .success(.date(trimmed))
        case .text:
            return .success(.text(text))
        default:
            return .failure(EntryProblem(message: "this item is not answered by typing"))
        }
    }

    /// "3w", "3 w", "3 weeks", "1.5y", "10 days".
    static func duration(_ text: String) -> AnswerInput? {
        let lowered = text.lowercased()
        guard let split = lowered.firstIndex(where: { !$0.isNumber && $0 != "." && $0 != "," }) else { return nil }
        let amountText = lowered[..<split].replacingOccurrences(of: ",", with: ".")
        let unitText = lowered[split...].trimmingCharacters(in: .whitespaces)
        guard let amount = Double(amountText), amount >= 0, let unit = DurationUnit(word: unitText) else { return nil }
        return .duration(amount, unit)
    }

    static var placeholder: [String: String] {
        [
            "integer": "a whole number", "decimal": "a number", "duration": "e.g. 3w, 10d, 6m, 1y",
            "date": "YYYY-MM-DD", "text": "free text",
        ]
    }
}
