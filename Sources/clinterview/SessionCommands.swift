import ArgumentParser
import ClinterviewCore
import ClinterviewJournal
import ClinterviewReports
import Foundation

struct SessionsDirectory: ParsableArguments {
    @Option(
        name: .customLong("sessions"),
        help: ArgumentHelp(
            "The sessions directory.",
            discussion:
                "Default: $CLINTERVIEW_SESSIONS, else $XDG_DATA_HOME/clinterview/sessions (~/.local/share/clinterview/sessions).",
            valueName: "DIR"),
        completion: .directory)
    var path: String?

    var store: SessionStore { SessionStore.resolve(explicit: path) }
}

struct Sessions: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sessions",
        abstract: "List recorded sessions.",
        discussion: "Shows each session's id, client, rater, interview and version, start, last activity and status."
    )

    @OptionGroup var sessions: SessionsDirectory

    @Flag(help: "Print the list as JSON.")
    var json = false

    @Option(
        help: ArgumentHelp(
            "List the sessions in the service store this role may read, instead of this machine's.", valueName: "url"))
    var database: String?

    func run() async throws {
        var summaries = sessions.store.list()
        if let database {
            summaries = try await DatabaseOption(database: database).use { try await $0.journals() }.map { journal in
                let path = "store:\(journal.id).jsonl"
                return SessionStore.Summary(
                    id: journal.id, path: path, contents: JournalReader.parse(journal.bytes, path: path))
            }
        }
        if json {
            print(JSONOutput.array(summaries.map(\.json)).serialized(indent: "  "))
            return
        }
        if summaries.isEmpty {
            say(database == nil ? "No sessions in \(sessions.store.directory)" : "No sessions in the service store")
            return
        }
        for summary in summaries {
            let header = summary.header
            let status = summary.problem.map { "DAMAGED: \($0)" } ?? (summary.completed ? "completed" : "in progress")
            let interview = header.map { "\($0.interviewID) \($0.interviewVersion)" } ?? "?"
            say(
                [
                    summary.id, header?.client ?? "?", header?.rater ?? "?", interview,
                    summary.started.map(Timestamp.string) ?? "?", summary.lastActivity.map(Timestamp.string) ?? "?",
                    status,
                ]
                .map { VisibleText.escaped($0) }.joined(separator: "  "))
        }
    }
}

extension SessionStore.Summary {
    var json: JSONOutput {
        .object([
            ("id", .string(id)),
            ("path", .string(path)),
            ("client", header.map { .string($0.client) } ?? .null),
            ("rater", header.map { .string($0.rater) } ?? .null),
            ("role", header.map { .string($0.role) } ?? .null),
            ("interview", header.map { .string($0.interviewID) } ?? .null),
            ("interview_version", header.map { .string($0.interviewVersion) } ?? .null),
            ("started", started.map { .string(Timestamp.string($0)) } ?? .null),
            ("last_activity", lastActivity.map { .string(Timestamp.string($0)) } ?? .null),
            ("status", .string(problem != nil ? "damaged" : completed ? "completed" : "in_progress")),
            ("problem", problem.map(JSONOutput.string) ?? .null),
        ])
    }
}

/// Reads a journal, or prints why it cannot be read and fails with exit code 1.
func readJournal(_ path: String) throws -> JournalContents {
    do {
        return try JournalReader.read(path: path)
    } catch {
        printError("\(error)")
        throw CommandFailure.inputError
    }
}

