import ArgumentParser
import ClinterviewCore
import ClinterviewJournal
import ClinterviewReports
import ClinterviewStore
import Foundation

/// Interviews given with --interview, else every bundled and own interview.
struct InterviewChoice: ParsableArguments {
    @Option(
        name: .shortAndLong,
        help:
            "An interview definition the sessions use (repeatable; default: every interview found in Interviews/ and your own directory)."
    )
    var interview: [String] = []

    func load() throws -> [Interview] {
        var paths = interview
        if paths.isEmpty {
            let catalog = InterviewCatalog.scan(
                InterviewCatalog.searchPath(
                    environment: ProcessInfo.processInfo.environment, bundled: Run.bundledInterviews))
            paths = catalog.entries.map(\.path)
        }
        return try paths.map { try loadDefinition($0).interview }
    }
}

struct OutputFormat: ParsableArguments {
    @Flag(help: "Print JSON.")
    var json = false

    @Flag(help: "Print CSV.")
    var csv = false

    func validate() throws {
        if json && csv { throw ValidationError("choose one of --json and --csv") }
    }
}

struct Agreement: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agreement",
        abstract: "Inter-rater agreement: kappa per diagnosis and criterion, and every disagreement.",
        discussion: """
            Sessions of the same clients by two or more raters, paired by client id; journals and answer \
            files (with client, rater and date) both count. Two raters: Cohen's kappa; more: Fleiss'. \
            See docs/outcomes.md.
            """
    )

    @Argument(help: "Session journals, answer files, or directories of them.")
    var inputs: [String] = []

    @Option(
        help: ArgumentHelp("Every session in the service store this role may read, instead of files.", valueName: "url")
    )
    var database: String?

    @OptionGroup var interviews: InterviewChoice
    @OptionGroup var format: OutputFormat

    func validate() throws {
        if inputs.isEmpty == (database == nil) {
            throw ValidationError("give session files or directories, or --database")
        }
    }

    func run() async throws {
        var loader = AssessmentLoader(interviews: try interviews.load())
        let sessions: [AssessedSession]
        if let database {
            sessions = try await storedAssessments(database, loader: &loader)
        } else {
            sessions = loader.load(inputs)
        }
        for problem in loader.problems { printError("warning: \(problem)") }
        let reports = AgreementReport.build(sessions)
        guard !reports.isEmpty else {
            printError("no sessions to compare")
            throw CommandFailure.inputError
        }
        if format.json {
            print(JSONOutput.array(reports.map(\.json)).serialized(indent: "  "))
        } else if format.csv {
            print(reports.map(\.csv).joined(), terminator: "")
        } else {
            say(reports.map(\.text).joined(separator: "\n"), terminator: "")
        }
    }
}

struct Outcome: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outcome",
        abstract: "Outcomes: loss of diagnostic status beside the NHS Talking Therapies measures.",
        discussion: """
            --before and --after compare two assessments of one client; --cohort takes every session \
            below a directory, --database every session in the service store the role may read; both \
            group them by client and take the first and last assessment dates. Every client assessed at \
            intake is counted: each rate is given among those followed up and among everyone, and the \
            latest episode status (Interviews/episode.json) says why a follow-up is missing. Diagnoses \
            come from the diagnostic interviews; PHQ-9 and GAD-7 from phq9_total and gad7_total; who \
            judged each loss, and fidelity per assessor, from the sessions. See docs/outcomes.md.
            """
    )

    @Option(help: "Sessions or answer files of the first assessment (repeatable).")
    var before: [String] = []

    @Option(help: "Sessions or answer files of the follow-up (repeatable).")
    var after: [String] = []

    @Option(help: "A directory of sessions and answer files for a whole caseload.")
    var cohort: String?

    @Option(
        help: ArgumentHelp(
            "The whole caseload from the service store: every session this role may read.", valueName: "url"))
    var database: String?

    @OptionGroup var interviews: InterviewChoice
    @OptionGroup var format: OutputFormat

    @Flag(
        help:
            "Print one self-contained HTML page with charts: the flow of clients, questionnaire recovery beside loss of diagnosis, and each client."
    )
    var html = false

    func validate() throws {
        if html && (format.json || format.csv) { throw ValidationError("choose one of --json, --csv and --html") }
        let sources = [cohort != nil, database != nil, !(before.isEmpty && after.isEmpty)].filter { $0 }.count
        if sources != 1 || (cohort == nil && database == nil && (before.isEmpty || after.isEmpty)) {
            throw ValidationError("give --before and --after, or --cohort, or --database")
        }
    }

    func run() async throws {
        let format: OutcomeWriter.Format = html ? .html : self.format.json ? .json : self.format.csv ? .csv : .text
        if let database {
            // From the results stored at sync: no replay, and a client's part
            // spooled to a file as it is read, so memory holds one client.
            guard let spool = FileSpool() else {
                printError("clinterview: cannot create a temporary file for the report (is /tmp writable?)")
                throw CommandFailure.inputError
            }
            let writer = OutcomeWriter(format: format, spool: spool)
            // Each batch's figures are summed where it was judged, on another core.
            let notes = try await DatabaseOption(database: database).use {
                try await $0.outcomes(writer.write, counted: writer.count)
            }
            for note in notes { writer.note(note) }
            writer.finish { emit($0, format) }
            if spool.failed {
                printError("clinterview: the report's temporary file could not be written (is the disk full?)")
                throw CommandFailure.inputError
            }
            return
        }
        var loader = AssessmentLoader(interviews: try interviews.load())
        let report: OutcomeReport
        if let cohort {
            report = OutcomeReport.build(loader.load([cohort]))
        } else {
            let first = loader.load(before), last = loader.load(after)
            let clients = Set((first + last).map(\.client))
            if clients.count > 1 {
                printError(
                    "warning: the sessions name more than one client: \(clients.sorted().joined(separator: ", "))")
            }
            report = OutcomeReport(
                clients: [OutcomeReport.outcome(first.first?.client ?? last.first?.client ?? "client", first, last)],
                notes: [])
        }
        for problem in loader.problems { printError("warning: \(problem)") }
        emit(report.rendered(format), format)
    }

    /// Text as `say` writes it (control characters made visible); JSON and CSV as they are.
    private func emit(_ bytes: [UInt8], _ format: OutcomeWriter.Format) {
        let text = String(decoding: bytes, as: UTF8.self)
        if format == .text { say(text, terminator: "") } else { print(text, terminator: "") }
    }
}
