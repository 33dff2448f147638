import ClinterviewCore
import Foundation

/// Appends records to a journal. A record is written when `append` returns, and
/// on disk (fsynced) too unless the flush was left to run in the background; if
/// `append` throws, the file is cut back to its previous length and nothing was
/// recorded, so the caller can keep the answer and try elsewhere.
///
/// At most one flush is under way: every append, move and close first waits for
/// it, and a failed background flush is reported by the next `waitUntilDurable`
/// or `append`.
public final class JournalWriter {
    public enum Durability: Sendable {
        /// fsynced before `append` returns.
        case beforeReturning
        /// Written before `append` returns; fsynced on another thread
        /// (`waitUntilDurable` says when, or why not).
        case inBackground
    }

    public private(set) var file: JournalFile
    public private(set) var nextSequence: Int
    public private(set) var lastHash: String
    /// Every line written or read, so the journal can be rewritten elsewhere.
    public private(set) var lines: [[UInt8]]
    private var pendingFlush: FlushTicket?

    init(file: JournalFile, nextSequence: Int, lastHash: String, lines: [[UInt8]]) {
        self.file = file
        self.nextSequence = nextSequence
        self.lastHash = lastHash
        self.lines = lines
    }

    public var path: String { file.path }

    /// The time of the first record, when the session began (read once: the
    /// terminal shows the time since then on every frame).
    public private(set) lazy var startTime: Date? = {
        guard let first = lines.first, case .success(let decoded) = JournalCodec.decode(first[...]) else { return nil }
        return decoded.record.time
    }()

    @discardableResult
    public func append(
        _ event: JournalEvent, at time: Date, durability: Durability = .beforeReturning
    ) throws(JournalError) -> JournalRecord {
        try append([event], at: time, durability: durability)[0]
    }

    /// Whether every record written is known to be on disk (no flush under way).
    public var isDurable: Bool { pendingFlush?.isFinished ?? true }

    /// Waits for the background flush, if one is under way, giving up after
    /// `seconds` (nil: as long as it takes); returns whether every record is on
    /// disk. Throws if the flush failed (the records stay written, and are kept
    /// in `lines`: move the journal).
    @discardableResult
    public func waitUntilDurable(within seconds: Double? = nil) throws(JournalError) -> Bool {
        guard let ticket = pendingFlush else { return true }
        let deadline = seconds.map { DispatchTime.now() + $0 } ?? .distantFuture
        guard let outcome = ticket.wait(until: deadline) else { return false }
        pendingFlush = nil
        if let failure = outcome { throw failure }
        return true
    }

    /// Writes several records with one write and one fsync: all of them, or none.
    @discardableResult
    public func append(
        _ events: [JournalEvent], at time: Date, durability: Durability = .beforeReturning
    ) throws(JournalError) -> [JournalRecord] {
        try waitUntilDurable()
        guard file.isStillInPlace() else {
            throw JournalError(
                .replaced, path: file.path,
                "the journal was removed, replaced or changed by another program since it was opened; nothing more was written to it: save the session to another directory"
            )
        }
        var sequence = nextSequence
        var hash = lastHash
        var newLines: [[UInt8]] = []
        var records: [JournalRecord] = []
        for event in events {
            let encoded = JournalCodec.encode(sequence: sequence, previousHash: hash, time: time, event: event)
            // The reader refuses longer lines: write none that it would refuse.
            guard encoded.line.count <= JournalCodec.maximumLineLength else {
                throw JournalError(
                    .tooLarge, path: file.path,
                    "a record of \(encoded.line.count / 1024) KB is larger than a journal line may be (1 MiB); nothing was written: shorten the text"
                )
            }
            newLines.append(encoded.line)
            records.append(JournalRecord(sequence: sequence, time: time, event: event, hash: encoded.hash))
            sequence += 1
            hash = encoded.hash
        }
        let before = file.size
        do {
            try file.write(newLines.flatMap { $0 + [0x0A] })
            if durability == .beforeReturning { try file.flush() }
        } catch {
            try? file.truncate(to: before)
            throw error
        }
        if durability == .inBackground { pendingFlush = file.flushInBackground() }
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
        // The old file's flush no longer matters, but its descriptor must outlive it.
        _ = pendingFlush?.wait()
        pendingFlush = nil
        file.close()
        SessionLock.removeNote(journalPath: file.path)
        file = newFile
    }

    public func close() {
        _ = pendingFlush?.wait()
        pendingFlush = nil
        file.close()
        SessionLock.removeNote(journalPath: file.path)
    }
}
