import ArgumentParser
import ClinterviewCore
import Foundation

/// Runs the command and maps outcomes to the documented exit codes:
/// 0 success, 1 the input is wrong or a check failed, 2 usage error.
@main
enum Entry {
    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if let problem = unknownCommand(arguments) {
            printError(problem)
            exit(2)
        }
        do {
            var command = try Clinterview.parseAsRoot()
            if var asynchronous = command as? AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try command.run()
            }
        } catch let failure as CommandFailure {
            exit(failure.code)
        } catch {
            let code = Clinterview.exitCode(for: error)
            let message = Clinterview.fullMessage(for: error)
            if code == .success {
                if !message.isEmpty { say(message) }
                exit(0)
            }
            if !message.isEmpty { printError(message) }
            exit(code == .validationFailure ? 2 : (code.rawValue == 1 ? 1 : 2))
        }
    }
}

/// A first word that is no subcommand (`valdate`), or `help` with one, would
/// otherwise be taken as arguments to `run`, or print the overview and exit
/// 0: say so, with the nearest subcommand.
func unknownCommand(_ arguments: [String]) -> String? {
    var words = arguments
    if words.first == "help" { words.removeFirst() }
    guard let word = words.first, !word.hasPrefix("-") else { return nil }
    let names = Clinterview.configuration.subcommands.map { $0.configuration.commandName ?? "" } + ["help"]
    guard !names.contains(word) else { return nil }
    // `run` takes no words of its own, so any word here was meant as a command.
    let suggestion = Suggestion.didYouMean(word, in: names)
    return "clinterview: '\(word)' is not a command\(suggestion.isEmpty ? "." : suggestion) Commands: "
        + "\(names.dropLast().joined(separator: ", ")) (see 'clinterview --help')"
}

/// Thrown after a command has printed its own explanation.
struct CommandFailure: Error {
    var code: Int32
    static let inputError = CommandFailure(code: 1)
    static let usage = CommandFailure(code: 2)
}

/// Every command here names itself in its configuration: without a name,
/// ArgumentParser derives one from the type's description at every launch,
/// which in the static build means scanning the runtime's conformance tables
/// (a few milliseconds of the launch; docs/benchmarks.md).
struct Clinterview: ParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "clinterview",
        abstract:
            "Structured diagnostic interviews in the terminal: administer, validate, replay, keep session journals.",
        discussion: """
            With no subcommand, runs an interview in the terminal ('clinterview run').
            Exit codes: 0 success; 1 an input is wrong or a check failed; 2 usage error, or no usable terminal.
            Documentation: docs/ (docs/cli.md lists every command; start with docs/terminal.md and docs/format.md).
            """,
        version: version,
        subcommands: [
            Run.self, Validate.self, Replay.self, Record.self, Sessions.self, Verify.self, ExportAnswers.self,
            Report.self, Export.self, Graph.self, ImportFHIR.self, Agreement.self, Outcome.self, Store.self,
            Sync.self,
        ],
        defaultSubcommand: Run.self
    )
}

/// Messages on standard error: text from files and arguments shown visibly.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((VisibleText.escaped(text, keepingNewlines: true) + "\n").utf8))
}

/// Human-readable output on standard output. Anything that came from a
/// definition, an answer file, a journal or the command line may hold escape
/// sequences or bidirectional controls: they are shown, never sent to the
/// terminal (machine formats, JSON and CSV, are printed exactly instead).
func say(_ text: String, terminator: String = "\n") {
    print(VisibleText.escaped(text, keepingNewlines: true), terminator: terminator)
}

/// Writes an output file readable by its owner only, as journals are.
func writePrivateFile(_ text: String, to path: String) -> Bool {
    FileManager.default.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600])
        && (try? FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)) != nil
}
