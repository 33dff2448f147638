import Foundation

/// A note beside a journal naming the process that holds it open, so a second
/// process can say who has it. The lock itself is the `flock` on the journal,
/// which the system releases when the holder dies, so a note can never be stale
/// in effect: it is only read when the lock is actually held.
enum SessionLock {
    static func notePath(journalPath: String) -> String { journalPath + ".lock" }

    /// Written plainly, without an fsync: the note only describes the lock, which
    /// is what protects the journal. It is opened without following a link and
    /// without truncating, and emptied only when it is a plain file of its own
    /// (one link): a link planted at its name can never have its target cut.
    static func writeNote(journalPath: String, time: Date) {
        var name = [UInt8](repeating: 0, count: 256)
        let found = name.withUnsafeMutableBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { gethostname($0.baseAddress!, 255) == 0 }
        }
        let host = found ? String(decoding: name.prefix { $0 != 0 }, as: UTF8.self) : "unknown host"
        let user = ProcessInfo.processInfo.environment["USER"] ?? "unknown"
        let text = "pid \(getpid()) on \(host) (user \(user)) since \(Timestamp.string(time))\n"
        let descriptor = open(notePath(journalPath: journalPath), O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_nlink == 1,
            ftruncate(descriptor, 0) == 0
        else { return }
        _ = Array(text.utf8).withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
    }

    static func removeNote(journalPath: String) {
        try? FileManager.default.removeItem(atPath: notePath(journalPath: journalPath))
    }

    static func describeHolder(journalPath: String) -> String {
        guard let data = FileManager.default.contents(atPath: notePath(journalPath: journalPath)),
            let text = String(data: data.prefix(300), encoding: .utf8)?.trimmingCharacters(in: .whitespacesAndNewlines),
            !text.isEmpty
        else { return "" }
        let safe = String(text.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F })
        return " (\(safe))"
    }
}
