import ClinterviewCore

/// Boxes drawn over the item: reasons, soft checks, notes, storage failures.
enum Dialogs {
    static func draw(_ app: InterviewApp, _ grid: inout CellGrid, _ area: Rect) {
        switch app.mode {
        case .reason(let purpose, let field):
            let title: String
            switch purpose {
            case .change(let item, let input, _): title = "Why is the answer to \(item) changed to \(input)?"
            case .skip: title = "Why is \(app.session.currentItem?.id ?? "this item") skipped?"
            case .override: title = "Why is the check overridden?"
            }
            let box = frame(&grid, area, height: 4, title: "Reason")
            grid.put(TerminalText.clip(title, to: box.width), row: box.top, column: box.left, style: .bold)
            grid.put("The reason is kept in the record.", row: box.top + 1, column: box.left, style: .muted)
            field.draw(into: &grid, row: box.top + 3, column: box.left, width: box.width)
        case .softCheck(_, let checks, let input):
            let messages = checks.filter { $0.severity == .soft }.map(\.message)
            let lines = messages.flatMap { TerminalText.wrap("• " + $0, width: area.width - 12) }
            let box = frame(&grid, area, height: lines.count + 3, title: "Check")
            grid.put(
                TerminalText.clip("The answer \(input) needs a second look:", to: box.width), row: box.top,
                column: box.left, style: .bold)
            for (offset, line) in lines.enumerated() { grid.put(line, row: box.top + 1 + offset, column: box.left) }
            grid.put(
                "C correct the answer    O keep it and give a reason", row: box.top + lines.count + 2, column: box.left,
                style: .bold)
        case .note(let item, let area2):
            let box = frame(&grid, area, height: min(area.height - 2, 12), title: "Note on \(item)")
            area2.draw(into: &grid, top: box.top, left: box.left, width: box.width, height: box.height)
        case .saveFailed(let message, let pending):
            let lines = TerminalText.wrap(message, width: area.width - 12)
            let box = frame(&grid, area, height: lines.count + 4, title: "Not saved", style: [.bold, .danger])
            let (what, choices) =
                pending == .flush
                ? (
                    "The last change is recorded but not safely on disk.",
                    "D save the session to another directory   Q quit"
                )
                : (
                    "The last change could not be saved. It is kept on screen.",
                    "R retry   D save the session to another directory   Q quit"
                )
            grid.put(what, row: box.top, column: box.left, style: [.bold, .danger])
            for (offset, line) in lines.enumerated() { grid.put(line, row: box.top + 2 + offset, column: box.left) }
            grid.put(choices, row: box.top + lines.count + 3, column: box.left, style: .bold)
        case .saveElsewhere(let field, _, let message):
            let extra = message.map { TerminalText.wrap($0, width: area.width - 12) } ?? []
            let box = frame(&grid, area, height: 3 + extra.count, title: "Save to another directory")
            grid.put("Directory (created if missing):", row: box.top, column: box.left, style: .bold)
            field.draw(into: &grid, row: box.top + 2, column: box.left, width: box.width)
            for (offset, line) in extra.enumerated() {
                grid.put(line, row: box.top + 3 + offset, column: box.left, style: [.bold, .danger])
            }
        default:
            break
        }
    }

    /// Clears and frames a centred box; returns its inner area.
    @discardableResult
    static func frame(_ grid: inout CellGrid, _ area: Rect, height: Int, title: String, style: Style = .bold) -> Rect {
        let width = min(area.width - 4, 76)
        let left = area.left + (area.width - width) / 2
        let outer = min(height + 2, area.height)
        let top = area.top + max(0, (area.height - outer) / 2)
        for row in top..<(top + outer) { grid.fill(row: row, from: left, to: left + width, style: .plain) }
        let horizontal = String(repeating: "─", count: width - 2)
        grid.put("┌" + horizontal + "┐", row: top, column: left, style: style)
        grid.put("└" + horizontal + "┘", row: top + outer - 1, column: left, style: style)
        for row in (top + 1)..<(top + outer - 1) {
            grid.put("│", row: row, column: left, style: style)
            grid.put("│", row: row, column: left + width - 1, style: style)
        }
        grid.put(" \(TerminalText.clip(title, to: width - 6)) ", row: top, column: left + 2, style: style)
        return Rect(top: top + 1, left: left + 2, width: width - 4, height: outer - 2)
    }
}
