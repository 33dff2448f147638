/// Anything the terminal loop can run: keys in, frames out.
public protocol TerminalApp: AnyObject {
    func render(rows: Int, columns: Int) -> CellGrid
    func handle(_ key: Key)
    var wantsQuit: Bool { get }
    /// Ends the app at once (q, Ctrl-C, a signal), saving what must be saved.
    func quit()
}

extension InterviewApp: TerminalApp {}
