/// The longest text a session records in one field. A journal line holds at
/// most 1 MiB (the reader refuses longer lines), so every text the engine
/// accepts must fit several times over: an answer, a reason or a note is
/// refused here, before anything is acknowledged, rather than written and
/// found unreadable later.
public enum TextLimit {
    /// Free text, notes and reasons: 64 KiB of UTF-8.
    public static let bytes = 64 * 1024
    /// Client, rater and role: 1 KiB.
    public static let nameBytes = 1024

    /// Why `text` cannot be recorded as `what`, or nil if it can.
    public static func problem(_ text: String, _ what: String, limit: Int = bytes) -> String? {
        let size = text.utf8.count
        guard size > limit else { return nil }
        let unit = limit >= 1024 ? "\(limit / 1024) KB" : "\(limit) bytes"
        return
            "\(what) is \(size >= 1024 ? "\(size / 1024) KB" : "\(size) bytes"): at most \(unit) can be recorded; shorten it"
    }
}
