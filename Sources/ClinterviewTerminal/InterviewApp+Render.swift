import ClinterviewCore
import Foundation

extension InterviewApp {
    public static let minimumRows = 24
    public static let minimumColumns = 80
    /// From this width on, a side panel shows the diagnoses the item bears on.
    public static let sidePanelFrom = 110
    /// The side panel takes a third of a wide terminal, at least 40 columns,
    /// so that criteria read whole where there is room for them.
    static func sidePanelWidth(columns: Int) -> Int { max(40, columns / 3) }

    public func render(rows: Int, columns: Int) -> CellGrid {
        var grid = CellGrid(rows: rows, columns: columns)
        isShowingTooSmall = rows < Self.minimumRows || columns < Self.minimumColumns
        guard !isShowingTooSmall else {
            drawTooSmall(&grid)
            return grid
        }
        drawHeader(&grid)
        var top = 3
        if let alert = pendingAlert {
            top = 3 + drawBanner(&grid, alert)
        }
        let bottom = rows - 2
        let panel = columns >= Self.sidePanelFrom ? Self.sidePanelWidth(columns: columns) : 0
        let body = Rect(top: top, left: 0, width: columns - panel, height: bottom - top)
        switch mode {
        case .help(let scroll):
            HelpView.draw(&grid, Rect(top: top, left: 0, width: columns, height: bottom - top), scroll: scroll)
        case .jumpList(let selection):
            JumpListView.draw(
                self, &grid, Rect(top: top, left: 0, width: columns, height: bottom - top), selection: selection)
        case .summary(let selection, let atEnd):
            SummaryView.draw(
                self, &grid, Rect(top: top, left: 0, width: columns, height: bottom - top), selection: selection,
                atEnd: atEnd)
        default:
            ItemView.draw(self, &grid, body)
            if panel > 0 {
                SidePanelView.draw(
                    self, &grid, Rect(top: top, left: columns - panel, width: panel, height: bottom - top))
            }
            Dialogs.draw(self, &grid, body)
        }
        drawStatus(&grid, row: rows - 2)
        drawKeyHelp(&grid, row: rows - 1)
        return grid
    }

    private func drawTooSmall(_ grid: inout CellGrid) {
        let lines = [
            "The terminal is too small.",
            "Please make it at least \(Self.minimumColumns)×\(Self.minimumRows)",
            "(now \(grid.columns)×\(grid.rows)).",
            "Nothing is lost: the interview goes on when it is larger.",
        ]
        let top = max(0, (grid.rows - lines.count) / 2)
        for (offset, line) in lines.enumerated() {
            let clipped = TerminalText.clip(line, to: grid.columns)
            grid.put(
                clipped, row: top + offset, column: max(0, (grid.columns - DisplayWidth.of(clipped)) / 2),
                style: offset == 0 ? .bold : .plain)
        }
    }

