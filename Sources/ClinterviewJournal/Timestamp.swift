import ClinterviewCore
import Foundation

/// ISO 8601 UTC timestamps with milliseconds, e.g. `2026-11-27T05:12:42.123Z`,
/// written and read without Foundation's formatters (fixed width, no locale).
public enum Timestamp {
    /// To the nearest millisecond: cutting the rest off turned 59.279 s, read
    /// back from a journal as a binary fraction just under it, into 59.278.
    public static func string(_ date: Date) -> String {
        let totalMilliseconds = Int((date.timeIntervalSince1970 * 1000).rounded())
        var days = totalMilliseconds / 86_400_000
        var remainder = totalMilliseconds % 86_400_000
        if remainder < 0 {
            days -= 1
            remainder += 86_400_000
        }
        let pad = CalendarDate.zeroPadded
        let time =
            "T\(pad(remainder / 3_600_000, 2)):\(pad(remainder / 60_000 % 60, 2)):\(pad(remainder / 1000 % 60, 2)).\(pad(remainder % 1000, 3))Z"
        return CalendarDate.isoString(days: days) + time
    }

    public static func date(_ text: String) -> Date? {
        let parts = text.split(separator: "T")
        guard parts.count == 2, let days = CalendarDate.daysSinceEpoch(iso: String(parts[0])), parts[1].hasSuffix("Z")
        else { return nil }
        let clock = parts[1].dropLast().split(separator: ":")
        guard clock.count == 3, let hours = Int(clock[0]), let minutes = Int(clock[1]), let seconds = Double(clock[2]),
            (0..<24).contains(hours), (0..<60).contains(minutes), seconds >= 0, seconds < 61
        else { return nil }
        return Date(timeIntervalSince1970: Double(days) * 86_400 + Double(hours * 3600 + minutes * 60) + seconds)
    }

    /// A compact form for file names: `20261127-051242`.
    public static func compact(_ date: Date) -> String {
        let full = string(date)
        let digits = full.prefix(19).filter { $0.isNumber }
        return String(digits.prefix(8)) + "-" + String(digits.dropFirst(8).prefix(6))
    }
}
