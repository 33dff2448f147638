import ClinterviewCore

/// At 110 columns or more: the diagnoses the current item bears on, each
/// criterion's status and how far its counts have got.
enum SidePanelView {
    static func draw(_ app: InterviewApp, _ grid: inout CellGrid, _ area: Rect) {
        for row in area.top..<area.bottom { grid.put("│", row: row, column: area.left, style: .muted) }
        let left = area.left + 2
        let width = area.width - 3
        var row = area.top
        /// A text wrapped to the panel (continuations indented), at most three rows.
        func line(_ text: String, _ style: Style = .plain, indent: Int = 0) {
            let wrapped = TerminalText.wrap(text, width: max(8, width - indent - 2))
            for (index, piece) in wrapped.prefix(3).enumerated() {
                guard row < area.bottom else { return }
                let shown =
                    index == 2 && wrapped.count > 3 ? TerminalText.clip(piece + " …", to: width - indent - 2) : piece
                grid.put(shown, row: row, column: left + indent + (index == 0 ? 0 : 2), style: style)
                row += 1
            }
        }
        line("Diagnoses this item bears on", .underline)
        guard let position = app.session.position else { return }
        let interview = app.interview
        let diagnoses = interview.diagnoses(readingItem: position)
        if diagnoses.isEmpty {
            line("None: this item feeds no diagnosis.", .muted)
            return
        }
        let evaluation = app.session.evaluate()
        for index in diagnoses {
            let rule = interview.rules[index]
            guard let result = evaluation.diagnosis(rule.id) else { continue }
            row += row > area.top + 1 ? 1 : 0
            line(app.text(rule.label), .bold)
            line(label(result.status), style(result.status), indent: 2)
            let progressByCriterion = app.session.countProgress(ofRules: result.evidence.map(\.id))
            for criterion in result.evidence {
                line("\(mark(criterion.status)) \(criterion.label ?? criterion.id)", style(criterion.status), indent: 2)
                for progress in progressByCriterion[criterion.id] ?? [] {
                    line(progress.summary, .muted, indent: 4)
                }
            }
            if !result.blocking.isEmpty {
                line(
                    "decided by: " + result.blocking.prefix(6).joined(separator: ", ")
                        + (result.blocking.count > 6 ? " …" : ""), .muted, indent: 2)
            }
        }
    }

    static func label(_ status: Status) -> String {
        switch status {
        case .met: "MET"
        case .notMet: "not met"
        case .indeterminate: "undetermined"
        }
    }

    static func mark(_ status: Status) -> String {
        switch status {
        case .met: "✓"
        case .notMet: "✗"
        case .indeterminate: "?"
        }
    }

    static func style(_ status: Status) -> Style {
        switch status {
        case .met: [.bold, .good]
        case .notMet: .plain
        case .indeterminate: .muted
        }
    }
}
