/// Every key, as in docs/terminal.md.
enum HelpView {
    static let lines: [String] = [
        "Answering",
        "  digit or ?      record that rating or option and move on",
        "  y / n           yes / no",
        "  ↑ ↓ Enter       choose an option with the arrows and record it",
        "  Space           tick an option of a multiple-choice item; Enter records the ticks",
        "  typing, Enter   numbers, dates (YYYY-MM-DD), durations (3w, 10d, 6m, 1y) and text",
        "  Esc             clear what is typed",
        "",
        "Moving",
        "  ← or Backspace  previous item (in a field: when it is empty)",
        "  Enter           on an answered item: keep the answer and go on",
        "  j  or F3        jump list: go to any item, see what is answered",
        "",
        "Recording",
        "  s  or F4        skip the item, with a reason",
        "  n, F2, Ctrl-N   write a note on the item (on yes/no items: F2 or Ctrl-N)",
        "                  in the note: arrows move, Enter new line, F2 or Ctrl-S save, Esc discard",
        "  A               acknowledge an alert (an urgent alert must be acknowledged first)",
        "  changing an answer asks for the reason; the earlier answer stays in the record",
        "",
        "Overview",
        "  r  or F5        results: diagnoses, scores, alerts, unanswered and skipped items",
        "  h  or F1        this help",
        "  q  or F10       quit; every recorded answer is safe, resume with --resume",
        "",
        "In fields (numbers, dates, text) letters are typed, so use F1-F5, F10 and Ctrl-N.",
    ]

    static func draw(_ grid: inout CellGrid, _ area: Rect, scroll: Int) {
        grid.put("Keys", row: area.top, column: 2, style: .bold)
        let visible = lines.dropFirst(min(scroll, max(0, lines.count - (area.height - 2))))
        for (offset, line) in visible.prefix(area.height - 2).enumerated() {
            let heading = !line.hasPrefix(" ") && !line.isEmpty
            grid.put(
                TerminalText.clip(line, to: area.width - 4), row: area.top + 2 + offset, column: 2,
                style: heading ? .underline : .plain)
        }
    }
}
