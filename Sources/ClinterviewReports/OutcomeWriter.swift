import ClinterviewCore
import ClinterviewJournal
import Foundation

/// Writes an outcome report one client at a time, so that a service's year
/// is never held in memory: each client's part goes to a spool as it comes,
/// and `finish` writes the figures over everyone, then the spool. Text, JSON,
/// CSV and HTML (`OutcomePage`) are written here and nowhere else.
public final class OutcomeWriter {
    public enum Format: Sendable { case text, json, csv, html }

    let format: Format
    let spool: any OutcomeSpool
    public private(set) var summary = OutcomeSummary()
    var notes: [String] = []

    public init(format: Format, spool: any OutcomeSpool) {
        self.format = format
        self.spool = spool
    }

    var written = 0

    /// Counts the client in the figures and writes their part.
    public func add(_ client: OutcomeReport.ClientOutcome) {
        summary.add(client)
        write(client)
    }

    /// Writes the client's part only: their figures come with `count`.
    public func write(_ client: OutcomeReport.ClientOutcome) {
        let first = written == 0
        written += 1
        switch format {
        case .text: spool.append(Array(Self.clientText(client).utf8))
        case .csv: spool.append(Array((Self.csvRow(client) + "\r\n").utf8))
        case .html: spool.append(Array(OutcomePage.row(client).utf8))
        case .json:
            // Each element as the serializer writes it at depth 2 of the report.
            spool.append(Array((first ? "    " : ",\n    ").utf8))
            spool.append(Self.clientJSON(client).serializedUTF8(indent: "  ", level: 2))
        }
    }

    /// Counts clients summed up elsewhere (a batch judged on another core), after those counted so far.
    public func count(_ figures: OutcomeSummary) { summary.merge(figures) }

    /// A client left out of the figures, and why.
    public func note(_ text: String) { notes.append(text) }

    /// Writes the whole report to `out`, in pieces.
    public func finish(_ out: ([UInt8]) -> Void) {
        switch format {
        case .text:
            out(Array(Self.summaryText(summary).utf8))
            spool.replay(out)
            out(Array(notes.map { "note: \($0)\n" }.joined().utf8))
        case .csv:
            out(Array((Self.csvHeader + "\r\n").utf8))
            spool.replay(out)
        case .html:
            out(Array(OutcomePage.head(summary).utf8))
            spool.replay(out)
            out(Array(OutcomePage.tail(notes).utf8))
        case .json:
            // The report with an empty per_client, cut where its elements go.
            let whole = Self.jsonObject(summary, perClient: [], notes: notes).serializedUTF8(indent: "  ")
            let marker = Array("\"per_client\": []".utf8)
            guard written > 0, let at = whole.firstRange(of: marker) else {
                out(whole + [UInt8(ascii: "\n")])
                return
            }
            out(Array(whole[..<at.lowerBound]) + Array("\"per_client\": [\n".utf8))
            spool.replay(out)
            out(Array("\n  ]".utf8) + Array(whole[at.upperBound...]) + [UInt8(ascii: "\n")])
        }
    }

    // MARK: Text

    static func summaryText(_ s: OutcomeSummary) -> String {
        func rate(_ r: OutcomeSummary.Rate, _ followed: String, _ everyone: String) -> String {
            "\(r.followedUp.text) of \(followed); \(r.everyone.text) of \(everyone)"
        }
        let without = s.assessed - s.followedUp
        var out =
            "Outcomes: \(s.assessed) client\(s.assessed == 1 ? "" : "s") assessed at intake; \(s.followedUp) with a follow-up assessment, \(without) without\n"
        if without > 0 {
            out += "\nWithout a follow-up (counted as not recovered among everyone assessed):\n"
            for (reason, count) in s.withoutFollowUp.sorted(by: { ($1.value, $0.key) < ($0.value, $1.key) }) {
                out += "  \(reason): \(count)\n"
            }
        }
        out += "\nBy questionnaire (NHS Talking Therapies, PHQ-9 and GAD-7):\n"
        out += "  recovered: \(rate(s.recovered, "cases followed up", "cases at intake"))\n"
        out += "  reliable recovery: \(rate(s.reliablyRecovered, "cases followed up", "cases at intake"))\n"
        out += "  reliable improvement: \(rate(s.reliablyImproved, "measured twice", "measured at intake"))\n"
        out += "  reliable deterioration: \(s.reliablyDeteriorated.text) of measured twice\n"
        out += "By diagnostic interview (current diagnoses):\n"
        out +=
            "  lost every current diagnosis: \(rate(s.lostEveryDiagnosis, "diagnosed and followed up", "diagnosed at intake"))\n"
        out += "    judged by an independent blind assessor: \(s.lostByIndependentBlind.text)\n"
        out += "    judged unblinded or by an intake assessor: \(s.lostByOthers.text)\n"
        out += "  follow-up assessments made blind: \(s.blindFollowUps) of \(s.followedUp)\n"
        if !s.intakeDiagnosesByRole.isEmpty {
            out += "Intake diagnoses, by the assessor's role (clients with a current diagnosis at intake):\n"
            for (role, count) in s.intakeDiagnosesByRole.sorted(by: { ($1.value, $0.key) < ($0.value, $1.key) }) {
                out += "  \(role.isEmpty ? "role not recorded" : role): \(count)\n"
            }
        }
        let timed = s.assessorsWithFigures
        if !timed.isEmpty {
            out += "Fidelity per assessor (docs/outcomes.md):\n"
            for (rater, f) in timed { out += "  \(rater) (\(f.role)): \(fidelityText(f))\n" }
        }
        if !s.disagreements.isEmpty {
            out += "\nClients for whom the two disagree:\n"
            for (client, text) in s.disagreements { out += "  \(client): \(text)\n" }
        }
        return out + "\nPer client:\n"
    }

