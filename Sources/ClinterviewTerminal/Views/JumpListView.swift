import ClinterviewCore

/// Every answerable item, grouped by module and section, with its status.
enum JumpListView {
    static func draw(_ app: InterviewApp, _ grid: inout CellGrid, _ area: Rect, selection: Int) {
        grid.put("Jump to an item", row: area.top, column: 2, style: .bold)
        grid.put(
            TerminalText.clip("✓ answered  ? inadequate  – skipped  · open  dim: off the route", to: area.width - 23),
            row: area.top, column: 22, style: .muted)
        let entries = app.jumpEntries
        let height = area.height - 2
        let first = max(0, min(selection - height / 2, entries.count - height))
        for (offset, entryIndex) in (first..<min(entries.count, first + height)).enumerated() {
            let index = entries[entryIndex]
            let item = app.interview.items[index]
            let section = app.interview.sections[item.section]
            let onRoute = app.session.route[index]
            let mark: String
            switch app.session.responses[index]?.answer {
            case .value?: mark = "✓"
            case .inadequate?: mark = "?"
            case .skipped?: mark = "–"
            case nil: mark = "·"
            }
            let current = index == app.session.position ? "▶" : " "
            let line = "\(current) \(mark) \(item.id)  \(app.text(section.title)): \(app.text(item.prompt))"
            let row = area.top + 2 + offset
            var style: Style = onRoute ? .plain : .dim
            if entryIndex == selection {
                style.insert(.reverse)
                grid.fill(row: row, from: 1, to: area.width - 1, style: style)
            }
            grid.put(TerminalText.clip(line, to: area.width - 3), row: row, column: 1, style: style)
        }
    }
}
