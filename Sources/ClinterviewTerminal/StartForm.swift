import ClinterviewCore
import Foundation

/// The start screen: asks for what the command line did not give, the
/// interview (from the bundled and the user's own), client id, rater and role.
public final class StartForm: TerminalApp {
    public struct Choice: Sendable, Equatable {
        public var path: String
        public var id: String
        public var title: String
        public var version: String

        public init(path: String, id: String, title: String, version: String) {
            self.path = path
            self.id = id
            self.title = title
            self.version = version
        }
    }

    public enum Field: Equatable, Sendable {
        case interview, client, rater, role
    }

    /// A session that is not completed, offered when its client is entered.
    public struct OpenSession: Sendable, Equatable {
        public var id: String
        public var path: String
        public var client: String
        public var started: String

        public init(id: String, path: String, client: String, started: String) {
            self.id = id
            self.path = path
            self.client = client
            self.started = started
        }
    }

    public private(set) var fields: [Field]
    public private(set) var current = 0
    public let choices: [Choice]
    public private(set) var chosen: Int
    public private(set) var values: [Field: TextField] = [:]
    public private(set) var wantsQuit = false
    public private(set) var isDone = false
    public private(set) var problem: String?
    /// The client's open sessions: entering the client offers the latest.
    public let openSessions: [OpenSession]
    /// The open session the clinician chose to continue instead of starting one.
    public private(set) var resumeChosen: OpenSession?
    /// The client whose open session was pointed out: Enter again starts a second one.
    private var warnedClient: String?

    public init(
        ask fields: [Field], choices: [Choice], preferred: String?, defaults: [Field: String] = [:],
        openSessions: [OpenSession] = []
    ) {
        self.fields = fields
        self.choices = choices
        self.openSessions = openSessions
        self.chosen = choices.firstIndex { $0.id == preferred } ?? 0
        for field in [Field.client, .rater, .role] { values[field] = TextField(defaults[field] ?? "") }
        if fields.isEmpty { isDone = true }
    }

    public var interview: Choice? { choices.indices.contains(chosen) ? choices[chosen] : nil }
    public func value(_ field: Field) -> String { values[field]?.text.trimmingCharacters(in: .whitespaces) ?? "" }

    public func quit() { wantsQuit = true }

    public func handle(_ key: Key) {
        guard !isDone, fields.indices.contains(current) else { return }
        let field = fields[current]
        problem = nil
        switch key {
        case .escape:
            if current > 0 { current -= 1 } else { wantsQuit = true }
        case .function(10), .control("c"), .hangup:
            wantsQuit = true
        case .control("r") where field == .client && warnedClient == value(.client):
            resumeChosen = openSessions.last { $0.client == value(.client) }
            isDone = resumeChosen != nil
        case .enter, .tab:
            let open = openSessions.filter { $0.client == value(.client) }
            if field == .client, let latest = open.last, warnedClient != value(.client) {
                warnedClient = value(.client)
                problem =
                    "\(value(.client)) has \(open.count == 1 ? "a session" : "\(open.count) sessions") open (\(latest.id), started \(latest.started)): "
                    + "Ctrl-R continues it; Enter starts a second one"
                return
            }
            if field == .interview, choices.isEmpty {
                problem = "no interviews were found"
                return
            }
            if field != .interview, value(field).isEmpty {
                problem = "please fill this in"
                return
            }
            if current + 1 < fields.count { current += 1 } else { isDone = true }
        case .up where field == .interview:
            chosen = max(0, chosen - 1)
        case .down where field == .interview:
            chosen = min(max(0, choices.count - 1), chosen + 1)
        default:
            if field != .interview, var text = values[field] {
                _ = text.handle(key)
                values[field] = text
            }
        }
    }

    public func render(rows: Int, columns: Int) -> CellGrid {
        var grid = CellGrid(rows: rows, columns: columns)
        guard rows >= InterviewApp.minimumRows, columns >= InterviewApp.minimumColumns else {
            grid.put(
                TerminalText.clip("Please make the terminal at least 80×24 (now \(columns)×\(rows)).", to: columns),
                row: 0, column: 0, style: .bold)
            return grid
        }
        grid.fill(row: 0, style: .reverse)
        grid.put(" Clinterview: new session", row: 0, column: 0, style: [.reverse, .bold])
        grid.put("The bundled interviews are not validated instruments.", row: 1, column: 2, style: .muted)
        var row = 3
        let labels: [Field: String] = [
            .interview: "Interview", .client: "Client id", .rater: "Rater (your name)", .role: "Your role",
        ]
        for (index, field) in fields.enumerated() {
            let active = index == current
            grid.put(
                (active ? "▶ " : "  ") + (labels[field] ?? ""), row: row, column: 1, style: active ? .bold : .plain)
            if field == .interview {
                let visible = min(choices.count, max(3, rows - 12 - 2 * fields.count))
                let first = max(0, min(chosen - visible / 2, choices.count - visible))
                for (offset, choice) in choices[first..<(first + visible)].enumerated() {
                    let selected = first + offset == chosen
                    let line = "\(choice.title) \(choice.version)  (\(choice.id), \(choice.path))"
                    let style: Style = selected ? (active ? .reverse : .bold) : .plain
                    row += 1
                    if selected { grid.fill(row: row, from: 4, to: columns - 2, style: style) }
                    grid.put(TerminalText.clip(line, to: columns - 8), row: row, column: 5, style: style)
                }
                if choices.isEmpty {
                    row += 1; grid.put("No interviews found.", row: row, column: 5, style: [.bold, .danger])
                }
            } else if let text = values[field] {
                row += 1
                if active {
                    text.draw(into: &grid, row: row, column: 5, width: min(50, columns - 8))
                } else {
                    grid.put(TerminalText.clip(text.text, to: columns - 8), row: row, column: 5)
                }
            }
            row += 2
        }
        if let problem {
            let lines = TerminalText.wrap(problem, width: columns - 2)
            for (offset, line) in lines.suffix(3).enumerated() {
                grid.put(line, row: rows - 1 - min(3, lines.count) + offset, column: 1, style: [.bold, .danger])
            }
        }
        grid.fill(row: rows - 1, style: .reverse)
        let help =
            fields.indices.contains(current) && fields[current] == .interview
            ? " ↑/↓ choose  Enter next  Esc quit" : " type, then Enter next  Esc previous  F10 quit"
        grid.put(help, row: rows - 1, column: 0, style: .reverse)
        return grid
    }
}
