import ClinterviewCore
import ClinterviewJournal
import Foundation

/// The score sheet as plain text or Markdown: the same blocks, two layouts.
public enum ReportText {
    enum Block {
        case title(String)
        case heading(String)
        case field(String, String)
        case line(String, indent: Int)
        case gap
    }

    /// Times are shown in `timeZone` to the minute (JSON keeps UTC to the millisecond).
    public static func text(_ report: SessionReport, timeZone: TimeZone = .current) -> String {
        var out = ""
        let visible = { (text: String) in VisibleText.escaped(text) }
        for block in blocks(report, timeZone: timeZone) {
            switch block {
            case .title(let t): out += visible(t) + "\n" + String(repeating: "=", count: min(78, t.count)) + "\n"
            case .heading(let h):
                out += "\n" + visible(h) + "\n" + String(repeating: "-", count: min(78, h.count)) + "\n"
            case .field(let k, let v): out += "\(visible(k)): \(visible(v))\n"
            case .line(let l, let indent): out += String(repeating: "  ", count: indent) + visible(l) + "\n"
            case .gap: out += "\n"
            }
        }
        return out
    }

    public static func markdown(_ report: SessionReport, timeZone: TimeZone = .current) -> String {
        var out = ""
        for block in blocks(report, timeZone: timeZone) {
            switch block {
            case .title(let t): out += "# \(escape(t))\n\n"
            case .heading(let h): out += "\n## \(escape(h))\n\n"
            case .field(let k, let v): out += "- **\(escape(k)):** \(escape(v))\n"
            case .line(let l, let indent): out += String(repeating: "  ", count: indent) + "- " + escape(l) + "\n"
            case .gap: out += "\n"
            }
        }
        return out
    }

    static func escape(_ text: String) -> String {
        var result = ""
        for character in VisibleText.escaped(text.replacingOccurrences(of: "\n", with: " ")) {
            if "\\`*_[]<>#|".contains(character) { result.append("\\") }
            result.append(character)
        }
        return result
    }

    static func status(_ status: Status) -> String {
        switch status {
        case .met: "MET"
        case .notMet: "not met"
        case .indeterminate: "INDETERMINATE"
        }
    }

    static func number(_ value: Double) -> String { formatNumber(value) }

    static func diagnosisBlocks(_ diagnosis: SessionReport.DiagnosisLine, into b: inout [Block]) {
        b.append(.line("\(diagnosis.label): \(status(diagnosis.status))", indent: 0))
        if !diagnosis.blocking.isEmpty {
            b.append(
                .line(
                    "decided by the unanswered or unclear items: \(diagnosis.blocking.joined(separator: ", "))",
                    indent: 1))
        }
        for criterion in diagnosis.criteria {
            b.append(
                .line(
                    "\(criterion.label): \(criterion.notAsked ? "not asked (skipped by routing)" : status(criterion.status))",
                    indent: 1))
            for progress in criterion.progress { b.append(.line(progress, indent: 2)) }
            for evidence in criterion.evidence { b.append(.line(questionLine(evidence), indent: 2)) }
        }
    }

    /// An item as a reader meets it: its id, its question cut to a line, and the answer.
    static func questionLine(_ line: SessionReport.AnswerLine) -> String {
        let question = line.prompt.count > 70 ? String(line.prompt.prefix(69)) + "…" : line.prompt
        return question.isEmpty ? "\(line.item): \(line.answer)" : "\(line.item) (\(question)): \(line.answer)"
    }

    /// `2026-11-27 09:00` in `timeZone`, and the zone's abbreviation.
    static func localTime(_ date: Date, _ timeZone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        let pad = CalendarDate.zeroPadded
        let zone = timeZone.abbreviation(for: date) ?? timeZone.identifier
        return "\(pad(parts.year ?? 0, 4))-\(pad(parts.month ?? 0, 2))-\(pad(parts.day ?? 0, 2)) "
            + "\(pad(parts.hour ?? 0, 2)):\(pad(parts.minute ?? 0, 2)) \(zone)"
    }

    /// What a GP reads in half a minute: what is met, what is undecided and why,
    /// the scores with their bands, and whether any risk alert was raised.
    static func summary(_ r: SessionReport) -> [Block] {
        var b: [Block] = [.heading("Summary")]
        let current = r.diagnoses.filter { $0.period == .current }
        let met = current.filter { $0.status == .met }.map(\.label)
        b.append(.line("Current diagnoses met: " + (met.isEmpty ? "none" : met.joined(separator: "; ")), indent: 0))
        for diagnosis in r.diagnoses where diagnosis.status == .indeterminate {
            let why =
                diagnosis.blocking.isEmpty
                ? "its questions were not asked" : "decided by \(diagnosis.blocking.joined(separator: ", "))"
            b.append(.line("Undetermined: \(diagnosis.label) (\(why))", indent: 0))
        }
        let history = r.diagnoses.filter { $0.period != .current && $0.status == .met }.map(\.label)
        if !history.isEmpty { b.append(.line("History: " + history.joined(separator: "; "), indent: 0)) }
        for score in r.scores {
            if let value = score.value {
                b.append(.line("\(score.label): \(number(value))\(score.band.map { " (\($0))" } ?? "")", indent: 0))
            }
        }
        if r.alerts.isEmpty {
            b.append(.line("Risk: no alert raised" + (r.risk.isEmpty ? "" : " (risk questions below)"), indent: 0))
        } else {
            for alert in r.alerts {
                b.append(
                    .line(
                        "Risk: \(alert.severity.uppercased()) alert, \(alert.acknowledged == nil ? "NOT acknowledged" : "acknowledged"): \(alert.message)",
                        indent: 0))
            }
        }
        return b
    }

