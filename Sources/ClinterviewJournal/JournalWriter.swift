import ClinterviewCore
import Foundation

/// Appends records to a journal. A record is on disk (written and fsynced) when
/// `append` returns; if it throws, the file is cut back to its previous length
/// and nothing was recorded, so the caller can keep the answer and try elsewhere.
public final class JournalWriter {
    public private(set) var file: JournalFile
    public private(set) var nextSequence: Int
    public private(set) var lastHash: String
    /// Every line written or read, so the journal can be rewritten elsewhere.
    public private(set) var lines: [[UInt8]]

    init(file: JournalFile, nextSequence: Int, lastHash: String, lines: [[UInt8]]) {
        self.file = file
        self.nextSequence = nextSequence
        self.lastHash = lastHash
        self.lines = lines
    }

    public var path: String { file.path }

    /// The time of the first record, when the session began.
    public var startTime: Date? {
        guard let first = lines.first, case .success(let decoded) = JournalCodec.decode(first[...]) else { return nil }
        return decoded.record.time
    }

    @discardableResult
    public func append(_ event: JournalEvent, at time: Date) throws(JournalError) -> JournalRecord {
        try append([event], at: time)[0]
    }

    /// Writes several records with one write and one fsync: all of them, or none.
    @discardableResult
    public func append(_ events: [JournalEvent], at time: Date) throws(JournalError) -> [JournalRecord] {
        guard file.isStillInPlace() else {
            throw JournalError(.replaced, path: file.path, "the journal was removed, replaced or changed by another program since it was opened; nothing more was written to it: save the session to another directory")
        }
        var sequence = nextSequence
        var hash = lastHash
        var newLines: [[UInt8]] = []
        var records: [JournalRecord] = []
        for event in events {
            let encoded = JournalCodec.encode(sequence: sequence, previousHash: hash, time: time, event: event)
            newLines.append(encoded.line)
            records.append(JournalRecord(sequence: sequence, time: time, event: event, hash: encoded.hash))
            sequence += 1
            hash = encoded.hash
        }
        let before = file.size
        do {
            try file.append(newLines.flatMap { $0 + [0x0A] })
        } catch {
            try? file.truncate(to: before)
            throw error
        }
        lines += newLines
        nextSequence = sequence
        lastHash = hash
        return records
    }

    /// Writes every record so far into a new file (after the old one failed).
    public func relocate(to newFile: JournalFile) throws(JournalError) {
        var bytes: [UInt8] = []
        for line in lines { bytes += line + [0x0A] }
        try newFile.append(bytes)
        file.close()
        SessionLock.removeNote(journalPath: file.path)
        file = newFile
    }

    public func close() {
        file.close()
        SessionLock.removeNote(journalPath: file.path)
    }
}
