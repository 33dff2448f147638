import ClinterviewCore
import ClinterviewJournal
import Foundation

/// One assessment of one client, from a session journal or an answer file:
/// who, when, and the results it gives.
public struct AssessedSession: Sendable {
    public var path: String
    public var client: String
    public var rater: String
    public var role: String
    public var date: Date?
    public var interviewID: String
    public var blind: Bool
    public var session: Session
    public var evaluation: Evaluation
    /// From the journal's records; nil for an answer file.
    public var fidelity: SessionFidelity? = nil

    /// The answer to an item as shown in comparisons.
    public func answer(_ itemID: String) -> String {
        guard let response = session.response(to: itemID), session.isOnRoute(itemID) else { return "—" }
        switch response.answer {
        case .value(_, let input): return input.description
        case .inadequate(let code): return code
        case .skipped: return "skipped"
        }
    }

    public func status(of ruleID: String) -> Status? {
        evaluation.diagnoses.first { $0.id == ruleID }?.status ?? evaluation.criteria.first { $0.id == ruleID }?.status
    }

    public func score(_ id: String) -> Double? {
        evaluation.scores.first { $0.id == id }?.value
    }
}

/// Finds and reads assessments from files and directories.
public struct AssessmentLoader {
    public var interviews: [String: Interview]
    public private(set) var problems: [String] = []

    public init(interviews: [Interview]) {
        self.interviews = Dictionary(interviews.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    public mutating func load(_ arguments: [String]) -> [AssessedSession] {
        var sessions: [AssessedSession] = []
        for argument in arguments {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: argument, isDirectory: &isDirectory) else {
                problems.append("\(argument): no such file or directory")
                continue
            }
            var paths = [argument]
            if isDirectory.boolValue {
                let enumerator = FileManager.default.enumerator(atPath: argument)
                paths = []
                while let entry = enumerator?.nextObject() as? String {
                    guard entry.hasSuffix(".json") || entry.hasSuffix(".jsonl") else { continue }
                    let path = (argument as NSString).appendingPathComponent(entry)
                    // A pipe or a device in a directory is never opened: reading it could wait for ever.
                    var info = stat()
                    guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
                        problems.append("\(path): not a regular file; left out")
                        continue
                    }
                    paths.append(path)
                }
                paths.sort()
            }
            for path in paths { if let session = load(path: path) { sessions.append(session) } }
        }
        return sessions
    }

    mutating func load(path: String) -> AssessedSession? {
        guard case .success(let bytes) = InterviewLoader.readFile(path: path) else {
            problems.append("\(path): cannot be read")
            return nil
        }
        return load(path: path, bytes: bytes)
    }

    /// A journal or answer file already read (from a file, or a journal from the service store).
    public mutating func load(path: String, bytes: [UInt8]) -> AssessedSession? {
        if path.hasSuffix(".jsonl") || bytes.starts(with: Array("{\"seq\":".utf8)) {
            let contents = JournalReader.parse(bytes, path: path)
            if let problem = contents.problems.first {
                problems.append("\(path): \(problem) (the intact records are used)")
            }
            guard let header = contents.header else { return nil }
            guard let interview = interviews[header.interviewID] else {
                problems.append("\(path): interview '\(header.interviewID)' is not among those given with --interview")
                return nil
            }
            let session = SessionRebuilder.rebuild(contents.records, interview: interview).session
            return AssessedSession(
                path: path, client: header.client, rater: header.rater, role: header.role,
                date: header.assessedAt ?? contents.records.first?.time,
                interviewID: interview.id, blind: header.blind, session: session, evaluation: session.evaluate(),
                fidelity: SessionFidelity(
                    contents.records, session: session, enteredAfterwards: header.assessedAt != nil))
        }
        let source = SourceFile(path: path, bytes: bytes)
        var sink = DiagnosticSink(source: source)
        guard let file = AnswerFile.read(source: source, sink: &sink), !sink.hasErrors else {
            problems.append("\(path): not an answer file or journal (\(sink.sorted.first?.message ?? "unreadable"))")
            return nil
        }
        guard let id = file.interviewID, let interview = interviews[id] else {
            problems.append(
                "\(path): its 'interview' (\(file.interviewID ?? "missing")) is not among those given with --interview")
            return nil
        }
        let result = Replayer.replay(file, interview: interview, sink: &sink)
        guard let session = result.session else { return nil }
        return AssessedSession(
            path: path, client: file.client ?? (path as NSString).lastPathComponent, rater: file.rater ?? "unknown",
            role: file.role ?? "", date: file.date, interviewID: interview.id, blind: file.blind ?? false,
            session: session, evaluation: result.evaluation)
    }
}
