import ClinterviewCore
import Foundation

/// Inter-rater agreement on every diagnosis and criterion, from sessions of the
/// same clients by different raters (a joint interview, or a second rater
/// scoring a recording).
public struct AgreementReport: Sendable {
    public struct Row: Sendable {
        public var id: String
        public var label: String
        public var kind: String
        /// For diagnoses: the period they speak of (raters are compared on each as it stands).
        public var period: DiagnosisPeriod?
        public var statistics: AgreementStatistics
        /// Share of all ratings that were `met`.
        public var prevalence: Double
    }

    public struct Disagreement: Sendable {
        public var client: String
        public var diagnosis: String
        public var ratings: [(rater: String, status: Status)]
        /// Criteria rated differently, with each rater's status.
        public var criteria: [(id: String, statuses: [Status])]
        /// Items answered differently, with each rater's answer.
        public var items: [(id: String, answers: [String])]
    }

    public var interviewID: String
    public var raters: Int
    public var clients: Int
    public var rows: [Row]
    public var disagreements: [Disagreement]
    public var notes: [String]

    public static func build(_ sessions: [AssessedSession]) -> [AgreementReport] {
        Dictionary(grouping: sessions, by: \.interviewID).keys.sorted().compactMap { id in
            build(sessions.filter { $0.interviewID == id })
        }
    }

    static func build(_ sessions: [AssessedSession]) -> AgreementReport? {
        guard let interview = sessions.first?.session.interview else { return nil }
        var notes: [String] = []
        let byClient = Dictionary(grouping: sessions, by: \.client)
        let sizes = byClient.values.map(\.count)
        let raters =
            sizes.reduce(into: [Int: Int]()) { $0[$1, default: 0] += 1 }.max { a, b in
                a.value != b.value ? a.value < b.value : a.key < b.key
            }?.key ?? 0
        var groups: [(client: String, sessions: [AssessedSession])] = []
        for client in byClient.keys.sorted() {
            let rated = byClient[client]!.sorted { ($0.rater, $0.path) < ($1.rater, $1.path) }
            if rated.count != raters || raters < 2 {
                notes.append(
                    "client \(client): \(rated.count) session\(rated.count == 1 ? "" : "s"), not \(raters); left out")
                continue
            }
            groups.append((client, rated))
        }
        var rows: [Row] = []
        var disagreements: [Disagreement] = []
        let closure = interview.ruleItemClosure()
        for (ruleIndex, rule) in interview.rules.enumerated() where rule.kind == .diagnosis || rule.kind == .criterion {
            let ratings: [[Status]] = groups.map { group in
                group.sessions.map { $0.status(of: rule.id) ?? .indeterminate }
            }
            let statistics: AgreementStatistics
            if raters == 2 {
                statistics = .cohen(ratings.map { ($0[0].rawValue, $0[1].rawValue) })
            } else {
                statistics = .fleiss(
                    ratings.map { row in row.reduce(into: [String: Int]()) { $0[$1.rawValue, default: 0] += 1 } })
            }
            let all = ratings.flatMap { $0 }
            let prevalence = all.isEmpty ? 0 : Double(all.filter { $0 == .met }.count) / Double(all.count)
            rows.append(
                Row(
                    id: rule.id, label: rule.label?.resolved(nil, fallbacks: interview.languages) ?? rule.id,
                    kind: rule.kind.rawValue, period: rule.kind == .diagnosis ? rule.period : nil,
                    statistics: statistics, prevalence: prevalence))
            guard rule.kind == .diagnosis else { continue }
            for (group, statuses) in zip(groups, ratings) where Set(statuses).count > 1 {
                let criteria = rule.criteria.compactMap { id -> (String, [Status])? in
                    let values = group.sessions.map { $0.status(of: id) ?? .indeterminate }
                    return Set(values).count > 1 ? (id, values) : nil
                }
                let items = closure[ruleIndex].sorted().compactMap { index -> (String, [String])? in
                    let id = interview.items[index].id
                    let answers = group.sessions.map { $0.answer(id) }
                    return Set(answers).count > 1 ? (id, answers) : nil
                }
                disagreements.append(
                    Disagreement(
                        client: group.client, diagnosis: rule.id,
                        ratings: zip(group.sessions.map(\.rater), statuses).map { ($0, $1) },
                        criteria: criteria.map { ($0.0, $0.1) }, items: items.map { ($0.0, $0.1) }))
            }
        }
        // Each diagnosis, then the criteria it rests on; other criteria last.
        var ordered: [Row] = []
        var placed = Set<String>()
        for rule in interview.rules where rule.kind == .diagnosis {
            for id in [rule.id] + rule.criteria where !placed.contains(id) {
                if let row = rows.first(where: { $0.id == id }) { ordered.append(row); placed.insert(id) }
            }
        }
        ordered += rows.filter { !placed.contains($0.id) }
        return AgreementReport(
            interviewID: interview.id, raters: raters, clients: groups.count, rows: ordered,
            disagreements: disagreements, notes: notes)
    }

