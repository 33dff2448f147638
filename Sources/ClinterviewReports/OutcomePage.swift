import ClinterviewCore
import ClinterviewJournal
import Foundation

/// The outcome report as one self-contained HTML page a service manager
/// reads at a glance: the flow of clients, questionnaire recovery beside
/// loss of diagnosis, and each client in a table. Charts are inline SVG;
/// no scripts, no fonts, nothing fetched.
enum OutcomePage {
    static func escaped(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(character)
            }
        }
        return out
    }

    static func percent(_ p: OutcomeReport.Proportion) -> String {
        p.percent.map { String(format: "%.0f%%", $0) } ?? "—"
    }

    /// A bar for a proportion, in percent, captioned with its counts.
    static func share(
        _ label: String, _ p: OutcomeReport.Proportion, _ colour: String
    ) -> (String, Double, String, String) {
        (label, p.percent ?? 0, "\(percent(p)) (\(p.count) of \(p.of))", colour)
    }

    /// Horizontal bars, one per row, scaled to the largest value: (label, value, caption, colour).
    static func bars(_ title: String, _ rows: [(String, Double, String, String)], maximum: Double? = nil) -> String {
        let width = 640.0, labelWidth = 250.0, barHeight = 26.0, gap = 10.0
        let top = maximum ?? max(rows.map(\.1).max() ?? 1, 1)
        let height = Double(rows.count) * (barHeight + gap) + 10
        var svg =
            "<figure><figcaption>\(escaped(title))</figcaption>"
            + "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" role=\"img\" aria-label=\"\(escaped(title))\">"
        for (index, (label, value, caption, colour)) in rows.enumerated() {
            let y = Double(index) * (barHeight + gap) + 5
            let length = max((width - labelWidth - 150) * value / top, value > 0 ? 2 : 0)
            svg +=
                "<text x=\"0\" y=\"\(Int(y + 18))\" class=\"label\">\(escaped(label))</text>"
                + "<rect x=\"\(Int(labelWidth))\" y=\"\(Int(y))\" width=\"\(Int(length))\" height=\"\(Int(barHeight))\" fill=\"\(colour)\"/>"
                + "<text x=\"\(Int(labelWidth + length + 8))\" y=\"\(Int(y + 18))\" class=\"value\">\(escaped(caption))</text>"
        }
        return svg + "</svg></figure>\n"
    }

    static func head(_ s: OutcomeSummary) -> String {
        let blue = "#1f5fa8", green = "#2e8b57", orange = "#c8641e", grey = "#8a8a8a"
        var page = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <title>Clinterview outcomes</title>
            <style>
            body { font-family: sans-serif; margin: 2em; color: #222; max-width: 60em; }
            h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin-top: 2em; }
            figure { margin: 1em 0; } figcaption { font-weight: bold; margin-bottom: 0.4em; }
            svg text { font-family: sans-serif; font-size: 14px; fill: #222; }
            table { border-collapse: collapse; font-size: 0.9em; }
            td, th { border: 1px solid #ccc; padding: 0.25em 0.5em; text-align: left; }
            .note { color: #555; }
            </style></head><body>
            <h1>Outcomes: \(s.assessed) clients assessed at intake</h1>
            <p>Every client assessed at intake is counted. A client without a follow-up assessment counts as not
            recovered among everyone assessed. Definitions: docs/outcomes.md.</p>
            <h2>The flow of clients</h2>

            """
        page += bars(
            "Clients",
            [
                ("assessed at intake", Double(s.assessed), "\(s.assessed)", blue),
                ("followed up", Double(s.followedUp), "\(s.followedUp)", blue),
                (
                    "recovered by questionnaire", Double(s.recovered.everyone.count),
                    "\(s.recovered.everyone.count) of \(s.recovered.everyone.of) cases", green
                ),
                (
                    "lost every current diagnosis", Double(s.lostEveryDiagnosis.everyone.count),
                    "\(s.lostEveryDiagnosis.everyone.count) of \(s.lostEveryDiagnosis.everyone.of) diagnosed", orange
                ),
            ])
        if !s.withoutFollowUp.isEmpty {
            page += bars(
                "Without a follow-up, and why",
                s.withoutFollowUp.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map {
                    ($0.key, Double($0.value), "\($0.value)", grey)
                })
        }
        page += "<h2>What the questionnaires say, beside the diagnostic interview</h2>\n"
        page += bars(
            "Among everyone assessed at intake (%)",
            [
                share("recovered by questionnaire", s.recovered.everyone, green),
                share("lost every current diagnosis", s.lostEveryDiagnosis.everyone, orange),
            ], maximum: 100)
        page += bars(
            "Among clients followed up (%)",
            [
                share("recovered by questionnaire", s.recovered.followedUp, green),
                share("lost every current diagnosis", s.lostEveryDiagnosis.followedUp, orange),
            ], maximum: 100)
        page += bars(
            "Loss of diagnosis, by who judged it at follow-up (%)",
            [
                share("independent blind assessor", s.lostByIndependentBlind, orange),
                share("unblinded, or an intake assessor", s.lostByOthers, grey),
            ], maximum: 100)
        if !s.intakeDiagnosesByRole.isEmpty {
            page += bars(
                "Intake diagnoses, by the assessor's role (clients)",
                s.intakeDiagnosesByRole.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map {
                    ($0.key.isEmpty ? "role not recorded" : $0.key, Double($0.value), "\($0.value)", blue)
                })
        }
        let timed = s.assessorsWithFigures
        if !timed.isEmpty {
            page += "<h2>Were the interviews done as designed? Fidelity per assessor</h2>\n"
            page += bars(
                "Median seconds per answer (mean over sessions); orange: an implausibly quick session",
                timed.map { rater, f in
                    (
                        rater, f.secondsPerAnswer ?? 0,
                        f.secondsPerAnswer.map { String(format: "%.1f s", $0) } ?? "—",
                        f.implausiblyQuick > 0 ? orange : blue
                    )
                })
            page +=
                "<table><thead><tr><th>assessor</th><th>role</th><th>sessions</th><th>unfinished</th>"
                + "<th>answers quick</th><th>skipped</th><th>rated ?</th><th>checks overridden</th>"
                + "<th>amended after completion</th><th>implausibly quick sessions</th>"
                + "<th>modules in under half their expected time</th>"
                + "<th>agreement with a second rater</th></tr></thead><tbody>\n"
            for (rater, f) in timed {
                let quick =
                    f.answers == 0 ? "—" : String(format: "%.0f%%", Double(f.quickAnswers) * 100 / Double(f.answers))
                let cells = [
                    rater, f.role, "\(f.journaled)", "\(f.unfinished)", quick,
                    "\(f.skipped)\(OutcomeWriter.skippedText(f))", "\(f.inadequate)",
                    "\(f.overridden)", "\(f.amendedAfterCompletion)", "\(f.implausiblyQuick)",
                    OutcomeWriter.hurriedText(f),
                    f.doubleRated == 0 ? "—" : "\(f.agreedWithSecondRater.text) in \(f.doubleRated) sessions",
                ]
                page += "<tr>" + cells.map { "<td>\(escaped($0))</td>" }.joined() + "</tr>\n"
            }
            page += "</tbody></table>\n"
        }
        if !s.disagreements.isEmpty {
            page += "<h2>Clients for whom the two disagree</h2>\n<ul>\n"
            for (client, text) in s.disagreements { page += "<li>\(escaped(client)): \(escaped(text))</li>\n" }
            page += "</ul>\n"
        }
        page += """
            <h2>Each client</h2>
            <table><thead><tr><th>client</th><th>follow-up</th><th>PHQ-9</th><th>GAD-7</th><th>recovered</th>\
            <th>current diagnoses at intake</th><th>lost every one</th><th>follow-up assessor</th></tr></thead><tbody>

            """
        return page
    }

    static func row(_ c: OutcomeReport.ClientOutcome) -> String {
        func yes(_ b: Bool?) -> String { b.map { $0 ? "yes" : "no" } ?? "—" }
        let met = c.diagnoses.filter { $0.period == .current && $0.intake == .met }.map(\.label)
        let followUp: String =
            c.followUp.map { String(Timestamp.string($0).prefix(10)) }
            ?? "none: " + (c.episode?.text ?? "no status recorded")
        let phq: String = c.phq.map { formatNumber($0.first) + " → " + formatNumber($0.last) } ?? "—"
        let gad: String = c.gad.map { formatNumber($0.first) + " → " + formatNumber($0.last) } ?? "—"
        let assessor: String =
            c.followUp == nil
            ? "—" : c.independentBlindFollowUp ? "independent, blind" : c.blindFollowUp ? "blind" : "not blind"
        let cells: [String] = [
            c.client, followUp, phq, gad, yes(c.questionnaire?.recovered),
            met.isEmpty ? "none" : met.joined(separator: "; "), yes(c.lostEveryDiagnosis), assessor,
        ]
        return "<tr class=\"client\">" + cells.map { "<td>\(escaped($0))</td>" }.joined() + "</tr>\n"
    }

    static func tail(_ notes: [String]) -> String {
        "</tbody></table>\n" + notes.map { "<p class=\"note\">note: \(escaped($0))</p>\n" }.joined()
            + "</body></html>\n"
    }
}
