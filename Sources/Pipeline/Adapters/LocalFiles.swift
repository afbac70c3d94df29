import PercentEncoding

#if canImport(Glibc)
    import Glibc
#endif

/// File operations on POSIX calls, for the local adapters: atomic writes (a temporary name, `fsync`, then
/// `rename`), whole-file reads, recursive listings.
enum LocalFiles {
    /// A failed file operation, with the path and the system's reason.
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// The prefix of temporary files and of other names the adapters keep to themselves.
    static let reservedPrefix = ".bt-"

    static func failure(_ what: String, _ path: String) -> Failure {
        Failure(description: "\(what) \(path): \(String(cString: strerror(errno)))")
    }

    /// Makes a folder and its parents.
    static func makeDirectories(_ path: String) throws {
        var current = ""
        for component in path.split(separator: "/", omittingEmptySubsequences: true) {
            current += "/" + component
            if mkdir(current, 0o755) != 0 && errno != EEXIST {
                throw failure("cannot make the folder", current)
            }
        }
    }

    /// Which file a path names, and its state: a file replaced by another has another inode.
    struct Identity: Codable, Equatable {
        var inode: UInt64
        var size: Int
        var modified: Int
    }

    static func identity(_ info: stat) -> Identity {
        Identity(
            inode: UInt64(info.st_ino), size: Int(info.st_size),
            modified: Int(info.st_mtim.tv_sec) * 1_000_000_000 + Int(info.st_mtim.tv_nsec))
    }

