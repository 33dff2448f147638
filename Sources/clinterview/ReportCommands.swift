import ArgumentParser
import ClinterviewCore
import ClinterviewJournal
import ClinterviewReports
import ClinterviewStore
import Foundation

enum ReportFormat: String, ExpressibleByArgument, CaseIterable {
    case text, markdown, json, fhir
}

/// A session's journal and the definition it was recorded with.
struct LoadedSession {
    var contents: JournalContents
    var interview: Interview
    /// The SHA-256 of the definition the results are computed with.
    var definitionSHA256: String

    static func load(_ idOrPath: String, store: SessionStore, interview path: String?) throws -> LoadedSession {
        let journalPath = try locateJournal(idOrPath, in: store)
        return try load(try readJournal(journalPath), journalPath: journalPath, interview: path)
    }

    /// A session from the service store: its journal read back line by line.
    static func load(_ sessionID: String, database: String, interview path: String?) async throws -> LoadedSession {
        let bytes = try await DatabaseOption(database: database).use { try await $0.journal(sessionID) }
        guard let bytes else {
            printError("clinterview: the service store holds no session '\(sessionID)' that this role may read")
            throw CommandFailure.inputError
        }
        let name = "store:\(sessionID).jsonl"
        return try load(JournalReader.parse(bytes, path: name), journalPath: name, interview: path)
    }

    static func load(_ contents: JournalContents, journalPath: String, interview path: String?) throws -> LoadedSession
    {
        if let problem = contents.problems.first {
            printError(
                "\(journalPath): warning: the journal is not intact (\(problem)); using the \(contents.records.count) intact records"
            )
        }
        guard let header = contents.header else {
            printError("\(journalPath): the journal has no 'started' record")
            throw CommandFailure.inputError
        }
        let definitionPath = path ?? header.definitionPath
        guard case .success(let bytes) = InterviewLoader.readFile(path: definitionPath) else {
            printError(
                "\(journalPath): the interview definition \(definitionPath) cannot be read: give it with --interview")
            throw CommandFailure.inputError
        }
        let used = SHA256Hex.of(bytes)
        if used != header.definitionSHA256 {
            printError(
                "\(journalPath): warning: \(definitionPath) has changed since the session was recorded (its SHA-256 differs)"
            )
        }
        let loaded = DefinitionLoader.load(source: SourceFile(path: definitionPath, bytes: bytes), lint: false)
        for diagnostic in loaded.errors { printError(diagnostic.description) }
        guard let interview = loaded.interview else { throw CommandFailure.inputError }
        return LoadedSession(contents: contents, interview: interview, definitionSHA256: used)
    }
}

/// Writes a command's output to standard output, or to a file created 0600.
/// `exact` output (JSON, CSV, FHIR) is written as it is; human-readable output
/// shows escape sequences and bidirectional controls visibly (`say`).
func write(_ text: String, to output: String?, exact: Bool) throws {
    guard let output else {
        // By bytes: a CSV's last line ends "\r\n", one Character that is not "\n".
        let ended = text.utf8.last == UInt8(ascii: "\n")
        if exact {
            print(text, terminator: ended ? "" : "\n")
        } else {
            say(text, terminator: ended ? "" : "\n")
        }
        return
    }
    guard writePrivateFile(text, to: output) else {
        printError("\(output): cannot be written")
        throw CommandFailure.inputError
    }
}

struct Report: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a session's score sheet (text, Markdown, JSON) or its FHIR R4 QuestionnaireResponse.",
        discussion: "See docs/reports.md for what each format contains and the JSON schema."
    )

    @Argument(help: "A session id, or the path of its journal.", completion: Completions.sessions)
    var session: String

    @Option(name: .shortAndLong, help: "text, markdown, json or fhir.")
    var format: ReportFormat = .text

    @Option(name: .shortAndLong, help: "Write to this file instead of standard output.", completion: .file())
    var output: String?

    @Option(
        name: .shortAndLong, help: "The interview definition (default: the one recorded in the session).",
        completion: Completions.interviews)
    var interview: String?

    @OptionGroup var sessions: SessionsDirectory

    @Option(help: ArgumentHelp("Read the session from the service store instead of this machine.", valueName: "url"))
    var database: String?

    func run() async throws {
        let loaded =
            if let database {
                try await LoadedSession.load(session, database: database, interview: interview)
            } else {
                try LoadedSession.load(session, store: sessions.store, interview: interview)
            }
        guard var report = SessionReport.build(from: loaded.contents, interview: loaded.interview) else {
            printError("the journal is empty")
            throw CommandFailure.inputError
        }
        if loaded.definitionSHA256 != report.header.definitionSHA256 {
            report.definitionUsed = (interview ?? report.header.definitionPath, loaded.definitionSHA256)
        }
        let text: String
        switch format {
        case .text: text = ReportText.text(report)
        case .markdown: text = ReportText.markdown(report)
        case .json: text = ReportJSON.json(report).serialized(indent: "  ") + "\n"
        case .fhir:
            text =
                FHIRResponse.questionnaireResponse(
                    session: report.session, header: report.header,
                    status: FHIRResponse.status(of: loaded.contents), authored: report.started,
                    journalHead: report.journalHeadHash
                ).serialized(indent: "  ") + "\n"
        }
        try write(text, to: output, exact: format == .json || format == .fhir)
    }
}