/// Text from files and users, made safe to print on a terminal.
struct Verify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check that a session journal was not edited, shortened or reordered.",
        discussion: """
            Exits 0 for an intact journal (printing its record count and head hash), and 1 naming \
            the first record that was edited, removed, reordered or cut off, or a record after completion \
            that is not an amendment with its reason or a note. The chain alone cannot show that records \
            were removed from the end or that the whole journal was rewritten: give a head hash taken \
            earlier (every report prints it) with --head, and verify fails unless the chain still \
            contains it. With --database, the head the service store holds for the session is that anchor \
            (docs/service.md). See docs/sessions.md.
            """
    )

    @Argument(help: "A session id, or the path of its journal.", completion: Completions.sessions)
    var session: String

    @OptionGroup var sessions: SessionsDirectory

    @Option(
        name: .customLong("head"),
        help: ArgumentHelp(
            "A head SHA-256 anchored earlier (from a report, an export or a store): fail unless the chain contains it.",
            valueName: "SHA256"))
    var head: String?

    @Option(
        help: ArgumentHelp(
            "Check the journal against the head the service store holds for this session.", valueName: "url"))
    var database: String?

    func validate() throws {
        if let head, head.count != 64 || !head.allSatisfy(\.isHexDigit) {
            throw ValidationError("--head takes a SHA-256 of 64 hexadecimal digits, as reports print it")
        }
    }

    func run() async throws {
        let path = try locateJournal(session, in: sessions.store)
        let contents = try readJournal(path)
        if let problem = contents.problems.first {
            say("\(path): NOT INTACT: \(problem)")
            say("\(contents.records.count) record\(contents.records.count == 1 ? "" : "s") before it are intact.")
            throw CommandFailure.inputError
        }
        if let database, let header = contents.header {
            let stored = try await DatabaseOption(database: database).use { try await $0.head(of: header.sessionID) }
            guard let stored else {
                say(
                    "\(path): intact, \(contents.records.count) records; the service store holds nothing of this session yet"
                )
                return
            }
            guard contents.records.contains(where: { $0.sequence == stored.seq && $0.hash == stored.hash }) else {
                say(
                    "\(path): NOT ANCHORED: the store holds record \(stored.seq) with head \(stored.hash), which this journal does not contain: records were removed or rewritten after it was synced"
                )
                throw CommandFailure.inputError
            }
            let later = contents.records.count - stored.seq
            say(
                "\(path): intact, \(contents.records.count) records; anchored to the service store at record \(stored.seq)\(later == 0 ? ", the last" : ", with \(later) not yet synced")"
            )
            return
        }
        if let head = head?.lowercased() {
            guard let anchored = contents.records.firstIndex(where: { $0.hash == head }) else {
                say(
                    "\(path): NOT ANCHORED: the chain does not contain the head \(head): records were removed from its end, or the journal was rewritten, since that head was taken"
                )
                throw CommandFailure.inputError
            }
            let later = contents.records.count - anchored - 1
            say(
                "\(path): intact, \(contents.records.count) records, head SHA-256 \(contents.headHash); the anchored head is record \(anchored + 1)\(later == 0 ? ", the last" : ", with \(later) record\(later == 1 ? "" : "s") after it")"
            )
            return
        }
        say("\(path): intact, \(contents.records.count) records, head SHA-256 \(contents.headHash)")
    }
}

struct ExportAnswers: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export-answers",
        abstract: "Write a session's answers as an answer file, for replay and regression tests.",
        discussion: """
            With --interview (or when the definition recorded in the session is still there, unchanged), \
            an "expect" block with the session's current results is added, so that \
            'clinterview replay --check' passes on the exported file.
            """
    )

    @Argument(help: "A session id, or the path of its journal.", completion: Completions.sessions)
    var session: String

    @OptionGroup var sessions: SessionsDirectory

    @Option(
        name: .shortAndLong, help: "The interview definition, to add expectations.", completion: Completions.interviews)
    var interview: String?

    @Option(name: .shortAndLong, help: "Write to this file instead of standard output.", completion: .file())
    var output: String?

    func run() throws {
        let path = try locateJournal(session, in: sessions.store)
        let contents = try readJournal(path)
        if let problem = contents.problems.first {
            printError("\(path): warning: \(problem); exporting the \(contents.records.count) intact records before it")
        }
        var exported = AnswerFileExport.answerFile(from: contents)
        if let definition = try definitionFor(contents) {
            exported = AnswerFileExport.answerFileWithExpectations(from: contents, interview: definition)
        }
        let text = exported.serialized(indent: "  ") + "\n"
        if let output {
            guard writePrivateFile(text, to: output) else {
                printError("\(output): cannot write the answer file")
                throw CommandFailure.inputError
            }
        } else {
            print(text, terminator: "")
        }
    }

    private func definitionFor(_ contents: JournalContents) throws -> Interview? {
        if let interview { return try loadDefinition(interview).interview }
        guard let header = contents.header,
            case .success(let bytes) = InterviewLoader.readFile(path: header.definitionPath),
            SHA256Hex.of(bytes) == header.definitionSHA256
        else { return nil }
        return DefinitionLoader.load(source: SourceFile(path: header.definitionPath, bytes: bytes), lint: false)
            .interview
    }
}