    private func drawHeader(_ grid: inout CellGrid) {
        let columns = grid.columns
        grid.fill(row: 0, style: .reverse)
        let elapsed = Int(max(0, now().timeIntervalSince(driver.startedAt)))
        func twoDigits(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let clock = "\(twoDigits(elapsed / 3600)):\(twoDigits(elapsed / 60 % 60)):\(twoDigits(elapsed % 60))"
        let (answered, answerable) = progress()
        // Client, clock and progress always show; the title and rater give way.
        let rater = TerminalText.clip("\(driver.rater), \(driver.role)", to: max(8, columns / 5))
        let right =
            " client \(TerminalText.clip(driver.client, to: 20))  │  \(rater)  │  \(clock)  \(answered)/\(answerable) "
        let left = (blind ? " BLIND │" : "") + " \(text(interview.title)) \(interview.version)"
        grid.put(
            TerminalText.clip(left, to: max(1, columns - DisplayWidth.of(right) - 1)), row: 0, column: 0,
            style: [.reverse, .bold])
        grid.put(
            TerminalText.clip(right, to: columns), row: 0, column: max(0, columns - DisplayWidth.of(right)),
            style: .reverse)

        if let item = session.currentItem {
            let section = interview.sections[item.section]
            let module = interview.modules[section.module]
            let place = "\(text(module.title)) › \(text(section.title))"
            grid.put(TerminalText.clip(place, to: columns - 24), row: 1, column: 1, style: .bold)
        } else {
            grid.put("End of the interview", row: 1, column: 1, style: .bold)
        }
        // A progress bar of answered items on the route.
        let barWidth = 20
        let filled = answerable == 0 ? 0 : answered * barWidth / answerable
        let barEnd = grid.put(repeating: "█", count: filled, row: 1, column: columns - barWidth - 1, style: .accent)
        grid.put(repeating: "░", count: barWidth - filled, row: 1, column: barEnd, style: .accent)
        grid.put(repeating: "─", count: columns, row: 2, column: 0, style: .muted)
    }

    /// Answered items, and answerable items on the route. `session` is read once:
    /// each read copies the driver's session.
    private func progress() -> (answered: Int, answerable: Int) {
        let session = self.session
        var answered = 0, answerable = 0
        for index in self.answerable.indices where self.answerable[index] && session.route[index] {
            answerable += 1
            // Matched, not compared with nil: `!= nil` copied (and freed) each response.
            if case .some = session.responses[index] { answered += 1 }
        }
        return (answered, answerable)
    }

    /// The alert, wrapped whole (a clinician must read all of it), and what
    /// to press; at most five rows. Returns the rows it took.
    private func drawBanner(_ grid: inout CellGrid, _ alert: Alert) -> Int {
        let style: Style = [.reverse, .bold, .danger]
        let label = alert.severity == .urgent ? "⚠ URGENT" : alert.severity == .warning ? "⚠ WARNING" : "ℹ NOTE"
        let action = alert.severity == .urgent ? "Press A to acknowledge before going on." : "Press A to acknowledge."
        let lines = Array(
            TerminalText.wrap("\(label): \(text(alert.message))  \(action)", width: grid.columns - 2).prefix(5))
        for (offset, line) in lines.enumerated() {
            grid.fill(row: 3 + offset, style: style)
            grid.put(line, row: 3 + offset, column: 1, style: style)
        }
        return max(2, lines.count)
    }

    private func drawStatus(_ grid: inout CellGrid, row: Int) {
        guard let status else { return }
        let message = TerminalText.clip(status.text, to: grid.columns - 2)
        grid.put(message, row: row, column: 1, style: status.isError ? [.bold, .danger] : .plain)
    }

    private func drawKeyHelp(_ grid: inout CellGrid, row: Int) {
        grid.fill(row: row, style: .reverse)
        grid.put(TerminalText.clip(keyHelp, to: grid.columns - 1), row: row, column: 0, style: .reverse)
    }

    var keyHelp: String {
        switch mode {
        case .reason: return " Enter confirm  Esc cancel  ←/→ move in the text"
        case .softCheck: return " C correct the answer  O override with a reason"
        case .note: return " F2 or Ctrl-S save the note  Esc discard  arrows move  Enter new line"
        case .jumpList: return " ↑/↓ PgUp/PgDn choose  Enter go there  Esc back"
        case .help: return " ↑/↓ scroll  any other key: back to the interview"
        case .summary(_, let atEnd):
            return atEnd
                ? " ↑↓ choose  ⏎ go to the item  j jump  C complete and close  ← back  q quit"
                : " ↑↓ choose  ⏎ go to the item  j jump  C complete  Esc back to the interview  q quit"
        case .saveFailed(_, .flush):
            return " D save the session to another directory  Q quit (the last change may be lost)"
        case .saveFailed: return " R retry  D save the session to another directory  Q quit (recorded answers are safe)"
        case .saveElsewhere: return " Enter save there  Esc back"
        case .asking: break
        }
        if let alert = pendingAlert, alert.severity == .urgent { return " A acknowledge the alert  h help  q quit" }
        guard let item = session.currentItem else { return " r results  q quit" }
        let common = "← back  j jump  s skip  n note  r results  h help  q quit"
        switch item.kind {
        case .yesNo: return " y/n answer  ← back  j jump  s skip  F2 note  r results  h help  q quit"
        case .rating, .choice:
            let keys = String(OptionKeys.keys(of: item).compactMap { $0 })
            return " \(keys.count <= 6 ? keys : "keys") or ↑↓⏎ answer  " + common
        case .multipleChoice: return " keys/Space tick  ⏎ save  " + common
        case .display: return " ⏎ continue  " + common
        default: return " ⏎ save  Esc clear  F2 note  F3 jump  F4 skip  F5 results  F1 help  F10 quit"
        }
    }
}

public struct Rect: Sendable, Equatable {
    public var top: Int
    public var left: Int
    public var width: Int
    public var height: Int
    public var bottom: Int { top + height }
    public var right: Int { left + width }
}
