import ClinterviewCore
import ClinterviewJournal
import Foundation

/// The report as JSON (schema: docs/reports.md).
public enum ReportJSON {
    public static let format = "clinterview-report/1"

    public static func json(_ r: SessionReport) -> JSONOutput {
        func time(_ date: Date?) -> JSONOutput { date.map { .string(Timestamp.string($0)) } ?? .null }
        func number(_ value: Double?) -> JSONOutput { value.map(JSONOutput.number) ?? .null }
        func answers(_ lines: [SessionReport.AnswerLine]) -> JSONOutput {
            .array(
                lines.map {
                    .object([
                        ("item", .string($0.item)), ("prompt", .string($0.prompt)), ("answer", .string($0.answer)),
                    ])
                })
        }
        return .object([
            ("format", .string(format)),
            (
                "session",
                .object([
                    ("id", .string(r.header.sessionID)), ("client", .string(r.header.client)),
                    ("rater", .string(r.header.rater)), ("role", .string(r.header.role)),
                    ("started", time(r.started)), ("last_activity", time(r.lastActivity)),
                    ("duration_seconds", .number(r.duration.rounded())),
                    ("interviewing_seconds", .number(r.interviewingTime.rounded())), ("completed", .bool(r.completed)),
                    ("blind", .bool(r.header.blind)),
                    ("time_frame", r.header.timeFrame.map(JSONOutput.string) ?? .null),
                    (
                        "journal",
                        .object([
                            ("intact", .bool(r.journalIntact)), ("records", .number(Double(r.journalRecords))),
                            ("head_sha256", .string(r.journalHeadHash)),
                        ])
                    ),
                ])
            ),
            (
                "interview",
                .object([
                    ("id", .string(r.header.interviewID)), ("version", .string(r.header.interviewVersion)),
                    ("title", .string(r.interviewTitle)), ("definition_sha256", .string(r.header.definitionSHA256)),
                    ("results_definition_sha256", .string(r.definitionUsed?.sha256 ?? r.header.definitionSHA256)),
                ])
            ),
            ("risk", answers(r.risk)),
            ("overview", answers(r.overview)),
            (
                "diagnoses",
                .array(
                    r.diagnoses.map { d in
                        .object([
                            ("id", .string(d.id)), ("label", .string(d.label)), ("status", .string(d.status.rawValue)),
                            ("period", .string(d.period.rawValue)),
                            ("blocking", .array(d.blocking.map(JSONOutput.string))),
                            (
                                "criteria",
                                .array(
                                    d.criteria.map { c in
                                        .object([
                                            ("id", .string(c.id)), ("label", .string(c.label)),
                                            ("status", .string(c.status.rawValue)), ("not_asked", .bool(c.notAsked)),
                                            ("progress", .array(c.progress.map(JSONOutput.string))),
                                            ("evidence", answers(c.evidence)),
                                        ])
                                    })
                            ),
                        ])
                    })
            ),
            (
                "scores",
                .array(
                    r.scores.map { s in
                        .object([
                            ("id", .string(s.id)), ("label", .string(s.label)), ("value", number(s.value)),
                            ("band", s.band.map(JSONOutput.string) ?? .null),
                            ("low", number(s.low)), ("high", number(s.high)),
                        ])
                    })
            ),
            (
                "alerts",
                .array(
                    r.alerts.map { a in
                        .object([
                            ("id", .string(a.id)), ("severity", .string(a.severity)), ("message", .string(a.message)),
                            ("raised", time(a.raised)), ("acknowledged", time(a.acknowledged)),
                        ])
                    })
            ),
            (
                "amendments",
                .array(
                    r.amendments.map { a in
                        .object([
                            ("item", .string(a.item)), ("from", .string(a.from)), ("to", .string(a.to)),
                            ("reason", .string(a.reason)), ("time", time(a.time)),
                        ])
                    })
            ),
            (
                "skipped",
                .array(
                    r.skipped.map {
                        .object([("item", .string($0.item)), ("reason", .string($0.text)), ("time", time($0.time))])
                    })
            ),
            (
                "notes",
                .array(
                    r.notes.map {
                        .object([("item", .string($0.item)), ("text", .string($0.text)), ("time", time($0.time))])
                    })
            ),
        ])
    }
}