    static func number(_ value: Double?, _ digits: Int = 2) -> String {
        guard let value else { return "—" }
        return String(format: "%.\(digits)f", value)
    }

    public var text: String {
        var out =
            "Inter-rater agreement: \(interviewID), \(clients) clients, \(raters) raters each (\(raters == 2 ? "Cohen's" : "Fleiss'") kappa)\n\n"
        let header = ["", "pairs", "agree", "kappa", "SE", "95% CI", "prevalence"]
        var table = [header]
        for row in rows {
            let ci =
                row.statistics.confidence95.map { "\(Self.number($0.lowerBound)) to \(Self.number($0.upperBound))" }
                ?? "—"
            let name =
                (row.kind == "criterion" ? "  " : "") + row.id
                + (row.period.map { $0 == .current ? "" : " [\($0.rawValue)]" } ?? "")
            table.append([
                name, "\(row.statistics.subjects)", Self.number(row.statistics.observed * 100, 0) + "%",
                Self.number(row.statistics.kappa), Self.number(row.statistics.standardError), ci,
                Self.number(row.prevalence * 100, 0) + "%",
            ])
        }
        let widths = (0..<header.count).map { column in table.map { $0[column].count }.max() ?? 0 }
        for line in table {
            out +=
                line.enumerated().map { index, cell in
                    index == 0
                        ? cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
                        : String(repeating: " ", count: widths[index] - cell.count) + cell
                }.joined(separator: "  ") + "\n"
        }
        out +=
            "\nA dash for kappa: undefined, every rating in one category. Diagnoses are current unless marked [past] or [lifetime].\n"
        if !disagreements.isEmpty {
            out += "\nDisagreements\n"
            for d in disagreements {
                out +=
                    "- \(d.client), \(d.diagnosis): "
                    + d.ratings.map { "\($0.rater) \($0.status.rawValue)" }.joined(separator: ", ") + "\n"
                for c in d.criteria {
                    out += "    criterion \(c.id): " + c.statuses.map(\.rawValue).joined(separator: " / ") + "\n"
                }
                for i in d.items { out += "    item \(i.id): " + i.answers.joined(separator: " / ") + "\n" }
            }
        }
        for note in notes { out += "note: \(note)\n" }
        return out
    }

    public var json: JSONOutput {
        return .object([
            ("interview", .string(interviewID)), ("clients", .number(Double(clients))),
            ("raters", .number(Double(raters))),
            ("method", .string(raters == 2 ? "cohen" : "fleiss")),
            ("rows", .array(rows.map(Self.rowJSON))),
            (
                "disagreements",
                .array(
                    disagreements.map { d in
                        .object([
                            ("client", .string(d.client)), ("diagnosis", .string(d.diagnosis)),
                            (
                                "ratings",
                                .array(
                                    d.ratings.map {
                                        .object([("rater", .string($0.rater)), ("status", .string($0.status.rawValue))])
                                    })
                            ),
                            (
                                "criteria",
                                .object(d.criteria.map { ($0.id, .array($0.statuses.map { .string($0.rawValue) })) })
                            ),
                            ("items", .object(d.items.map { ($0.id, .array($0.answers.map(JSONOutput.string))) })),
                        ])
                    })
            ),
            ("notes", .array(notes.map(JSONOutput.string))),
        ])
    }

    static func rowJSON(_ row: Row) -> JSONOutput {
        let s = row.statistics
        let kappa: JSONOutput = s.kappa.map(JSONOutput.number) ?? .null
        let se: JSONOutput = s.standardError.map(JSONOutput.number) ?? .null
        var ci: JSONOutput = .null
        if let range = s.confidence95 { ci = .array([.number(range.lowerBound), .number(range.upperBound)]) }
        let fields: [(String, JSONOutput)] = [
            ("id", .string(row.id)), ("kind", .string(row.kind)),
            ("period", row.period.map { .string($0.rawValue) } ?? .null), ("label", .string(row.label)),
            ("subjects", .number(Double(s.subjects))), ("agreement", .number(s.observed)),
            ("expected", .number(s.expected)),
            ("kappa", kappa), ("standard_error", se), ("ci95", ci), ("prevalence", .number(row.prevalence)),
        ]
        return .object(fields)
    }

    public var csv: String {
        var lines = ["interview,id,kind,subjects,agreement,kappa,standard_error,ci95_low,ci95_high,prevalence,period"]
        for row in rows {
            let s = row.statistics
            func optional(_ value: Double?) -> String { value.map { Self.number($0, 4) } ?? "" }
            var fields: [String] = [interviewID, row.id, row.kind, String(s.subjects), Self.number(s.observed, 4)]
            fields.append(optional(s.kappa))
            fields.append(optional(s.standardError))
            fields.append(optional(s.confidence95?.lowerBound))
            fields.append(optional(s.confidence95?.upperBound))
            fields.append(Self.number(row.prevalence, 4))
            fields.append(row.period?.rawValue ?? "")
            lines.append(fields.map(AnswerTable.quote).joined(separator: ","))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }
}
