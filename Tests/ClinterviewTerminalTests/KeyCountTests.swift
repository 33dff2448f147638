import ClinterviewCore
import ClinterviewTestSupport
import Foundation
import Testing

@testable import ClinterviewTerminal

/// What a whole core interview costs in keys for a client who screens
/// negative everywhere: the figure docs/interviews.md gives.
@Suite struct KeyCountTests {
    @Test func aClientNegativeEverywhereNeedsTheKeysTheDocsSay() throws {
        let driver = MemoryDriver(loadInterview("Interviews/core.json"))
        let app = InterviewApp(driver: driver, now: fixedNow)
        var keys = 1
        var freeText = 0
        app.handle(.enter)
        while let item = driver.session.currentItem {
            let answer: String
            switch item.kind {
            case .text:
                answer = "x\r"
                freeText += 1
                keys += 1
            case .display: answer = "\r"
            case .yesNo: answer = "n"
            case .rating: answer = "1"
            case .choice: answer = "0"
            default:
                Issue.record("\(item.id): a \(item.kind.name) item on the negative route")
                return
            }
            if answer.count == 1 { keys += 1 }
            let before = driver.session.currentItem?.id
            app.type(answer)
            try #require(driver.session.currentItem?.id != before, "\(item.id) did not take \(answer.debugDescription)")
        }
        app.type("C")
        keys += 1
        #expect(app.completed)
        let asked = driver.session.interview.items.filter { driver.session.response(to: $0.id) != nil }.count
        let docs = try String(contentsOfFile: Repository.path("docs/interviews.md"), encoding: .utf8)
            .split(whereSeparator: \.isWhitespace).joined(separator: " ")
        let sentence =
            "is asked \(asked) questions, \(freeText) of them free text, and needs \(keys) keys besides the text typed"
        #expect(docs.contains(sentence), "docs/interviews.md should say: \(sentence)")
    }
}
