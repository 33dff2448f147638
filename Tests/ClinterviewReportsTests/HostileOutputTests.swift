import Testing

@testable import ClinterviewReports

@Suite struct HostileOutputTests {
    /// Spreadsheets run a cell that starts with = + - @ as a formula, and some
    /// skip a leading tab or carriage return before looking.
    @Test func csvCellsThatCouldBeFormulasAreNeutralised() {
        for cell in ["=1+1", "+A1", "-x", "@SUM(A1)", "\t=1+1", "\r=1+1"] {
            #expect(
                AnswerTable.quote(cell).hasPrefix("'") || AnswerTable.quote(cell).hasPrefix("\"'"),
                "\(cell.debugDescription)")
        }
        #expect(AnswerTable.quote("-3") == "-3")
    }
}