    /// Writes a file so that readers see the old bytes or the new, never a part: the bytes go to a temporary
    /// file in the same folder, reach the disk, and then replace the file in one `rename`.
    /// - Returns: The identity of the file written (a rename keeps it).
    @discardableResult
    static func writeAtomically(_ path: String, _ bytes: [UInt8]) throws -> Identity {
        let folder = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)])
        try makeDirectories(folder)
        var random = SystemRandomNumberGenerator()
        let temporary = "\(folder)/\(reservedPrefix)tmp-\(UInt64.random(in: 0...UInt64.max, using: &random))"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw failure("cannot create", temporary) }
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress! + written, $0.count - written) }
            if count < 0 {
                if errno == EINTR { continue }
                let error = failure("cannot write", temporary)
                close(descriptor)
                unlink(temporary)
                throw error
            }
            written += count
        }
        var info = stat()
        guard fsync(descriptor) == 0, fstat(descriptor, &info) == 0 else {
            let error = failure("cannot flush", temporary)
            close(descriptor)
            unlink(temporary)
            throw error
        }
        close(descriptor)
        guard rename(temporary, path) == 0 else {
            let error = failure("cannot move into place", path)
            unlink(temporary)
            throw error
        }
        return identity(info)
    }

    /// A whole file, or `nil` when there is none.
    static func read(_ path: String) throws -> [UInt8]? {
        guard let file = try ReadableFile(path) else { return nil }
        var result: [UInt8] = []
        try file.forEachPiece(size: 1 << 16) { result += $0 }
        return result
    }

    /// A file open for reading in pieces.
    final class ReadableFile {
        private let descriptor: Int32
        private let path: String
        /// Which file it is (as opened).
        let identity: Identity

        /// Opens a regular file, or gives `nil` when there is none.
        init?(_ path: String) throws {
            let descriptor = open(path, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else {
                if errno == ENOENT || errno == ENOTDIR || errno == EISDIR { return nil }
                throw failure("cannot open", path)
            }
            var info = stat()
            guard fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
                close(descriptor)
                return nil
            }
            self.descriptor = descriptor
            self.path = path
            self.identity = LocalFiles.identity(info)
        }

        deinit { close(descriptor) }

        /// Moves to a byte offset (reads past the end give nothing).
        func seek(to offset: Int) throws {
            guard lseek(descriptor, off_t(offset), SEEK_SET) >= 0 else { throw failure("cannot seek in", path) }
        }

        /// Hands over the rest of the file, `size` bytes at a time.
        func forEachPiece(size: Int, _ body: ([UInt8]) throws -> Void) throws {
            while true {
                let piece = try read(upTo: size)
                if piece.isEmpty { return }
                try body(piece)
            }
        }

        /// Up to `count` bytes more; none at the end.
        func read(upTo count: Int) throws -> [UInt8] {
            var result = [UInt8](repeating: 0, count: count)
            var filled = 0
            while filled < count {
                let got = result.withUnsafeMutableBytes {
                    Glibc.read(descriptor, $0.baseAddress! + filled, count - filled)
                }
                if got < 0 {
                    if errno == EINTR { continue }
                    throw failure("cannot read", path)
                }
                if got == 0 { break }
                filled += got
            }
            result.removeLast(count - filled)
            return result
        }
    }

    /// The identity of a regular file, or `nil`.
    static func status(_ path: String) -> Identity? {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        return identity(info)
    }

    /// Removes a file; no error when there is none.
    static func remove(_ path: String) throws {
        if unlink(path) != 0 && errno != ENOENT { throw failure("cannot remove", path) }
    }

    /// Up to `limit` files below `root` whose paths start with `prefix` and sort after `after`, in key order
    /// (UTF-8 bytes, a folder's files where its name and a `/` sort), the store's own files left out. Only the
    /// folders that can hold such files are read, and the walk stops at `limit`: a page of a listing costs what
    /// it lists (and the folders on its way), however many files come before it.
    static func files(under root: String, prefix: String, after: String?, limit: Int) -> [String] {
        var result: [String] = []
        let afterBytes = after.map { Array($0.utf8) }
        func walk(_ relative: String) {
            guard let directory = opendir(relative.isEmpty ? root : "\(root)/\(relative)") else { return }
            var entries: [(order: [UInt8], path: String, folder: Bool)] = []
            while let entry = readdir(directory) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) {
                    String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self)
                }
                if name == "." || name == ".." || name.hasPrefix(reservedPrefix) { continue }
                let path = relative.isEmpty ? name : "\(relative)/\(name)"
                var folder = entry.pointee.d_type == UInt8(DT_DIR)
                if entry.pointee.d_type != UInt8(DT_DIR) && entry.pointee.d_type != UInt8(DT_REG) {
                    // A link, or a file system that does not say: what the path leads to.
                    var info = stat()
                    guard stat("\(root)/\(path)", &info) == 0 else { continue }
                    guard (info.st_mode & S_IFMT) == S_IFDIR || (info.st_mode & S_IFMT) == S_IFREG else { continue }
                    folder = (info.st_mode & S_IFMT) == S_IFDIR
                }
                let order = Array((folder ? path + "/" : path).utf8)
                if folder {
                    // A folder whose every key sorts before `after`, or none starts with the prefix, is not read.
                    let keys = path + "/"
                    guard keys.hasPrefix(prefix) || prefix.hasPrefix(keys) else { continue }
                    if let afterBytes, order.lexicographicallyPrecedes(afterBytes),
                        !afterBytes.starts(with: order)
                    {
                        continue
                    }
                } else {
                    guard path.hasPrefix(prefix) else { continue }
                    if let afterBytes, !afterBytes.lexicographicallyPrecedes(order) { continue }
                }
                entries.append((order, path, folder))
            }
            closedir(directory)
            entries.sort { $0.order.lexicographicallyPrecedes($1.order) }
            for entry in entries {
                if result.count >= limit { return }
                if entry.folder {
                    walk(entry.path)
                } else {
                    result.append(entry.path)
                }
            }
        }
        walk("")
        return result
    }

    /// A path as a `file://` URL, percent-encoded.
    static func fileURL(_ path: String) -> String {
        "file://" + PercentEncoding.encode(path, keepingSlash: true)
    }
}
