import Foundation
import Testing

@testable import ClinterviewJournal

/// Journal timestamps are written digit by digit; Foundation's Gregorian
/// calendar in UTC is the oracle.
@Suite struct TimestampTests {
    static func expected(_ date: Date) -> String {
        let total = Int((date.timeIntervalSince1970 * 1000).rounded())
        let seconds = total >= 0 ? total / 1000 : (total - 999) / 1000
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents(
            [.year, .month, .day, .hour, .minute, .second], from: Date(timeIntervalSince1970: Double(seconds)))
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", parts.year!, parts.month!, parts.day!,
            parts.hour!, parts.minute!, parts.second!, total - seconds * 1000)
    }

    @Test func knownMoments() {
        #expect(Timestamp.string(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000Z")
        #expect(Timestamp.string(Date(timeIntervalSince1970: -0.001)) == "1969-12-31T23:59:59.999Z")
        #expect(Timestamp.string(Date(timeIntervalSince1970: 1_709_210_096.789)) == "2024-02-29T12:34:56.789Z")
        #expect(Timestamp.string(Date(timeIntervalSince1970: 86_399.9996)) == "1970-01-02T00:00:00.000Z")
    }

    /// Moments from 1601 to 9999, a prime number of milliseconds apart.
    @Test func momentsAcrossTheCenturiesMatchTheCalendar() {
        var milliseconds = -11_644_473_600_000
        while milliseconds < 253_402_300_799_999 {
            let date = Date(timeIntervalSince1970: Double(milliseconds) / 1000)
            let text = Timestamp.string(date)
            #expect(text == Self.expected(date))
            #expect(Timestamp.date(text).map(Timestamp.string) == text, "\(text) reads back")
            milliseconds += 86_399_999_983 + milliseconds % 7
        }
    }
}
