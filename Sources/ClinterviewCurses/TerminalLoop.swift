import ClinterviewTerminal
import Glibc

/// Runs an app on the terminal until it wants to stop or a signal ends it.
public enum TerminalLoop {
    public enum Ending: Equatable {
        case quit
        case signal(Int32)
    }

    /// At most this many waiting characters are taken before a frame is drawn.
    static let typedAheadPerFrame = 65_536

    public static func run(
        _ app: TerminalApp, on terminal: CursesTerminal, until finished: () -> Bool = { false }
    ) -> Ending {
        var waiting: Key?
        while !finished() {
            let size = terminal.size
            terminal.present(app.render(rows: size.rows, columns: size.columns))
            if app.settle() { continue }
            let key = waiting ?? terminal.readKey(timeout: 1000)
            waiting = nil
            let signal = CursesTerminal.takeSignal()
            if signal != 0 {
                app.quit()
                return .signal(signal)
            }
            if key == .hangup {
                app.quit()
                return .signal(SIGHUP)
            }
            if key == .resize { terminal.invalidate() }
            app.handle(key)
            if app.wantsQuit { return .quit }
            // A paste arrives as many characters at once: while the app takes
            // text they go in before the next frame, so a paste costs one
            // frame, not one per character. Any other key waits for the frame.
            var taken = 0
            while app.isTakingText, taken < typedAheadPerFrame {
                let next = terminal.readKey(timeout: 0)
                guard case .character = next else {
                    if next != .tick { waiting = next }
                    break
                }
                app.handle(next)
                taken += 1
            }
        }
        return .quit
    }
}
