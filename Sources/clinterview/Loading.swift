import ClinterviewCore
import ClinterviewReports

/// A definition (Clinterview's format or a FHIR Questionnaire) and its bytes;
/// otherwise its errors are printed and the command fails with exit code 1.
/// Not linted: only `validate` shows warnings.
func loadDefinition(_ path: String) throws -> (interview: Interview, bytes: [UInt8]) {
    let (loaded, bytes) = DefinitionLoader.load(path: path, lint: false)
    for diagnostic in loaded.errors { printError(diagnostic.description) }
    guard let interview = loaded.interview, let bytes else { throw CommandFailure.inputError }
    return (interview, bytes)
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
