import ClinterviewCore
import ClinterviewTestSupport
import Foundation
import Testing

@testable import ClinterviewReports

/// The outcome report written one client at a time, through a spool, is the
/// report: the same bytes in every format, however the spool cuts them.
@Suite struct OutcomeWriterTests {
    static let report: OutcomeReport = {
        var loader = AssessmentLoader(interviews: StudyTests.interviews)
        return OutcomeReport.build(loader.load([Repository.path("Tests/Fixtures/cohort")]))
    }()

    static func written(_ format: OutcomeWriter.Format, spool: some OutcomeSpool) -> [UInt8] {
        let writer = OutcomeWriter(format: format, spool: spool)
        for client in report.clients { writer.add(client) }
        for note in report.notes { writer.note(note) }
        var out: [UInt8] = []
        writer.finish { out += $0 }
        return out
    }

    @Test(arguments: [OutcomeWriter.Format.text, .json, .csv, .html])
    func aFileSpoolWritesWhatMemoryWrites(format: OutcomeWriter.Format) throws {
        let spool = try #require(FileSpool())
        #expect(Self.written(format, spool: spool) == Self.written(format, spool: MemorySpool()))
        #expect(!spool.failed)
    }

    @Test func theStreamedJSONIsTheReportsJSON() {
        #expect(Self.report.clients.count == 8)
        let streamed = String(decoding: Self.written(.json, spool: MemorySpool()), as: UTF8.self)
        #expect(streamed == Self.report.json.serialized(indent: "  ") + "\n")
    }

    /// The page is whole, fetches nothing, and its text is escaped.
    @Test func theHTMLPageStandsAlone() throws {
        var report = Self.report
        report.clients[0].client = "<b>c01</b>"
        let page = String(decoding: report.rendered(.html), as: UTF8.self)
        #expect(page.hasPrefix("<!DOCTYPE html>") && page.hasSuffix("</html>\n"))
        #expect(page.contains("&lt;b&gt;c01&lt;/b&gt;") && !page.contains("<b>c01"))
        for fetching in ["<script", "src=", "href=", "@import", "url("] { #expect(!page.contains(fetching)) }
        #expect(page.components(separatedBy: "<svg").count - 1 >= 4)
        #expect(page.components(separatedBy: "<tr class=\"client\">").count - 1 == 8)
    }

    @Test func anEmptyReportIsStillWhole() {
        let writer = OutcomeWriter(format: .json, spool: MemorySpool())
        var out: [UInt8] = []
        writer.finish { out += $0 }
        #expect(String(decoding: out, as: UTF8.self).contains("\"per_client\": []"))
    }

    /// Pieces end at a line's end: a piece cut inside "→" (three bytes) would
    /// print as replacement characters.
    @Test func aFileSpoolNeverCutsACharacter() throws {
        let spool = try #require(FileSpool())
        var all: [UInt8] = []
        for n in 0..<20_000 {
            let line = Array("  c\(n): PHQ-9 21→3\n".utf8)
            spool.append(line)
            all += line
        }
        var pieces: [[UInt8]] = []
        spool.replay { pieces.append($0) }
        #expect(pieces.count > 1)
        #expect(pieces.allSatisfy { $0.last == UInt8(ascii: "\n") })
        #expect(pieces.allSatisfy { String(validating: $0, as: UTF8.self) != nil })
        #expect(pieces.flatMap { $0 } == all)
    }
}
