import ClinterviewCore
import ClinterviewTestSupport
import Foundation
import Testing

@testable import ClinterviewJournal

/// A clinician resumes by a unique start of the id or by the client's one open session.
@Suite struct SessionLocationTests {
    @Test func aPrefixOrAClientWithOneOpenSessionFindsTheJournal() throws {
        let directory = TemporaryDirectory()
        let first = try Fixture.start(in: directory, client: "C-1042")
        let second = try Fixture.start(in: directory, client: "C-2001")
        let (firstID, secondID) = (first.header.sessionID, second.header.sessionID)
        first.close()
        second.close()
        let store = SessionStore(directory: directory.path)
        #expect(try store.locate("C-2001") == second.path)
        #expect(try store.locate(String(firstID.prefix(firstID.count - 2))) == first.path)
        // Both ids start with the date: ambiguous, and the error lists both.
        do {
            _ = try store.locate(String(firstID.prefix(4)))
            Issue.record("an ambiguous prefix was accepted")
        } catch {
            #expect(error.message.contains(firstID) && error.message.contains(secondID))
        }
        #expect(throws: JournalError.self) { _ = try store.locate("nobody") }
        let (resumed, _) = try store.resume("C-1042", interview: Fixture.interview, definition: Fixture.definition)
        #expect(resumed.header.sessionID == firstID)
        resumed.close()
    }
}
