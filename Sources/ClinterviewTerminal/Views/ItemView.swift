import ClinterviewCore

/// The current item: prompt to read aloud, interviewer instructions and probes,
/// the answer options or field, and what is already recorded.
enum ItemView {
    static func draw(_ app: InterviewApp, _ grid: inout CellGrid, _ area: Rect) {
        guard let item = app.session.currentItem else { return }
        let width = area.width - 4
        let left = area.left + 2
        var row = area.top

        // Identity line: id, kind, and notes.
        var identity = "\(item.id)"
        if let code = item.standardCode { identity += "  \(code.code)" }
        if item.isRequired { identity += "  (required)" }
        let notes = app.session.notes[app.session.position ?? -1]?.count ?? 0
        grid.put(identity, row: row, column: left, style: .dim)
        if notes > 0 {
            let label = "✎ \(notes) note\(notes == 1 ? "" : "s")"
            grid.put(label, row: row, column: area.right - DisplayWidth.of(label) - 2, style: .bold)
        }
        row += 1

        // What must stay visible: the answer area.
        let answerLines = answerArea(app, item, width: width)
        var prose: [(String, Style)] = []
        for line in app.wrap(app.text(item.prompt), width: width) { prose.append((line, .bold)) }
        if let instructions = item.instructions {
            prose.append(("", .plain))
            for (index, line) in app.wrap(app.text(instructions), width: width - 2).enumerated() {
                prose.append(((index == 0 ? "▸ " : "  ") + line, [.underline, .muted]))
            }
        }
        for probe in item.probes {
            for (index, line) in app.wrap(app.text(probe), width: width - 8).enumerated() {
                prose.append(((index == 0 ? "Probe: " : "       ") + line, .muted))
            }
        }
        if let previous = recordedText(app, item) {
            prose.append(("", .plain))
            prose.append((TerminalText.clip("Recorded: \(previous)", to: width), .bold))
        }
        prose.append(("", .plain))

        let room = area.bottom - row - answerLines.count
        if prose.count > room, room > 0 {
            prose =
                Array(prose.prefix(max(0, room - 1))) + [
                    ("… (the text is longer than the screen: enlarge the terminal)", .muted)
                ]
        }
        for (line, style) in prose where row < area.bottom {
            grid.put(line, row: row, column: left, style: style, limit: area.right - 1)
            row += 1
        }
        for line in answerLines where row < area.bottom {
            line.draw(&grid, row, left, area.right - 2)
            row += 1
        }
    }

    /// One line of the answer area, drawn late so the field can place the cursor.
    struct AnswerLine {
        var draw: (inout CellGrid, Int, Int, Int) -> Void
    }

    static func answerArea(_ app: InterviewApp, _ item: Item, width: Int) -> [AnswerLine] {
        if InterviewApp.isTyped(item) {
            let hint = AnswerParsing.placeholder[item.kind.name] ?? ""
            var unit = ""
            switch item.kind {
            case .integer(let range), .decimal(let range):
                let bounds = [range.min.map { "from \(formatNumber($0))" }, range.max.map { "to \(formatNumber($0))" }]
                    .compactMap { $0 }.joined(separator: " ")
                unit = [range.unit, bounds.isEmpty ? nil : bounds].compactMap { $0 }.joined(separator: ", ")
            default: break
            }
            let label = "Answer (\(hint)\(unit.isEmpty ? "" : "; " + unit)):"
            let field = app.field
            let showCursor: Bool = if case .asking = app.mode { true } else { false }
            return [
                AnswerLine { grid, row, left, _ in grid.put(label, row: row, column: left, style: .plain) },
                AnswerLine { grid, row, left, right in
                    grid.put("▶", row: row, column: left, style: .bold)
                    let saved = grid.cursor
                    field.draw(into: &grid, row: row, column: left + 2, width: right - left - 2)
                    if !showCursor { grid.cursor = saved }
                },
            ]
        }
        if case .display = item.kind {
            return [
                AnswerLine { grid, row, left, _ in
                    grid.put("(press Enter to continue)", row: row, column: left, style: .muted)
                }
            ]
        }
        let choices = OptionKeys.choices(of: item, language: app.language, fallbacks: app.fallbacks)
        let recorded = app.session.response(to: item.id)?.answer.input
        return choices.enumerated().map { index, choice in
            let isSelected = index == app.selection
            let isTicked = item.kind.isMultiple && app.ticked.contains(choice.code)
            let wasRecorded: Bool =
                switch recorded {
                case .code(let code)?: code == choice.code
                case .bool(let value)?: (value ? "yes" : "no") == choice.code
                case .codes(let codes)?: codes.contains(choice.code)
                default: false
                }
            return AnswerLine { grid, row, left, right in
                let key = choice.key.map { "\($0)" } ?? " "
                let box = item.kind.isMultiple ? (isTicked ? "[x] " : "[ ] ") : ""
                var line = " \(key)  \(box)\(choice.label)"
                if wasRecorded { line += "  ◀ recorded" }
                let style: Style = isSelected ? [.reverse] : .plain
                if isSelected {
                    grid.fill(row: row, from: left, to: min(right, left + DisplayWidth.of(line) + 1), style: style)
                }
                grid.put(TerminalText.clip(line, to: right - left), row: row, column: left, style: style)
                grid.emphasize(row: row, from: left + 1, to: left + 2, style: .bold)
            }
        }
    }

    static func recordedText(_ app: InterviewApp, _ item: Item) -> String? {
        guard let response = app.session.response(to: item.id) else { return nil }
        var text = response.answer.describe(for: item, label: app.text)
        if !response.amendments.isEmpty { text += "  (changed \(response.amendments.count)×)" }
        return text
    }
}
