/// Every kind of problem `validate`, `replay` and `import-fhir` report, with
/// the stable code printed in brackets. docs/format.md lists them from here
/// (a test keeps the two the same).
public enum DiagnosticCode: String, CaseIterable, Sendable, Hashable {
    case jsonSyntax = "json-syntax"
    case unreadableFile = "unreadable-file"
    case unsupportedFormat = "unsupported-format"
    case missingField = "missing-field"
    case unknownField = "unknown-field"
    case wrongType = "wrong-type"
    case invalidID = "invalid-id"
    case duplicateID = "duplicate-id"
    case unknownKind = "unknown-kind"
    case unknownLanguage = "unknown-language"
    case unknownReference = "unknown-reference"
    case unknownCode = "unknown-code"
    case typeMismatch = "type-mismatch"
    case expressionSyntax = "expression-syntax"
    case forwardReference = "forward-reference"
    case cycle
    case tooDeep = "too-deep"
    case overlappingBands = "overlapping-bands"
    case neverEnabled = "never-enabled"
    case unusedCriterion = "unused-criterion"
    case evidenceIncomplete = "evidence-incomplete"
    case skipOutIndeterminate = "skip-out-indeterminate"
    case notAnalysed = "not-analysed"
    case missingTranslation = "missing-translation"
    case emptyContainer = "empty-container"
    case invalidAnswer = "invalid-answer"
    case interviewMismatch = "interview-mismatch"
    case fhirImport = "fhir-import"
}