    static func fidelityText(_ f: OutcomeSummary.AssessorFidelity) -> String {
        var parts: [String] = []
        if f.journaled == 0 {
            parts.append("no sessions with a journal (answer files have no timings)")
        } else {
            let quick =
                f.answers == 0 ? "—" : String(format: "%.0f%%", Double(f.quickAnswers) * 100 / Double(f.answers))
            parts += [
                "\(f.journaled) session\(f.journaled == 1 ? "" : "s"), \(f.unfinished) unfinished",
                "\(f.secondsPerAnswer.map { String(format: "%.1f", $0) } ?? "—") s per answer, \(quick) of answers quick",
                "\(f.skipped) skipped\(skippedText(f)), \(f.inadequate) rated ?, \(f.overridden) checks overridden, "
                    + "\(f.amendedAfterCompletion) amended after completion",
                "\(f.implausiblyQuick) implausibly quick",
            ]
            if !f.hurriedModules.isEmpty {
                parts.append("modules in under half their expected time: " + hurriedText(f))
            }
        }
        if f.doubleRated > 0 {
            parts.append(
                "agrees with a second rater on \(f.agreedWithSecondRater.text) of diagnoses, over \(f.doubleRated) double-rated sessions"
            )
        }
        return parts.joined(separator: "; ")
    }

    /// How many modules were hurried, and the three quickest with the share of
    /// their expected time taken (JSON lists them all).
    static func hurriedText(_ f: OutcomeSummary.AssessorFidelity) -> String {
        let hurried = f.hurriedModules
        guard !hurried.isEmpty else { return "none" }
        let quickest = hurried.prefix(3).map { String(format: "%@ %.0f%%", $0.id, $0.share * 100) }
        return "\(hurried.count) (" + quickest.joined(separator: ", ") + (hurried.count > 3 ? ", …)" : ")")
    }

    /// " (most: A7 ×3, ...)" when anything was skipped.
    static func skippedText(_ f: OutcomeSummary.AssessorFidelity) -> String {
        f.mostSkipped.isEmpty
            ? "" : " (most: " + f.mostSkipped.map { "\($0.item) ×\($0.count)" }.joined(separator: ", ") + ")"
    }

    static func clientText(_ c: OutcomeReport.ClientOutcome) -> String {
        guard c.followUp != nil else {
            let met = c.diagnoses.filter { $0.period == .current && $0.intake == .met }.map(\.label)
            return "  \(c.client): no follow-up (\(c.episode?.text ?? "no status recorded"))"
                + (met.isEmpty ? "" : "; at intake: \(met.joined(separator: "; "))") + "\n"
        }
        let q =
            c.questionnaire.map {
                "PHQ-9 \(formatNumber(c.phq!.first))→\(formatNumber(c.phq!.last)), GAD-7 \(formatNumber(c.gad!.first))→\(formatNumber(c.gad!.last))"
                    + ($0.recovered ? ", recovered" : "") + ($0.reliableImprovement ? ", reliable improvement" : "")
                    + ($0.reliableDeterioration ? ", reliable deterioration" : "")
            } ?? "questionnaires not measured"
        var out = "  \(c.client): \(q)\n"
        for d in c.diagnoses where d.period == .current {
            out +=
                "    \(d.label): \(d.change.rawValue) (\(d.intake?.rawValue ?? "—") → \(d.followUp?.rawValue ?? "—"))\n"
        }
        if let lost = c.lostEveryDiagnosis {
            let how =
                c.independentBlindFollowUp
                ? " (independent blind follow-up)" : c.blindFollowUp ? " (blind follow-up)" : ""
            out += "    lost every current diagnosis: \(lost ? "yes" : "no")\(how)\n"
        }
        let history = c.diagnoses.filter { $0.period != .current && ($0.intake == .met || $0.followUp == .met) }
        if !history.isEmpty {
            out +=
                "    history (not compared): "
                + history.map { "\($0.label) [\($0.period.rawValue)]" }.joined(separator: "; ") + "\n"
        }
        return out
    }

