import ClinterviewCore
import ClinterviewJournal
import ClinterviewReports
import Foundation

/// A definition's path from what a user typed: a file as it is, else an
/// interview id as `run` takes it (`phq9`), found where `run` looks; anything
/// else is returned unchanged, for the loader to report.
func definitionPath(_ fileOrID: String) -> String {
    if FileManager.default.fileExists(atPath: fileOrID) || fileOrID.contains("/") || fileOrID.hasSuffix(".json") {
        return fileOrID
    }
    let catalog = InterviewCatalog.scan(
        InterviewCatalog.searchPath(environment: ProcessInfo.processInfo.environment, bundled: Run.bundledInterviews))
    return catalog.resolve(fileOrID) ?? fileOrID
}

/// A definition (Clinterview's format or a FHIR Questionnaire), its bytes and its path;
/// otherwise its errors are printed and the command fails with exit code 1.
/// Not linted: only `validate` shows warnings.
func loadDefinition(_ fileOrID: String) throws -> (interview: Interview, bytes: [UInt8], path: String) {
    let path = definitionPath(fileOrID)
    let (loaded, bytes) = DefinitionLoader.load(path: path, lint: false)
    for diagnostic in loaded.errors { printError(diagnostic.description) }
    guard let interview = loaded.interview, let bytes else { throw CommandFailure.inputError }
    return (interview, bytes, path)
}

/// A whole input file; otherwise why not is printed and the command fails with exit code 1.
func readSource(_ path: String) throws -> SourceFile {
    switch InterviewLoader.readFile(path: path) {
    case .success(let bytes): return SourceFile(path: path, bytes: bytes)
    case .failure(let diagnostic):
        printError(diagnostic.description)
        throw CommandFailure.inputError
    }
}

/// A session's journal from a path, an id, a unique start of an id or a
/// client's one open session; otherwise why not is printed (exit 1).
func locateJournal(_ word: String, in store: SessionStore) throws -> String {
    do {
        return try store.locate(word)
    } catch {
        printError("\(error)")
        throw CommandFailure.inputError
    }
}
