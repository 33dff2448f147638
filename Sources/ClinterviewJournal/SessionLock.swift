import Foundation

/// A note beside a journal naming the process that holds it open, so a second
/// process can say who has it. The lock itself is the `flock` on the journal,
/// which the system releases when the holder dies, so a note can never be stale
/// in effect: it is only read when the lock is actually held.
enum SessionLock {
    static func notePath(journalPath: String) -> String { journalPath + ".lock" }

    static func writeNote(journalPath: String, time: Date) {
        let host = ProcessInfo.processInfo.hostName
        let user = ProcessInfo.processInfo.environment["USER"] ?? "unknown"
        let text = "pid \(getpid()) on \(host) (user \(user)) since \(Timestamp.string(time))\n"
        _ = FileManager.default.createFile(atPath: notePath(journalPath: journalPath), contents: Data(text.utf8), attributes: [.posixPermissions: 0o600])
    }

    static func removeNote(journalPath: String) {
        try? FileManager.default.removeItem(atPath: notePath(journalPath: journalPath))
    }

    static func describeHolder(journalPath: String) -> String {
        guard let data = FileManager.default.contents(atPath: notePath(journalPath: journalPath)),
              let text = String(data: data.prefix(300), encoding: .utf8)?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty
        else { return "" }
        let safe = String(text.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F })
        return " (\(safe))"
    }
}
