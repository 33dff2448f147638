import ClinterviewTestSupport
import Testing

@testable import ClinterviewCore

/// Durations compared with a literal in months or years mean every length the
/// calendar gives that literal (docs/expressions.md, "Durations").
@Suite struct CalendarDurationTests {
    static let durationItem = #"{ "id": "D", "kind": "duration", "prompt": "How long?" }"#

    func status(_ rule: String, _ amount: Double, _ unit: DurationUnit) throws -> Status {
        try evaluateCriterion(rule, answers: ["D": .duration(amount, unit)], extraItems: Self.durationItem).0
    }

    /// The edges a clinician writes meet the threshold; one step short does not.
    @Test(arguments: [
        ("D >= 6 months", 26.0, DurationUnit.weeks, Status.met),
        ("D >= 6 months", 25, .weeks, .notMet),
        ("D >= 6 months", 182, .days, .met),
        ("D >= 6 months", 181, .days, .met),
        ("D >= 6 months", 180, .days, .notMet),
        ("D >= 6 months", 6, .months, .met),
        ("D >= 1 month", 4, .weeks, .met),
        ("D >= 1 month", 27, .days, .notMet),
        ("D >= 2 years", 104, .weeks, .met),
        ("D >= 2 years", 103, .weeks, .notMet),
        ("D >= 2 years", 730, .days, .met),
        ("D >= 2 years", 24, .months, .met),
        ("D >= 1 year", 52, .weeks, .met),
        ("D >= 1 year", 12, .months, .met),
        ("D >= 12 months", 52, .weeks, .met),
        ("D >= 3 months", 90, .days, .met),
        ("D >= 2 weeks", 14, .days, .met),
        ("D >= 2 weeks", 13, .days, .notMet),
        ("D > 1 month", 5, .weeks, .met),
        ("D > 1 month", 4, .weeks, .notMet),
        ("D > 1 month", 1, .months, .notMet),
        ("D > 1 month", 31, .days, .notMet),
        ("D > 1 month", 32, .days, .met),
        ("D > 6 months", 6, .months, .notMet),
        ("D < 6 months", 26, .weeks, .notMet),
        ("D < 6 months", 25, .weeks, .met),
        ("D <= 1 month", 31, .days, .met),
        ("D <= 1 month", 32, .days, .notMet),
        ("D == 1 month", 4, .weeks, .met),
        ("D == 1 month", 30, .days, .met),
        ("D == 1 month", 33, .days, .notMet),
        ("D != 1 month", 33, .days, .met),
        ("6 months <= D", 26, .weeks, .met),
        ("1 month < D", 4, .weeks, .notMet),
    ])
    func calendarEdges(_ rule: String, _ amount: Double, _ unit: DurationUnit, _ expected: Status) throws {
        #expect(try status(rule, amount, unit) == expected, "\(rule) with \(formatNumber(amount)) \(unit.rawValue)")
    }

    /// Each operator stays the negation of its opposite for every answer.
    @Test func operatorsStayNegationsOfEachOther() throws {
        for literal in ["1 month", "6 months", "2 years", "18 months", "1.5 months"] {
            for days in stride(from: 20.0, through: 800.0, by: 1) {
                let atLeast = try status("D >= \(literal)", days, .days),
                    below = try status("D < \(literal)", days, .days)
                let over = try status("D > \(literal)", days, .days),
                    atMost = try status("D <= \(literal)", days, .days)
                #expect(atLeast != below, "\(days) days against \(literal)")
                #expect(over != atMost, "\(days) days against \(literal)")
            }
        }
    }

    @Test func calendarLengths() {
        #expect(DurationUnit.months.calendarDays(1) == (28, 31))
        #expect(DurationUnit.months.calendarDays(6) == (181, 184))
        #expect(DurationUnit.months.calendarDays(12) == (364, 366))
        #expect(DurationUnit.months.calendarDays(18) == (545, 550))
        #expect(DurationUnit.years.calendarDays(2) == (728, 732))
        #expect(DurationUnit.weeks.calendarDays(26) == (182, 182))
        #expect(DurationUnit.days.calendarDays(5) == (5, 5))
    }
}