    // MARK: JSON

    static func jsonObject(_ s: OutcomeSummary, perClient: [JSONOutput], notes: [String]) -> JSONOutput {
        func proportion(_ p: OutcomeReport.Proportion) -> JSONOutput {
            .object([
                ("count", .number(Double(p.count))), ("of", .number(Double(p.of))),
                ("percent", p.percent.map(JSONOutput.number) ?? .null),
            ])
        }
        func rate(_ r: OutcomeSummary.Rate) -> JSONOutput {
            .object([("followed_up", proportion(r.followedUp)), ("everyone", proportion(r.everyone))])
        }
        func counts(_ c: [String: Int]) -> JSONOutput {
            .object(c.sorted { $0.key < $1.key }.map { ($0.key, .number(Double($0.value))) })
        }
        return .object([
            ("clients", .number(Double(s.assessed))),
            ("followed_up", .number(Double(s.followedUp))),
            ("without_follow_up", counts(s.withoutFollowUp)),
            (
                "compares",
                .string("current diagnoses: past and lifetime diagnoses are reported as history and never lost")
            ),
            (
                "summary",
                .object([
                    ("recovered", rate(s.recovered)), ("reliable_recovery", rate(s.reliablyRecovered)),
                    ("reliable_improvement", rate(s.reliablyImproved)),
                    ("reliable_deterioration", proportion(s.reliablyDeteriorated)),
                    ("lost_every_diagnosis", rate(s.lostEveryDiagnosis)),
                    ("lost_by_independent_blind_assessor", proportion(s.lostByIndependentBlind)),
                    ("lost_by_other_assessment", proportion(s.lostByOthers)),
                    ("blind_follow_ups", .number(Double(s.blindFollowUps))),
                    ("intake_diagnoses_by_role", counts(s.intakeDiagnosesByRole)),
                ])
            ),
            (
                "fidelity",
                .object(
                    s.assessorsWithFigures.map { rater, f in
                        (
                            rater,
                            .object([
                                ("role", .string(f.role)), ("sessions", .number(Double(f.journaled))),
                                ("unfinished", .number(Double(f.unfinished))),
                                ("answers", .number(Double(f.answers))),
                                ("quick_answers", .number(Double(f.quickAnswers))),
                                (
                                    "seconds_per_answer",
                                    f.secondsPerAnswer.map { .number(($0 * 10).rounded() / 10) } ?? .null
                                ),
                                ("skipped", .number(Double(f.skipped))),
                                (
                                    "skipped_items",
                                    .object(
                                        f.skippedItems.sorted { $0.key < $1.key }.map {
                                            ($0.key, .number(Double($0.value)))
                                        })
                                ),
                                ("inadequate", .number(Double(f.inadequate))),
                                ("overridden", .number(Double(f.overridden))),
                                ("amended_after_completion", .number(Double(f.amendedAfterCompletion))),
                                ("implausibly_quick_sessions", .number(Double(f.implausiblyQuick))),
                                (
                                    "modules",
                                    .object(
                                        f.modules.sorted { $0.key < $1.key }.map {
                                            (
                                                $0.key,
                                                .object([
                                                    ("seconds", .number($0.value.seconds)),
                                                    ("expected", .number($0.value.expected)),
                                                ])
                                            )
                                        })
                                ),
                                (
                                    "hurried_modules",
                                    .array(f.hurriedModules.map { .string($0.id) })
                                ),
                                ("double_rated_sessions", .number(Double(f.doubleRated))),
                                ("agreed_with_second_rater", .number(Double(f.agreedWithSecondRater.count))),
                                ("compared_with_second_rater", .number(Double(f.agreedWithSecondRater.of))),
                            ])
                        )
                    })
            ),
            ("disagree", .array(s.disagreements.map { .string($0.client) })),
            ("per_client", .array(perClient)),
            ("notes", .array(notes.map(JSONOutput.string))),
        ])
    }

