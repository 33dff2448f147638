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
    /// Whether typed characters are text for the app now (an answer, a reason,
    /// a note, a path), never answers or commands: then characters already
    /// waiting, as a paste delivers them, may be taken before the next frame.
    var isTakingText: Bool { get }
}

extension TerminalApp {
    public func settle() -> Bool { false }
    public var isTakingText: Bool { false }
}

extension InterviewApp: TerminalApp {}
