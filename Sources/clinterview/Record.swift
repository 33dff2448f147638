import ArgumentParser
import ClinterviewCore
import ClinterviewJournal
import ClinterviewReports
import Foundation

struct Record: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "Administer an interview from an answer file into a new journaled session, as a clinician would.",
        discussion: """
            Each answer is journaled (written and fsynced) before the next item; "ack ITEM" is printed \
            after each. With --resume, a session cut short (even by kill -9) is continued from where \
            it stopped. Useful to turn answer files into sessions and to test durability.
            """
    )

    @Option(
        name: .shortAndLong, help: "The interview definition file, or an interview id.",
        completion: Completions.interviews)
    var interview: String

    @Option(name: .shortAndLong, help: "The answer file to administer.", completion: .file(extensions: ["json"]))
    var answers: String

    @OptionGroup var sessions: SessionsDirectory

    @Option(
        help: "Continue this session (id or journal path) instead of starting one.", completion: Completions.sessions)
    var resume: String?

    @Flag(
        help:
            "Print ack once each answer is written and fsync it while the next one is prepared, waiting for the fsync before the next answer, as the terminal does (docs/sessions.md)."
    )
    var backgroundFlush = false

    @Flag(help: "Resume even if the interview definition changed since the session began.")
    var allowChangedDefinition = false

    @Option(help: "Client id (default: the answer file's).")
    var client: String?

    @Option(help: "Rater name (default: the answer file's).")
    var rater: String?

    @Option(help: "Rater role (default: the answer file's).")
    var role: String?

    func run() throws {
        let (definition, definitionBytes, resolvedPath) = try loadDefinition(interview)
        let answerSource = try readSource(answers)
        var sink = DiagnosticSink(source: answerSource)
        guard let file = AnswerFile.read(source: answerSource, sink: &sink), !sink.hasErrors else {
            for diagnostic in sink.sorted { printError(diagnostic.description) }
            throw CommandFailure.inputError
        }

        let store = sessions.store
        let journaled: JournaledSession
        do {
            if let resume {
                let (session, report) = try store.resume(
                    resume, interview: definition, definition: definitionBytes,
                    allowChangedDefinition: allowChangedDefinition)
                if let aside = report.tornTailSavedAt {
                    printError("note: a record cut off mid-write was set aside in \(aside)")
                }
                for problem in report.problems { printError("warning: \(problem)") }
                journaled = session
            } else {
                var start = SessionStore.Start(
                    interview: definition, definition: definitionBytes, definitionPath: resolvedPath,
                    client: client ?? file.client ?? "unknown", rater: rater ?? file.rater ?? "unknown",
                    role: role ?? file.role ?? "unknown")
                // The answer file's date is when the assessment took place; the journal's times, when it was entered.
                start.assessedAt = file.date
                start.blind = file.blind ?? false
                journaled = try store.start(start)
            }
        } catch {
            printError("\(error)")
            throw CommandFailure.inputError
        }
        defer { journaled.close() }
        journaled.flushesInBackground = backgroundFlush
        say("session \(journaled.header.sessionID) \(journaled.path)")

        let values = Dictionary(file.answers.map { ($0.item, $0.value) }, uniquingKeysWith: { _, last in last })
        var notesLeft = file.notes
        /// The answer file's notes on an item are recorded when the item is reached.
        func recordNotes(_ item: Item) throws {
            for text in notesLeft.removeValue(forKey: item.id) ?? [] {
                do {
                    try journaled.attachNote(text, to: item.id)
                } catch let error as SessionError {
                    printError("\(item.id): note not recorded: \(error)")
                }
            }
        }
        do {
            while let item = journaled.session.currentItem {
                try journaled.confirmSaved()
                try recordNotes(item)
                if !item.kind.isAnswerable {
                    journaled.moveOn()
                    continue
                }
                if let reason = file.skipped[item.id] {
                    try journaled.skip(reason: reason)
                } else if let node = values[item.id], case .success(let input) = item.input(from: node) {
                    let result = try journaled.answer(input, overrides: file.overrides)
                    if result.status != .accepted {
                        printError("\(item.id): not accepted (\(result.status)); left unanswered")
                        journaled.moveOn()
                        continue
                    }
                } else {
                    journaled.moveOn()
                    continue
                }
                say("ack \(item.id)")
                fflush(nil)
            }
            for item in notesLeft.keys.sorted() {
                printError("\(item): note not recorded: the item is not on the route")
            }
            for alert in journaled.session.unacknowledgedAlerts { try journaled.acknowledge(alert: alert) }
            try journaled.complete()
        } catch {
            printError("\(error)")
            throw CommandFailure.inputError
        }
        say("completed \(journaled.header.sessionID)")
    }
}
