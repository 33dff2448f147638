import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where a journal's bytes go. The real one is a POSIX file; tests substitute
/// one that fails the way disks fail.
public protocol JournalFile: AnyObject {
    var path: String { get }
    /// Bytes written so far.
    var size: Int { get }
    /// Writes every byte (into the operating system's cache: it survives the
    /// program being killed, not yet a power cut).
    func write(_ bytes: [UInt8]) throws(JournalError)
    /// Makes everything written so far durable (fsync).
    func flush() throws(JournalError)
    /// Starts `flush` on another thread; the ticket tells when it is done.
    func flushInBackground() -> FlushTicket
    /// Cuts the file back to `size` bytes (after a failed append).
    func truncate(to size: Int) throws(JournalError)
    /// Whether the path still names this same file, unchanged by anyone else.
    func isStillInPlace() -> Bool
    /// Gives the file its final name, which must not exist yet.
    func publish(as path: String) throws(JournalError)
    func close()
}

extension JournalFile {
    /// Writes every byte and makes it durable before returning.
    public func append(_ bytes: [UInt8]) throws(JournalError) {
        try write(bytes)
        try flush()
    }

    public func flushInBackground() -> FlushTicket {
        let ticket = FlushTicket()
        var failure: JournalError?
        do { try flush() } catch { failure = error }
        ticket.finish(failure)
        return ticket
    }
}

/// A flush under way on another thread.
public final class FlushTicket: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var finished = false
    private var failure: JournalError?

    init() {}

    func finish(_ error: JournalError?) {
        lock.lock()
        defer { lock.unlock() }
        guard !finished else { return }
        finished = true
        failure = error
        done.signal()
    }

    public var isFinished: Bool {
        lock.lock()
        defer { lock.unlock() }
        return finished
    }

    /// Blocks until the flush is done; returns its error, if it failed.
    public func wait() -> JournalError? {
        wait(until: .distantFuture) ?? nil
    }

    /// Blocks until the flush is done or the deadline passes (then nil).
    public func wait(until deadline: DispatchTime) -> JournalError?? {
        guard done.wait(timeout: deadline) == .success else { return nil }
        done.signal()
        lock.lock()
        defer { lock.unlock() }
        return .some(failure)
    }
}

func describe(errno code: Int32) -> String {
    String(cString: strerror(code))
}

/// A journal file opened for appending, held under an exclusive lock for as long
/// as it is open. Every append is written in full and fsynced.
public final class POSIXJournalFile: JournalFile {
    public private(set) var path: String
    public private(set) var size: Int
    private var descriptor: Int32
    private let device: UInt64
    private let inode: UInt64

    /// Creates a new file (mode 0600); fails if it exists. The directory is fsynced
    /// so that the new name survives a power cut.
    public static func create(path: String) throws(JournalError) -> POSIXJournalFile {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw error(errno, path: path, doing: "create") }
        let file = try POSIXJournalFile(descriptor: fd, path: path)
        try syncDirectory(of: path)
        return file
    }

    /// Opens an existing file for appending.
    public static func openExisting(path: String) throws(JournalError) -> POSIXJournalFile {
        let fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC)
        guard fd >= 0 else { throw error(errno, path: path, doing: "open") }
        return try POSIXJournalFile(descriptor: fd, path: path)
    }

    private init(descriptor fd: Int32, path: String) throws(JournalError) {
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let code = errno
            Glibc.close(fd)
            throw Self.error(code, path: path, doing: "inspect")
        }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let code = errno
            Glibc.close(fd)
            if code == EWOULDBLOCK {
                throw JournalError(
                    .locked, path: path,
                    "the session is open in another process\(SessionLock.describeHolder(journalPath: path)): close it there first"
                )
            }
            throw Self.error(code, path: path, doing: "lock")
        }
        self.descriptor = fd
        self.path = path
        self.size = Int(info.st_size)
        self.device = UInt64(info.st_dev)
        self.inode = UInt64(info.st_ino)
    }

    deinit { close() }

    public func write(_ bytes: [UInt8]) throws(JournalError) {
        guard descriptor >= 0 else { throw JournalError(.io, path: path, "the journal is closed") }
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeBytes { buffer in
                Glibc.write(descriptor, buffer.baseAddress! + written, buffer.count - written)
            }
            if result < 0 {
                if errno == EINTR { continue }
                throw Self.error(errno, path: path, doing: "write")
            }
            written += result
        }
        size += bytes.count
    }

    public func flush() throws(JournalError) {
        if let failure = Self.sync(descriptor, path: path) { throw failure }
    }

    /// The descriptor stays open until the flush is done: the writer waits for
    /// its ticket before it writes again, closes or moves the journal.
    public func flushInBackground() -> FlushTicket {
        let ticket = FlushTicket()
        let (descriptor, path) = (self.descriptor, self.path)
        BackgroundFlusher.shared.submit {
            ticket.finish(Self.sync(descriptor, path: path))
        }
        return ticket
    }

    private static func sync(_ descriptor: Int32, path: String) -> JournalError? {
        guard descriptor >= 0 else { return JournalError(.io, path: path, "the journal is closed") }
        while fsync(descriptor) != 0 {
            if errno != EINTR { return error(errno, path: path, doing: "flush to disk") }
        }
        return nil
    }

    public func truncate(to newSize: Int) throws(JournalError) {
        guard ftruncate(descriptor, off_t(newSize)) == 0, fsync(descriptor) == 0 else {
            throw Self.error(errno, path: path, doing: "repair")
        }
        size = newSize
    }

    public func isStillInPlace() -> Bool {
        var onDisk = stat()
        var open = stat()
        guard stat(path, &onDisk) == 0, fstat(descriptor, &open) == 0 else { return false }
        return UInt64(onDisk.st_dev) == device && UInt64(onDisk.st_ino) == inode && Int(open.st_size) == size
    }

    /// A hard link then an unlink, so an existing file is never replaced, then an
    /// fsync of the directory so that the name survives a power cut.
    public func publish(as newPath: String) throws(JournalError) {
        guard link(path, newPath) == 0 else { throw Self.error(errno, path: newPath, doing: "name") }
        unlink(path)
        path = newPath
        try Self.syncDirectory(of: newPath)
    }

    public func close() {
        if descriptor >= 0 {
            Glibc.close(descriptor)
            descriptor = -1
        }
    }

    static func syncDirectory(of path: String) throws(JournalError) {
        let directory = (path as NSString).deletingLastPathComponent
        let fd = open(directory.isEmpty ? "." : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw error(errno, path: directory, doing: "open the directory of") }
        defer { Glibc.close(fd) }
        guard fsync(fd) == 0 else { throw error(errno, path: directory, doing: "flush the directory of") }
    }

    static func error(_ code: Int32, path: String, doing action: String) -> JournalError {
        switch code {
        case ENOSPC, EDQUOT:
            return JournalError(
                .noSpace, path: path,
                "cannot \(action) the journal: the disk is full (\(describe(errno: code))); free some space or save the session to another directory"
            )
        case EACCES, EPERM, EROFS:
            return JournalError(
                .permission, path: path,
                "cannot \(action) the journal: \(describe(errno: code)); check the directory's permissions or choose another with --sessions"
            )
        case ENOENT:
            return JournalError(.notFound, path: path, "cannot \(action) the journal: no such file or directory")
        case EEXIST:
            return JournalError(.io, path: path, "cannot \(action) the journal: a file of that name already exists")
        default:
            return JournalError(.io, path: path, "cannot \(action) the journal: \(describe(errno: code))")
        }
    }
}
