import Foundation

/// A recorded set of answers for one interview, with optional expected outcomes.
public struct AnswerFile: Sendable {
    public var path: String
    public var source: SourceFile
    public var client: String?
    public var rater: String?
    public var role: String?
    /// A follow-up made blind: the assessor saw nothing of the earlier sessions.
    public var blind: Bool?
    public var date: Date?
    public var interviewID: String?
    /// What the file is for, in words (a vignette's story); not interpreted.
    public var description: String?
    /// Answers in file order, with where each value stands in the file.
    public var answers: [(item: String, value: JSONNode, keyOffset: Int)]
    public var skipped: [String: String]
    public var notes: [String: [String]]
    public var overrides: [String: String]
    public var expect: JSONNode?

    public static let fields = [
        "interview", "description", "client", "rater", "role", "date", "blind", "answers", "skipped", "notes",
        "overrides", "expect",
    ]

    /// Reads an answer file; problems are reported to `sink` with positions.
    public static func read(source: SourceFile, sink: inout DiagnosticSink) -> AnswerFile? {
        var reader = JSONReader(source: source)
        defer { sink = reader.sink }
        let root: JSONNode
        do {
            root = try JSONParser.parse(source.bytes)
        } catch {
            reader.sink.error(.jsonSyntax, at: error.offset, error.message)
            return nil
        }
        guard let object = reader.object(root, "the answer file", allowed: fields, required: ["answers"]) else {
            return nil
        }
        var file = AnswerFile(path: source.path, source: source, answers: [], skipped: [:], notes: [:], overrides: [:])
        file.interviewID = reader.string(object["interview"], "'interview'")
        file.description = reader.string(object["description"], "'description'")
        file.client = reader.string(object["client"], "'client'")
        file.rater = reader.string(object["rater"], "'rater'")
        file.role = reader.string(object["role"], "'role'")
        file.blind = reader.bool(object["blind"], "'blind'")
        if let node = object["date"], let text = reader.string(node, "'date'") {
            if let date = parseISODate(text) {
                file.date = date
            } else {
                reader.sink.error(
                    .wrongType, at: node.offset,
                    "'date' must be an ISO 8601 date such as 2026-01-31 or 2026-01-31T14:05:00Z, not '\(text)'")
            }
        }
        if let node = object["answers"] {
            if case .object(let answers) = node.value {
                file.answers = answers.members.map { ($0.key, $0.value, $0.keyOffset) }
            } else {
                reader.sink.error(
                    .wrongType, at: node.offset,
                    "'answers' must be an object of item ids to answers, but is \(node.value.typeName)")
            }
        }
        for (key, target) in [("skipped", \AnswerFile.skipped), ("overrides", \AnswerFile.overrides)] {
            guard let node = object[key] else { continue }
            guard case .object(let members) = node.value else {
                reader.sink.error(.wrongType, at: node.offset, "'\(key)' must be an object of ids to reasons")
                continue
            }
            for member in members.members {
                if let reason = reader.string(member.value, "the reason for '\(member.key)'") {
                    file[keyPath: target][member.key] = reason
                }
            }
        }
        if let node = object["notes"], case .object(let members) = node.value {
            for member in members.members {
                switch member.value.value {
                case .string(let text): file.notes[member.key] = [text]
                case .array(let list): file.notes[member.key] = list.compactMap { reader.string($0, "a note") }
                default:
                    reader.sink.error(
                        .wrongType, at: member.value.offset, "a note must be a string or an array of strings")
                }
            }
        } else if let node = object["notes"] {
            reader.sink.error(.wrongType, at: node.offset, "'notes' must be an object of item ids to notes")
        }
        file.expect = object["expect"]
        if let expect = file.expect {
            _ = reader.object(expect, "'expect'", allowed: ReplayResult.keys)
        }
        return file
    }

    static func parseISODate(_ text: String) -> Date? {
        if let days = CalendarDate.daysSinceEpoch(iso: text) {
            return Date(timeIntervalSince1970: Double(days) * 86_400)
        }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }
}

extension Item {
    /// Interprets a JSON value from an answer file as an answer to this item.
    public func input(from node: JSONNode) -> Result<AnswerInput, AnswerRejection> {
        kind.input(from: node, item: id)
    }
}

extension ItemKind {
    /// `Item.input(from:)` for an item of this kind whose identifier is `id`.
    public func input(from node: JSONNode, item id: String) -> Result<AnswerInput, AnswerRejection> {
        func reject(_ message: String) -> Result<AnswerInput, AnswerRejection> {
            .failure(AnswerRejection(item: id, message: message))
        }
        switch (self, node.value) {
        case (.rating, .number(let n)), (.choice, .number(let n)):
            return .success(.code(formatNumber(n.value)))
        case (.rating, .string(let s)), (.choice, .string(let s)):
            return .success(.code(s))
        case (.multipleChoice, .array(let elements)):
            var codes: [String] = []
            for element in elements {
                switch element.value {
                case .string(let s): codes.append(s)
                case .number(let n): codes.append(formatNumber(n.value))
                default: return reject("the answer to \(id) must be a list of option codes")
                }
            }
            return .success(.codes(codes))
        case (.yesNo, .bool(let b)):
            return .success(.bool(b))
        case (.integer, .number(let n)), (.decimal, .number(let n)):
            return .success(.number(n.value))
        case (.duration, .string(let text)):
            let parts = text.split(separator: " ")
            guard parts.count == 2, let amount = Double(parts[0]), let unit = DurationUnit(word: String(parts[1]))
            else {
                return reject(
                    "the answer to \(id) must be a duration such as \"3 weeks\" (units: days, weeks, months, years)")
            }
            return .success(.duration(amount, unit))
        case (.date, .string(let text)):
            return .success(.date(text))
        case (.text, .string(let text)):
            return .success(.text(text))
        default:
            let expected =
                switch self {
                case .rating, .choice: "an option code"
                case .multipleChoice: "a list of option codes"
                case .yesNo: "true or false"
                case .integer, .decimal: "a number"
                case .duration: "a duration such as \"3 weeks\""
                case .date: "a date such as \"2026-01-31\""
                case .text: "a string"
                case .display: "nothing (it is a display item)"
                }
            return reject(
                "the answer to \(id) (\(JSONReader.article(name)) \(name) item) must be \(expected), not \(node.value.typeName)"
            )
        }
    }
}
