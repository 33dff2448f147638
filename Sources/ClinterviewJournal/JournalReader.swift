import ClinterviewCore
import Foundation

/// Something wrong in a journal, by record number (its line, counting from 1).
public struct JournalProblem: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// Its text no longer matches its hash, or the next record does not vouch for it.
        case edited
        case removed
        case reordered
        /// The last line was cut off mid-write: a crash or power cut, or a truncation.
        case incomplete
        case malformed
        /// After `completed`, a record that is not a documented post-completion
        /// change (an amendment with its reason, a skip with its reason, a note,
        /// an alert, a pause or resumption, completing again).
        case afterCompletion = "after-completion"
    }

    public var kind: Kind
    public var record: Int
    public var message: String

    public var description: String { "record \(record): \(message)" }
}

/// A journal as read from disk: its intact records, and what is wrong with it.
public struct JournalContents: Sendable {
    public var path: String
    public var records: [JournalRecord]
    /// The raw lines of the intact records, without newlines.
    public var lines: [[UInt8]]
    public var problems: [JournalProblem]
    /// Bytes after the last complete line, when the last write was cut off.
    public var tornTail: [UInt8]
    /// Length of the file up to the end of the last intact record.
    public var intactLength: Int

    public var header: SessionHeader? {
        if case .started(let header)? = records.first?.event { return header }
        return nil
    }

    public var isIntact: Bool { problems.isEmpty }
    public var isCompleted: Bool { records.contains { $0.event == .completed } }
    public var headHash: String { records.last?.hash ?? JournalCodec.genesis }
}

public enum JournalReader {
    public static let maximumFileSize = 512 * 1024 * 1024

    /// Reads a journal file. Only a regular file is read (a FIFO or a device
    /// named `*.jsonl` is refused, never waited on), and never more than
    /// `maximumFileSize` bytes, whatever its size claims.
    public static func read(path: String) throws(JournalError) -> JournalContents {
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else {
            let code = errno
            if code == ENOENT || code == ENOTDIR {
                throw JournalError(.notFound, path: path, "no such session journal")
            }
            throw JournalError(
                .permission, path: path,
                "the journal cannot be opened for reading (\(String(cString: strerror(code)))): check its permissions")
        }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            throw JournalError(.io, path: path, "the journal cannot be inspected")
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: throw JournalError(.notFound, path: path, "is a directory, not a session journal")
        default:
            throw JournalError(
                .corrupt, path: path,
                "is not a regular file (a pipe, a device or a socket): it is not a Clinterview journal")
        }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw JournalError(.io, path: path, "the journal cannot be read: \(String(cString: strerror(errno)))")
            }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[..<count])
            guard bytes.count <= maximumFileSize else {
                throw JournalError(
                    .corrupt, path: path,
                    "the journal is larger than \(maximumFileSize / 1_048_576) MB, larger than any real session: it is not a Clinterview journal"
                )
            }
        }
        return parse(bytes, path: path)
    }

    /// Reads records in order and checks the chain. Stops at the first problem:
    /// everything before it is intact, nothing after it can be trusted.
    public static func parse(_ bytes: [UInt8], path: String) -> JournalContents {
        var contents = JournalContents(path: path, records: [], lines: [], problems: [], tornTail: [], intactLength: 0)
        var rawLines: [ArraySlice<UInt8>] = []
        var start = 0
        for index in bytes.indices where bytes[index] == 0x0A {
            rawLines.append(bytes[start..<index])
            start = index + 1
        }
        let tail = start < bytes.count ? Array(bytes[start...]) : []

        var expected = 1
        var previousHash = JournalCodec.genesis
        var completed = false
        let sequences: [Int?] = rawLines.map { line in
            if case .success(let decoded) = JournalCodec.decode(line) { return decoded.record.sequence }
            return nil
        }
        for (position, line) in rawLines.enumerated() {
            let number = position + 1
            func problem(_ kind: JournalProblem.Kind, _ message: String) {
                contents.problems.append(JournalProblem(kind: kind, record: number, message: message))
            }
            switch JournalCodec.decode(line) {
            case .failure(.edited):
                problem(.edited, "its content was changed after it was written (it no longer matches its hash)")
            case .failure(.malformed(let reason)):
                problem(.malformed, "it is not a readable record: \(reason); the journal was edited or damaged here")
            case .success(let decoded):
                let sequence = decoded.record.sequence
                if sequence != expected {
                    if sequence > expected, !sequences[(position + 1)...].contains(expected) {
                        let missing =
                            expected == sequence - 1
                            ? "record \(expected) was" : "records \(expected) to \(sequence - 1) were"
                        problem(.removed, "\(missing) removed: this line holds record \(sequence)")
                    } else {
                        problem(
                            .reordered,
                            "records are out of order: record \(sequence) stands where record \(expected) should")
                    }
                } else if decoded.previousHash != previousHash {
                    let target = number - 1
                    if let removed = contents.lines.popLast() {
                        contents.records.removeLast()
                        contents.intactLength -= removed.count + 1
                    }
                    contents.problems.append(
                        JournalProblem(
                            kind: .edited, record: target,
                            message: "it was changed after it was written: record \(number) no longer vouches for it"))
                } else if number == 1, decoded.record.event.typeName != "started" {
                    problem(.malformed, "a journal must begin with a 'started' record")
                } else if number > 1, decoded.record.event.typeName == "started" {
                    problem(.malformed, "a second 'started' record: two journals were joined")
                } else if completed, let reason = Self.notAllowedAfterCompletion(decoded.record.event) {
                    problem(.afterCompletion, reason)
                } else {
                    if decoded.record.event == .completed { completed = true }
                    contents.records.append(decoded.record)
                    contents.lines.append(Array(line))
                    contents.intactLength += line.count + 1
                    previousHash = decoded.record.hash
                    expected += 1
                    continue
                }
            }
            break
        }
        if contents.problems.isEmpty, !tail.isEmpty {
            contents.tornTail = tail
            contents.problems.append(
                JournalProblem(
                    kind: .incomplete, record: rawLines.count + 1,
                    message:
                        "it was cut off mid-write (a crash, a power cut or a truncation); it was never acknowledged, and resuming the session sets it aside"
                ))
        }
        if rawLines.isEmpty, tail.isEmpty {
            contents.problems.append(JournalProblem(kind: .malformed, record: 1, message: "the journal is empty"))
        }
        return contents
    }

    /// Why a record may not follow completion, or nil if it may: once completed,
    /// a session is changed only by amendments with their reasons and notes.
    static func notAllowedAfterCompletion(_ event: JournalEvent) -> String? {
        switch event {
        case .changed(_, _, let reason, _), .skipped(_, let reason):
            return reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
                ? "a change after the session was completed gives no reason: it was not made by Clinterview" : nil
        case .note, .alertShown, .alertAcknowledged, .paused, .resumed, .completed:
            return nil
        case .answered(let item, _, _):
            return
                "a new answer to \(item) after the session was completed: completed sessions are changed only by amendments with a reason"
        case .started:
            return "a second 'started' record: two journals were joined"
        }
    }
}