    static func clientJSON(_ c: OutcomeReport.ClientOutcome) -> JSONOutput {
        func bool(_ b: Bool?) -> JSONOutput { b.map(JSONOutput.bool) ?? .null }
        var questionnaire: JSONOutput = .null
        if let q = c.questionnaire, let phq = c.phq, let gad = c.gad {
            questionnaire = .object([
                ("phq9", .array([.number(phq.first), .number(phq.last)])),
                ("gad7", .array([.number(gad.first), .number(gad.last)])),
                ("case_at_intake", .bool(q.caseAtFirst)), ("recovered", .bool(q.recovered)),
                ("reliable_improvement", .bool(q.reliableImprovement)),
                ("reliable_deterioration", .bool(q.reliableDeterioration)),
                ("reliable_recovery", .bool(q.reliableRecovery)),
            ])
        }
        let diagnoses: [JSONOutput] = c.diagnoses.map { d in
            .object([
                ("id", .string(d.id)), ("period", .string(d.period.rawValue)),
                ("intake", d.intake.map { .string($0.rawValue) } ?? .null),
                ("follow_up", d.followUp.map { .string($0.rawValue) } ?? .null), ("change", .string(d.change.rawValue)),
            ])
        }
        return .object([
            ("client", .string(c.client)), ("intake", c.intake.map { .string(Timestamp.string($0)) } ?? .null),
            ("follow_up", c.followUp.map { .string(Timestamp.string($0)) } ?? .null),
            ("episode_status", c.episode.map { .string($0.text) } ?? .null),
            ("intake_roles", .array(c.intakeRoles.map(JSONOutput.string))),
            ("case_at_intake", bool(c.caseAtIntake)),
            ("blind_follow_up", .bool(c.blindFollowUp)),
            ("independent_blind_follow_up", .bool(c.independentBlindFollowUp)),
            ("diagnoses", .array(diagnoses)), ("had_diagnosis", .bool(c.hadDiagnosis)),
            ("lost_every_diagnosis", bool(c.lostEveryDiagnosis)),
            ("questionnaires", questionnaire),
        ])
    }

    // MARK: CSV

    static let csvHeader =
        "client,followed_up,episode_status,intake_roles,phq9_first,phq9_last,gad7_first,gad7_last,case_at_intake,recovered,reliable_improvement,reliable_deterioration,reliable_recovery,had_diagnosis,lost_every_diagnosis,blind_follow_up,independent_blind_follow_up"

    static func csvRow(_ c: OutcomeReport.ClientOutcome) -> String {
        func b(_ v: Bool?) -> String { v.map { $0 ? "true" : "false" } ?? "" }
        let q = c.questionnaire
        let fields: [String] = [
            c.client, b(c.followUp != nil), c.episode?.text ?? "", c.intakeRoles.joined(separator: "; "),
            c.phq.map { formatNumber($0.first) } ?? "", c.phq.map { formatNumber($0.last) } ?? "",
            c.gad.map { formatNumber($0.first) } ?? "", c.gad.map { formatNumber($0.last) } ?? "",
            b(c.caseAtIntake), b(q?.recovered), b(q?.reliableImprovement), b(q?.reliableDeterioration),
            b(q?.reliableRecovery), b(c.hadDiagnosis), b(c.lostEveryDiagnosis), b(c.blindFollowUp),
            b(c.independentBlindFollowUp),
        ]
        return fields.map(AnswerTable.quote).joined(separator: ",")
    }
}

/// Where an `OutcomeWriter` keeps the clients' parts until the figures over
/// everyone are known.
public protocol OutcomeSpool: AnyObject {
    func append(_ bytes: [UInt8])
    /// Everything appended, in order, in pieces.
    func replay(_ out: ([UInt8]) -> Void)
}

/// A spool in memory, for reports of a few clients.
public final class MemorySpool: OutcomeSpool {
    var bytes: [UInt8] = []
    public init() {}
    public func append(_ bytes: [UInt8]) { self.bytes += bytes }
    public func replay(_ out: ([UInt8]) -> Void) { out(bytes) }
}

/// A spool in a temporary file that no other program can open (unlinked at
/// once), for a service's year: memory holds one client's part.
public final class FileSpool: OutcomeSpool {
    let file: UnsafeMutablePointer<FILE>
    /// A write fell short (a full disk): the report would be incomplete.
    public private(set) var failed = false

    public init?() {
        guard let file = tmpfile() else { return nil }
        self.file = file
    }

    deinit { fclose(file) }

    public func append(_ bytes: [UInt8]) {
        let written = bytes.withUnsafeBufferPointer { fwrite($0.baseAddress, 1, $0.count, file) }
        if written < bytes.count { failed = true }
    }

    /// Pieces end at a line's end, so that no character is cut in two.
    public func replay(_ out: ([UInt8]) -> Void) {
        if fflush(file) != 0 { failed = true }
        rewind(file)
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var carried: [UInt8] = []
        while true {
            let count = buffer.withUnsafeMutableBufferPointer { fread($0.baseAddress, 1, $0.count, file) }
            if count == 0 { break }
            let read = buffer[..<count]
            guard let lastNewline = read.lastIndex(of: UInt8(ascii: "\n")) else {
                carried += read
                continue
            }
            out(carried + read[...lastNewline])
            carried = Array(read[(lastNewline + 1)...])
        }
        if !carried.isEmpty { out(carried) }
    }
}
