import ArgumentParser
import ClinterviewCore
import ClinterviewReports

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check interview definitions and report every problem as FILE:LINE:COLUMN.",
        discussion: """
            Prints one line per problem: FILE:LINE:COLUMN: error|warning: MESSAGE [code].
            Exits 0 when every file is valid (warnings allowed unless --strict), 1 otherwise.
            """
    )

    @Argument(help: "Interview definition files (JSON), or interview ids.", completion: Completions.interviews)
    var files: [String]

    @Flag(help: "Treat warnings as errors.")
    var strict = false

    @Flag(name: .shortAndLong, help: "Print problems only, without a summary line per file.")
    var quiet = false

    func run() throws {
        var failed = false
        for file in files {
            let result = DefinitionLoader.load(path: definitionPath(file)).0
            for diagnostic in result.diagnostics { say(VisibleText.escaped(diagnostic.description)) }
            let errors = result.errors.count
            let warnings = result.warnings.count
            let bad = errors > 0 || (strict && warnings > 0)
            failed = failed || bad
            if !quiet {
                let summary = bad ? "invalid" : "valid"
                say(
                    "\(file): \(summary) (\(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s"))"
                )
            }
        }
        if failed { throw CommandFailure.inputError }
    }
}