    static func blocks(_ r: SessionReport, timeZone: TimeZone = .current) -> [Block] {
        var b: [Block] = [.title("Assessment: \(r.interviewTitle)")]
        if let used = r.definitionUsed {
            b.append(
                .field(
                    "WARNING",
                    "these results were computed with \(used.path) (SHA-256 \(used.sha256)), not with the definition the session was recorded with (SHA-256 \(r.header.definitionSHA256))"
                ))
        }
        b.append(.field("Client", r.header.client))
        b.append(.field("Assessed by", "\(r.header.rater), \(r.header.role)"))
        b.append(.field("Date", localTime(r.started, timeZone)))
        if r.header.blind {
            b.append(
                .field("Blind follow-up", "yes: the assessor was shown nothing from the client's earlier sessions"))
        }
        if let frame = r.header.timeFrame { b.append(.field("Time frame", frame)) }
        b.append(
            .field(
                "Time interviewing",
                "\(Int(r.interviewingTime / 60)) min, pauses left out (\(r.completed ? "completed" : "not completed"))")
        )
        b.append(
            .field(
                "Interview",
                "\(r.header.interviewID) \(r.header.interviewVersion), definition SHA-256 \(r.header.definitionSHA256)")
        )
        b.append(
            .field(
                "Session",
                "\(r.header.sessionID); journal \(r.journalIntact ? "intact" : "NOT INTACT"), \(r.journalRecords) records, head SHA-256 \(r.journalHeadHash)"
            ))
        b += summary(r)
        if !r.risk.isEmpty {
            b.append(.heading("Risk"))
            for line in r.risk { b.append(.line(questionLine(line), indent: 0)) }
            if r.alerts.isEmpty { b.append(.line("No alert was raised.", indent: 0)) }
            for alert in r.alerts {
                let acknowledged =
                    alert.acknowledged.map { "acknowledged \(localTime($0, timeZone))" } ?? "NOT acknowledged"
                b.append(.line("\(alert.severity.uppercased()): \(alert.message) (\(acknowledged))", indent: 0))
            }
        }
        if !r.overview.isEmpty {
            b.append(.heading("Overview (the client's account)"))
            for line in r.overview { b.append(.line("\(line.prompt) — \(line.answer)", indent: 0)) }
        }
        if r.diagnoses.isEmpty {
            b.append(.heading("Diagnoses"))
            b.append(.line("none in this interview", indent: 0))
        }
        for period in DiagnosisPeriod.allCases {
            let group = r.diagnoses.filter { $0.period == period }
            if group.isEmpty { continue }
            b.append(.heading("\(period.heading) diagnoses"))
            for diagnosis in group { diagnosisBlocks(diagnosis, into: &b) }
        }
        b.append(.heading("Scores"))
        if r.scores.isEmpty { b.append(.line("none in this interview", indent: 0)) }
        for score in r.scores {
            if let value = score.value {
                b.append(.line("\(score.label): \(number(value))\(score.band.map { " (\($0))" } ?? "")", indent: 0))
            } else {
                let range =
                    score.low.flatMap { low in score.high.map { ", between \(number(low)) and \(number($0))" } } ?? ""
                b.append(.line("\(score.label): not determined\(range)", indent: 0))
            }
        }
        b.append(.heading("Alerts"))
        if r.alerts.isEmpty { b.append(.line("none", indent: 0)) }
        for alert in r.alerts {
            let raised = alert.raised.map { " raised \(localTime($0, timeZone))" } ?? ""
            let acknowledged =
                alert.acknowledged.map { "acknowledged \(localTime($0, timeZone))" } ?? "NOT acknowledged"
            b.append(
                .line(
                    "\(alert.severity.uppercased()): \(alert.message) (\(alert.id);\(raised); \(acknowledged))",
                    indent: 0))
        }
        b.append(.heading("Amended answers"))
        if r.amendments.isEmpty { b.append(.line("none", indent: 0)) }
        for amendment in r.amendments {
            b.append(
                .line(
                    "\(amendment.item): \(amendment.from) → \(amendment.to), \(localTime(amendment.time, timeZone)). Reason: \(amendment.reason)",
                    indent: 0))
        }
        b.append(.heading("Skipped items"))
        if r.skipped.isEmpty { b.append(.line("none", indent: 0)) }
        for entry in r.skipped { b.append(.line("\(entry.item): \(entry.text)", indent: 0)) }
        b.append(.heading("Notes"))
        if r.notes.isEmpty { b.append(.line("none", indent: 0)) }
        for note in r.notes {
            b.append(.line("\(note.item) (\(localTime(note.time, timeZone))): \(note.text)", indent: 0))
        }
        b.append(.gap)
        b.append(
            .line(
                "Produced by Clinterview from the session journal. The bundled interviews are not validated instruments; results support, and do not replace, clinical judgement.",
                indent: 0))
        return b
    }
}
