import Testing
@testable import ClinterviewTerminal

@Suite struct PeekTests {
    @Test func peek() {
        let app = InterviewApp(driver: MemoryDriver(loadInterview("Interviews/sample.json")), now: fixedNow)
        app.handle(.enter)
        print(app.render(rows: 24, columns: 80).styledText)
        app.type("34\r")
        app.handle(.enter)
        app.type("Low mood since I lost my job in the spring")
        app.handle(.enter)
        print(app.screen(24, 120))
        app.type("3")
        print(app.screen(40, 120))
        #expect(Bool(true))
    }
}
