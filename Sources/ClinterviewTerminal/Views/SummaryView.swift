import ClinterviewCore

/// Results at the end and on demand: diagnoses (with the items blocking each),
/// scores and bands, alerts, unanswered and skipped items.
enum SummaryView {
    enum Line {
        case heading(String)
        case text(String, Style)
        /// A line that leads to an item.
        case target(String, item: String)
    }

    /// `width`: the columns the lines are drawn in; alerts are wrapped to it,
    /// since a clinician must read an alert whole.
    static func lines(_ app: InterviewApp, width: Int = 80) -> [Line] {
        let evaluation = app.session.evaluate()
        var lines: [Line] = []
        lines.append(.heading("Diagnoses"))
        if evaluation.diagnoses.isEmpty { lines.append(.text("  none defined", .muted)) }
        for diagnosis in evaluation.diagnoses {
            let status = SidePanelView.label(diagnosis.status)
            let period = diagnosis.period == .current ? "" : " [\(diagnosis.period.rawValue)]"
            lines.append(
                .text(
                    "  \(SidePanelView.mark(diagnosis.status)) \(diagnosis.label)\(period): \(status)",
                    SidePanelView.style(diagnosis.status)))
            for item in diagnosis.blocking { lines.append(.target("      decided by \(item)", item: item)) }
        }
        lines.append(.heading("Scores"))
        if evaluation.scores.isEmpty { lines.append(.text("  none defined", .muted)) }
        for score in evaluation.scores {
            if let value = score.value {
                lines.append(
                    .text("  \(score.label): \(formatNumber(value))" + (score.band.map { " (\($0))" } ?? ""), .bold))
            } else {
                if score.blocking.isEmpty {
                    lines.append(.text("  \(score.label): not determined (its items were not asked)", .muted))
                } else {
                    let range =
                        score.low.flatMap { low in
                            score.high.map { " — between \(formatNumber(low)) and \(formatNumber($0))" }
                        } ?? ""
                    lines.append(.text("  \(score.label): not yet known\(range)", .muted))
                    for item in score.blocking { lines.append(.target("      decided by \(item)", item: item)) }
                }
            }
        }
        lines.append(.heading("Alerts"))
        if evaluation.alerts.isEmpty { lines.append(.text("  none", .muted)) }
        for alert in evaluation.alerts {
            let acknowledged = app.session.acknowledgedAlerts.contains(alert.id) ? "acknowledged" : "NOT acknowledged"
            let text = "\(alert.severity.rawValue.uppercased()): \(alert.message) [\(acknowledged)]"
            for (index, line) in TerminalText.wrap(text, width: max(10, width - 6)).enumerated() {
                lines.append(.text((index == 0 ? "  " : "    ") + line, [.bold, .danger]))
            }
        }
        let interview = app.interview
        let session = app.session
        let open = interview.items.indices.filter {
            session.route[$0] && interview.items[$0].kind.isAnswerable && session.responses[$0] == nil
        }
        lines.append(.heading("Unanswered (\(open.count))"))
        for index in open {
            lines.append(
                .target(
                    "  \(interview.items[index].id)  \(app.text(interview.items[index].prompt))",
                    item: interview.items[index].id))
        }
        let skipped = interview.items.indices.compactMap { index -> (Int, String)? in
            if app.session.route[index], case .skipped(let reason)? = app.session.responses[index]?.answer {
                return (index, reason)
            }
            return nil
        }
        lines.append(.heading("Skipped (\(skipped.count))"))
        for (index, reason) in skipped {
            lines.append(.target("  \(interview.items[index].id): \(reason)", item: interview.items[index].id))
        }
        return lines
    }

    static func targets(_ app: InterviewApp) -> [String] {
        lines(app).compactMap { if case .target(_, let item) = $0 { item } else { nil } }
    }

    static func draw(_ app: InterviewApp, _ grid: inout CellGrid, _ area: Rect, selection: Int, atEnd: Bool) {
        grid.put(atEnd ? "End of the interview: results" : "Results so far", row: area.top, column: 2, style: .bold)
        let all = lines(app, width: area.width)
        // Keep the selected target in view.
        var targetRows: [Int] = []
        for (index, line) in all.enumerated() { if case .target = line { targetRows.append(index) } }
        let selectedRow = targetRows.indices.contains(selection) ? targetRows[selection] : 0
        let height = area.height - 2
        let first = max(0, min(selectedRow - height + 3, all.count - height))
        var targetIndex = targetRows.firstIndex { $0 >= first } ?? 0
        for (offset, line) in all.dropFirst(first).prefix(height).enumerated() {
            let row = area.top + 2 + offset
            switch line {
            case .heading(let text): grid.put(text, row: row, column: 2, style: .underline)
            case .text(let text, let style):
                grid.put(TerminalText.clip(text, to: area.width - 4), row: row, column: 2, style: style)
            case .target(let text, _):
                let selected = targetIndex == selection
                if selected { grid.fill(row: row, from: 2, to: area.width - 2, style: .reverse) }
                grid.put(
                    TerminalText.clip(text, to: area.width - 6), row: row, column: 2,
                    style: selected ? .reverse : .plain)
                targetIndex += 1
            }
        }
    }
}
