import ArgumentParser
import ClinterviewCore
import ClinterviewCurses
import ClinterviewJournal
import ClinterviewReports
import ClinterviewTerminal
import Foundation

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Administer an interview in the terminal (the default command).",
        discussion: """
            What is not given here is asked on a start screen. Every answer is written to the journal before the \
            next item is shown, and is on disk before the next key is taken; q, Ctrl-C, SIGTERM and SIGHUP leave every answer saved and the terminal \
            restored, and --resume continues where the session stopped. Keys: docs/terminal.md.
            Needs an interactive UTF-8 terminal of at least 80x24; exits 2 otherwise.
            """
    )

    @Option(
        name: .shortAndLong,
        help: "An interview definition file, or the id of an interview found in Interviews/ or your own directory.",
        completion: Completions.interviews)
    var interview: String?

    @Option(help: "Client id.")
    var client: String?

    @Option(help: "Rater name.")
    var rater: String?

    @Option(help: "Rater role, e.g. 'Psychological Wellbeing Practitioner'.")
    var role: String?

    @OptionGroup var sessions: SessionsDirectory

    @Option(help: "Language code for prompts, when the interview has translations.")
    var language: String?

    @Option(
        help:
            "Continue a session: its journal's path, its id or a unique start of it, or a client id with one open session.",
        completion: Completions.sessions)
    var resume: String?

    @Flag(help: "With --resume: continue even if the interview definition changed.")
    var allowChangedDefinition = false

    @Flag(
        help: "A blind follow-up: nothing from the client's earlier sessions is shown; the journal and reports say so.")
    var blind = false

    @Option(help: "Which of the interview's time frames the prompts use, e.g. follow_up ('since the last assessment').")
    var timeFrame: String?

    /// The bundled interviews, found from this source file when run from a checkout.
    static let bundledInterviews = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Interviews").path

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        let store = sessions.store
        // The catalog loads every interview it finds: only when a choice or an id needs it.
        var isFile: ObjCBool = false
        let givenFile =
            interview.map { FileManager.default.fileExists(atPath: $0, isDirectory: &isFile) && !isFile.boolValue }
            ?? false
        let needsCatalog = !givenFile && resume == nil
        let catalog =
            needsCatalog
            ? InterviewCatalog.scan(
                InterviewCatalog.searchPath(environment: environment, bundled: Self.bundledInterviews))
            : InterviewCatalog(entries: [], broken: [])

        // Everything that can fail without a terminal fails before one is opened.
        var definitionPath: String?
        if let interview {
            guard let path = givenFile ? interview : catalog.resolve(interview) else {
                printError(
                    "no interview file or id '\(interview)'; known ids: \(catalog.entries.map(\.id).joined(separator: ", "))"
                )
                throw CommandFailure.inputError
            }
            definitionPath = path
        }
        var resumePath: String?
        if let resume {
            let path: String
            do {
                path = try store.locate(resume)
                let contents = try JournalReader.read(path: path)
                if definitionPath == nil { definitionPath = contents.header?.definitionPath }
            } catch {
                printError("\(error)")
                throw CommandFailure.inputError
            }
            resumePath = path
        }
        do {
            try store.ensureDirectory()
        } catch {
            printError("\(error)")
            throw CommandFailure.inputError
        }
        if let problem = CursesTerminal.checkEnvironment(environment: environment) {
            printError("clinterview: \(problem)")
            throw CommandFailure.usage
        }
        let terminal: CursesTerminal
        do {
            terminal = try CursesTerminal(term: environment["TERM"] ?? "")
        } catch {
            printError("clinterview: \(error)")
            throw CommandFailure.usage
        }

        var ask: [StartForm.Field] = []
        if resumePath == nil {
            if definitionPath == nil { ask.append(.interview) }
            if client == nil { ask.append(.client) }
            if rater == nil { ask.append(.rater) }
            if role == nil { ask.append(.role) }
        }
        let choices = catalog.entries.map {
            StartForm.Choice(path: $0.path, id: $0.id, title: $0.title, version: $0.version)
        }
        // A client with a session open is offered it before a second is started.
        let open: [StartForm.OpenSession] =
            ask.contains(.client)
            ? store.list().filter { !$0.completed && $0.problem == nil }.compactMap { summary in
                summary.header.map {
                    StartForm.OpenSession(
                        id: summary.id, path: summary.path, client: $0.client,
                        started: summary.started.map(Timestamp.string) ?? "?")
                }
            }.sorted { $0.started < $1.started } : []
        let form = StartForm(
            ask: ask, choices: choices, preferred: "core", defaults: [.rater: environment["USER"] ?? ""],
            openSessions: open)
        if !ask.isEmpty {
            _ = TerminalLoop.run(form, on: terminal) { form.isDone }
            if form.wantsQuit {
                terminal.close()
                say("No session was started.")
                return
            }
        }
        if let chosen = form.resumeChosen {
            resumePath = chosen.path
            definitionPath = (try? JournalReader.read(path: chosen.path))?.header?.definitionPath ?? definitionPath
        }
        definitionPath = definitionPath ?? form.interview?.path

        let journaled: JournaledSession
        do {
            guard let definitionPath else { throw JournalError(.notFound, path: "Interviews", "no interview to run") }
            let bytes: [UInt8]
            switch InterviewLoader.readFile(path: definitionPath) {
            case .success(let data): bytes = data
            case .failure(let diagnostic): throw JournalError(.notFound, path: definitionPath, diagnostic.message)
            }
            // Authors see lint warnings with 'validate'; here only errors matter.
            let loaded = DefinitionLoader.load(source: SourceFile(path: definitionPath, bytes: bytes), lint: false)
            guard let definition = loaded.interview else {
                throw JournalError(
                    .corrupt, path: definitionPath,
                    "the interview definition has errors: \(loaded.errors.first?.description ?? ""); run 'clinterview validate'"
                )
            }
            if let resumePath {
                journaled = try store.resume(
                    resumePath, interview: definition, definition: bytes, allowChangedDefinition: allowChangedDefinition
                ).0
            } else {
                let (client, rater, role) = (
                    client ?? form.value(.client), rater ?? form.value(.rater), role ?? form.value(.role)
                )
                // The first question shows while the journal is created (a few fsyncs);
                // no key is read before the journal exists.
                let preview = InterviewApp(
                    driver: PreviewDriver(
                        interview: definition, client: client, rater: rater, role: role, language: language),
                    language: language, timeFrame: timeFrame, blind: blind)
                let size = terminal.size
                terminal.present(preview.render(rows: size.rows, columns: size.columns))
                journaled = try store.start(
                    .init(
                        interview: definition, definition: bytes, definitionPath: definitionPath,
                        client: client, rater: rater, role: role, language: language, blind: blind, timeFrame: timeFrame
                    ))
            }
        } catch {
            terminal.close()
            printError("\(error)")
            throw CommandFailure.inputError
        }

        // Each change is written before its next screen is drawn and fsynced while
        // it is drawn; the next key waits for the fsync (docs/sessions.md).
        journaled.flushesInBackground = true
        let app = InterviewApp(
            driver: journaled, language: language, timeFrame: journaled.header.timeFrame, blind: journaled.header.blind)
        let ending = TerminalLoop.run(app, on: terminal)
        terminal.close()
        journaled.close()
        let id = journaled.header.sessionID
        if app.completed {
            say("Session \(id) completed and saved in \(journaled.path).")
            say(
                "Its report: clinterview report \(ShellQuote.quote(journaled.path)) (add --format markdown, json or fhir)"
            )
        } else {
            say("Session \(id) saved in \(journaled.path). Continue it with: \(journaled.resumeCommand)")
        }
        if case .signal(let number) = ending { throw CommandFailure(code: 128 + number) }
    }
}
