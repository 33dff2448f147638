/// Anything the terminal loop can run: keys in, frames out.
public protocol TerminalApp: AnyObject {
    func render(rows: Int, columns: Int) -> CellGrid
    func handle(_ key: Key)
    var wantsQuit: Bool { get }
    /// Ends the app at once (q, Ctrl-C, a signal), saving what must be saved.
    func quit()
    /// Called once a frame is on screen, before the next key is read: finishes
    /// work left to run while the frame was drawn. Returns whether the app
    /// changed and must be drawn again.
    func settle() -> Bool
}

extension TerminalApp {
    public func settle() -> Bool { false }
}

extension InterviewApp: TerminalApp {}
