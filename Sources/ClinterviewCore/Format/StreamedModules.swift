import Foundation

/// Reads a large definition's modules on another core while the main thread
/// is still parsing the rest of the file: the parser hands each module over
/// as soon as it is parsed (`JSONParser.parse(_:streaming:start:element:)`).
///
/// The modules are read by a `LoaderRun` of their own, which the loading
/// thread takes over whole once the parse is done (`finish()`). Reading a
/// module needs only the definition's languages and scales, so this is
/// exact when those stand before "modules" in the file, or nowhere; the
/// loader checks that and otherwise reads the modules itself. The reading
/// gives up at the first problem it finds: a definition with problems is
/// read again the usual way (a guess at the context gone wrong, such as
/// scales that come after the modules, could otherwise find one problem in
/// every item).
final class StreamedModules: @unchecked Sendable {
    private let condition = NSCondition()
    private var queue: [JSONNode] = []
    private var spare: [JSONNode] = []
    private var ended = false
    private var consumerWaits = false
    private var run: LoaderRun?
    private let done = DispatchGroup()

    /// Starts reading on another core; `before` are the root's members that
    /// precede "modules".
    init(source: SourceFile, before members: [JSONMember]) {
        done.enter()
        DispatchQueue.global().async { [self] in
            var run = LoaderRun(source: source)
            run.readContextOfModules(JSONObject(members: members))
            // The tables are sized once a thirty-second of the file is read,
            // in proportion: grown by doubling, they raised the peak memory.
            var first: Int?
            var sized = false
            reading: while run.sink.diagnostics.isEmpty, let batch = nextBatch() {
                for node in batch {
                    if let first, !sized, node.offset - first >= source.bytes.count / 32 {
                        run.reserveCapacity(growingBy: Double(source.bytes.count - first) / Double(node.offset - first))
                        sized = true
                    }
                    first = first ?? node.offset
                    run.readModule(node)
                    if !run.sink.diagnostics.isEmpty { break reading }
                }
            }
            if run.sink.diagnostics.isEmpty { self.run = run }
            done.leave()
        }
    }

    /// One module, parsed.
    func send(_ node: JSONNode) {
        condition.lock()
        queue.append(node)
        if consumerWaits { condition.signal() }
        condition.unlock()
    }

    /// The run that read every module sent, once it has; nil when it gave up.
    func finish() -> LoaderRun? {
        condition.lock()
        ended = true
        condition.signal()
        condition.unlock()
        done.wait()
        return run
    }

    /// Every module sent since the last batch; nil once all are read.
    private func nextBatch() -> [JSONNode]? {
        condition.lock()
        defer { condition.unlock() }
        while queue.isEmpty && !ended {
            consumerWaits = true
            condition.wait()
            consumerWaits = false
        }
        if queue.isEmpty { return nil }
        spare.removeAll(keepingCapacity: true)
        swap(&queue, &spare)
        return spare
    }
}
