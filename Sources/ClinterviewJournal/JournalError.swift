/// Why a journal could not be written or read. Every message names the file and
/// says what to do; the caller still has the answer in memory.
public struct JournalError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        case noSpace = "no-space"
        case permission
        case io
        case replaced
        case locked
        case notFound = "not-found"
        case corrupt
        case changedDefinition = "changed-definition"
        case tooLarge = "too-large"
    }

    public var kind: Kind
    public var path: String
    public var message: String

    public init(_ kind: Kind, path: String, _ message: String) {
        self.kind = kind
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }
}
