import ClinterviewCore
import ClinterviewJournal
import Foundation

/// Sessions as one long table, one row per recorded item, for R or pandas.
public enum AnswerTable {
    public static let columns = [
        "session", "client", "rater", "role", "interview", "item", "value", "status", "amended", "on_route", "time",
    ]

    public struct Row: Sendable, Hashable {
        public var fields: [String]
    }

    public static func rows(session: Session, header: SessionHeader) -> [Row] {
        session.interview.items.indices.compactMap { index in
            guard let response = session.responses[index] else { return nil }
            let item = session.interview.items[index]
            let (value, status): (String, String) =
                switch response.answer {
                case .value(_, let input): (input.json.plainText, "answered")
                case .inadequate(let code): (code, "inadequate")
                case .skipped(let reason): (reason, "skipped")
                }
            return Row(fields: [
                header.sessionID, header.client, header.rater, header.role, header.interviewID, item.id, value, status,
                response.amendments.isEmpty ? "false" : "true", session.route[index] ? "true" : "false",
                Timestamp.string(response.time),
            ])
        }
    }

    /// RFC 4180: fields with commas, quotes or line breaks are quoted, quotes doubled.
    public static func csv(_ rows: [Row], header: Bool = true) -> String {
        var lines: [String] = header ? [columns.joined(separator: ",")] : []
        for row in rows { lines.append(row.fields.map(quote).joined(separator: ",")) }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    static func quote(_ field: String) -> String {
        // A leading = + - @ would be run as a formula by spreadsheets, and a
        // leading tab or carriage return hides one from the checks of some.
        var value = field
        if let first = value.first, "=+-@\t\r".contains(first), Double(value) == nil { value = "'" + value }
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

extension JSONOutput {
    /// A scalar as plain text; lists joined with ';'.
    var plainText: String {
        switch self {
        case .string(let s): s
        case .number(let n): formatNumber(n)
        case .bool(let b): b ? "true" : "false"
        case .array(let elements): elements.map(\.plainText).joined(separator: ";")
        case .null: ""
        case .object: serialized()
        }
    }
}