struct Export: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write sessions as one long table (CSV): a row per recorded item.",
        discussion:
            "Columns: \(AnswerTable.columns.joined(separator: ", ")). A directory stands for every journal in it."
    )

    @Argument(help: "Session ids, journal paths, or directories of journals.", completion: Completions.sessions)
    var sessionsToExport: [String] = []

    @Option(
        help: ArgumentHelp(
            "Every session in the service store this role may read, instead of files.", valueName: "url"))
    var database: String?

    @Option(name: .shortAndLong, help: "csv (the only format for now).")
    var format: String = "csv"

    @Option(name: .shortAndLong, help: "Write to this file instead of standard output.", completion: .file())
    var output: String?

    @OptionGroup var sessions: SessionsDirectory

    func validate() throws {
        guard format == "csv" else { throw ValidationError("--format must be csv") }
        if sessionsToExport.isEmpty == (database == nil) {
            throw ValidationError("give sessions, journals or directories, or --database")
        }
    }

    func run() async throws {
        var rows: [AnswerTable.Row] = []
        var failed = false
        if let database {
            try await exportFromStore(database)
            return
        }
        for argument in sessionsToExport {
            var isDirectory: ObjCBool = false
            var paths = [argument]
            if FileManager.default.fileExists(atPath: argument, isDirectory: &isDirectory), isDirectory.boolValue {
                paths = ((try? FileManager.default.contentsOfDirectory(atPath: argument)) ?? []).filter {
                    $0.hasSuffix(".jsonl")
                }.sorted()
                    .map { (argument as NSString).appendingPathComponent($0) }
            }
            for path in paths {
                do {
                    let loaded = try LoadedSession.load(path, store: sessions.store, interview: nil)
                    guard let header = loaded.contents.header else { continue }
                    let session = SessionRebuilder.rebuild(loaded.contents.records, interview: loaded.interview).session
                    rows += AnswerTable.rows(session: session, header: header)
                } catch {
                    printError("\(error)")
                    failed = true
                }
            }
        }
        try write(AnswerTable.csv(rows), to: output, exact: true)
        if failed { throw CommandFailure.inputError }
    }

    /// Every session in the store, written as it is read: memory holds one
    /// session's journal and rows at a time.
    func exportFromStore(_ database: String) async throws {
        var sink: FileHandle = .standardOutput
        if let output {
            guard writePrivateFile("", to: output), let file = FileHandle(forWritingAtPath: output) else {
                printError("\(output): cannot be written")
                throw CommandFailure.inputError
            }
            sink = file
        }
        sink.write(Data(AnswerTable.csv([]).utf8))
        var failed = false
        try await DatabaseOption(database: database).use { store in
            try await store.forEachJournal { id, bytes in
                let name = "store:\(id).jsonl"
                guard
                    let loaded = try? LoadedSession.load(
                        JournalReader.parse(bytes, path: name), journalPath: name, interview: nil),
                    let header = loaded.contents.header
                else {
                    failed = true
                    return
                }
                let session = SessionRebuilder.rebuild(loaded.contents.records, interview: loaded.interview).session
                let rows = AnswerTable.rows(session: session, header: header)
                if !rows.isEmpty { sink.write(Data(AnswerTable.csv(rows, header: false).utf8)) }
            }
        }
        if output != nil { try? sink.close() }
        if failed { throw CommandFailure.inputError }
    }
}

extension RoutingGraph.Format: ExpressibleByArgument {}

struct Graph: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "graph",
        abstract: "Draw an interview's routing as Graphviz dot or Mermaid.",
        discussion:
            "Sections in order within modules (dashed: conditional), the conditions that skip them (blue), and the rules feeding diagnoses (green). Render dot with e.g. 'dot -Tsvg'."
    )

    @Argument(help: "The interview definition, or an interview id.", completion: Completions.interviews)
    var file: String

    @Option(name: .shortAndLong, help: "dot or mermaid.")
    var format: RoutingGraph.Format = .dot

    @Option(name: .shortAndLong, help: "Write to this file instead of standard output.", completion: .file())
    var output: String?

    func run() throws {
        let interview = try loadDefinition(file).interview
        try write(RoutingGraph.render(interview, format: format), to: output, exact: false)
    }
}

struct ImportFHIR: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-fhir",
        abstract: "Convert a FHIR R4 Questionnaire into an interview definition.",
        discussion:
            "validate, replay and run also accept a Questionnaire directly. See docs/fhir.md for what is supported."
    )

    @Argument(help: "The FHIR Questionnaire (JSON).", completion: .file(extensions: ["json"]))
    var questionnaire: String

    @Option(name: .shortAndLong, help: "Write the definition here instead of standard output.", completion: .file())
    var output: String?

    @Option(
        name: .customLong("value-sets"),
        help: ArgumentHelp(
            "ValueSets for answerValueSet by canonical URL: a ValueSet, a Bundle, or a directory of them.",
            valueName: "path"),
        completion: .file())
    var valueSets: String?

    func run() throws {
        let source = try readSource(questionnaire)
        var library = ValueSetLibrary()
        if let valueSets {
            let (read, problems) = ValueSetLibrary.read(path: valueSets)
            for problem in problems { printError(problem.description) }
            guard problems.allSatisfy({ $0.severity != .error }) else { throw CommandFailure.inputError }
            library = read
        }
        let imported = FHIRImport.convert(source: source, valueSets: library)
        for diagnostic in imported.diagnostics { printError(diagnostic.description) }
        guard let definition = imported.definition else { throw CommandFailure.inputError }
        let text = definition.serialized(indent: "  ") + "\n"
        let loaded = InterviewLoader.load(source: SourceFile(path: source.path, text: text))
        for diagnostic in FHIRImport.afterImport(loaded.diagnostics) { printError(diagnostic.description) }
        guard loaded.interview != nil else { throw CommandFailure.inputError }
        try write(text, to: output, exact: true)
    }
}
