import Crypto
import Tracker

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// An object store in a folder: each key a file below it (its `/`s folders), written atomically.
///
/// Content type and encoding are kept in a small sidecar under `.bt-meta/`, written after the object and
/// naming the very file it describes (inode, size, time); the ETag is the MD5 of the bytes, as S3's is for
/// objects put in one part, and is worked out again whenever the sidecar describes another file (a racing
/// writer's, or a crash between the two writes, which loses nothing but the type: that then comes from the
/// key's extension).
public struct FolderObjectStore: ObjectStore {
    /// The folder.
    public let root: String

    /// A store in a folder (made when first written to).
    public init(root: String) {
        self.root = root.count > 1 && root.hasSuffix("/") ? String(root.dropLast()) : root
    }

    public var location: String { "file://\(root)" }

    /// What the store knows of one file it wrote: the sidecar counts only while the file is that file.
    private struct Sidecar: Codable {
        var etag: String
        var file: LocalFiles.Identity
        var contentType: String
        var contentEncoding: String?
    }

    public func put(_ key: String, body: [UInt8], contentType: String, contentEncoding: String?) async throws
        -> ObjectInfo
    {
        try validate(key)
        let etag = Self.md5(body)
        try attempt(key) {
            let written = try LocalFiles.writeAtomically(path(key), body)
            let sidecar = Sidecar(
                etag: etag, file: written, contentType: contentType, contentEncoding: contentEncoding)
            try LocalFiles.writeAtomically(sidecarPath(key), Array(try JSONEncoder().encode(sidecar)))
        }
        return ObjectInfo(
            key: key, size: body.count, etag: etag, contentType: contentType, contentEncoding: contentEncoding)
    }

    public func get(_ key: String) async throws -> StoredObject {
        try validate(key)
        guard let body = try attempt(key, { try LocalFiles.read(path(key)) }) else {
            throw ObjectStoreError(.notFound, location: location, key: key, detail: "no such object")
        }
        let info = try describe(key, knownBody: body) ?? ObjectInfo(key: key, size: body.count, etag: Self.md5(body))
        return StoredObject(info: info, body: body)
    }

    public func read(
        _ key: String, ifMatch: String?, from offset: Int, chunkSize: Int, _ body: ([UInt8]) async throws -> Void
    ) async throws -> ObjectInfo {
        try validate(key)
        // One open file is one version: a writer replaces the name, never these bytes.
        guard let file = try attempt(key, { try LocalFiles.ReadableFile(path(key)) }) else {
            throw ObjectStoreError(.notFound, location: location, key: key, detail: "no such object")
        }
        let sidecar = self.sidecar(key).flatMap { $0.file == file.identity ? $0 : nil }
        var known = sidecar?.etag
        if known == nil, offset > 0 {
            // Part of a file the store did not write: its ETag is the MD5 of all of it, read first.
            var whole = Insecure.MD5()
            try attempt(key) { try file.forEachPiece(size: 1 << 20) { whole.update(data: $0) } }
            known = Hex.encode(whole.finalize())
        }
        if let ifMatch, let known, known != ifMatch {
            throw ObjectStoreError(
                .changed, location: location, key: key, detail: "the object is not the version asked for")
        }
        try attempt(key) { try file.seek(to: max(0, offset)) }
        var md5 = known == nil ? Insecure.MD5() : nil
        while true {
            let piece = try attempt(key) { try file.read(upTo: chunkSize) }
            if piece.isEmpty { break }
            md5?.update(data: piece)
            try await body(piece)
        }
        let etag = known ?? Hex.encode(md5!.finalize())
        if let ifMatch, etag != ifMatch {
            throw ObjectStoreError(
                .changed, location: location, key: key, detail: "the object is not the version asked for")
        }
        let (type, encoding) = Self.contentType(forKey: key)
        return ObjectInfo(
            key: key, size: file.identity.size, etag: etag, contentType: sidecar?.contentType ?? type,
            contentEncoding: sidecar.map(\.contentEncoding) ?? encoding)
    }

    private func sidecar(_ key: String) -> Sidecar? {
        guard let data = try? LocalFiles.read(sidecarPath(key)) else { return nil }
        return try? JSONDecoder().decode(Sidecar.self, from: Data(data))
    }

    public func head(_ key: String) async throws -> ObjectInfo? {
        try validate(key)
        return try describe(key, knownBody: nil)
    }

    public func list(prefix: String, startAfter: String?, limit: Int) async throws -> [ObjectInfo] {
        let keys = LocalFiles.files(under: root, prefix: prefix, after: startAfter, limit: max(0, limit))
        var result: [ObjectInfo] = []
        for key in keys {
            if let info = try describe(key, knownBody: nil) { result.append(info) }
        }
        return result
    }

    public func delete(_ key: String) async throws {
        try validate(key)
        try attempt(key) {
            try LocalFiles.remove(path(key))
            try LocalFiles.remove(sidecarPath(key))
        }
    }

    public func presignedURL(for key: String, expiresIn seconds: Int) -> String {
        LocalFiles.fileURL(path(key))
    }

    public var hasWebLinks: Bool { false }

    private func path(_ key: String) -> String { "\(root)/\(key)" }
    private func sidecarPath(_ key: String) -> String { "\(root)/\(LocalFiles.reservedPrefix)meta/\(key).json" }

    /// The object's description from its sidecar when that matches the file, else worked out from the bytes.
    private func describe(_ key: String, knownBody: [UInt8]?) throws -> ObjectInfo? {
        guard let status = LocalFiles.status(path(key)) else { return nil }
        if let sidecar = sidecar(key), sidecar.file == status {
            return ObjectInfo(
                key: key, size: status.size, etag: sidecar.etag, contentType: sidecar.contentType,
                contentEncoding: sidecar.contentEncoding)
        }
        let (type, encoding) = Self.contentType(forKey: key)
        if let knownBody {
            return ObjectInfo(
                key: key, size: knownBody.count, etag: Self.md5(knownBody), contentType: type,
                contentEncoding: encoding)
        }
        // A file the store did not write (copied in by hand, say): its MD5, read a piece at a time.
        guard let file = try attempt(key, { try LocalFiles.ReadableFile(path(key)) }) else { return nil }
        var md5 = Insecure.MD5()
        try attempt(key) { try file.forEachPiece(size: 1 << 20) { md5.update(data: $0) } }
        return ObjectInfo(
            key: key, size: file.identity.size, etag: Hex.encode(md5.finalize()), contentType: type,
            contentEncoding: encoding)
    }

    private func validate(_ key: String) throws {
        if let problem = Self.problem(with: key) {
            throw ObjectStoreError(.invalidKey, location: location, key: key, detail: problem)
        }
    }

    /// Why a key cannot name a file below the folder, if it cannot.
    static func problem(with key: String) -> String? {
        let segments = key.split(separator: "/", omittingEmptySubsequences: false)
        if key.isEmpty { return "an empty key" }
        if key.hasPrefix("/") { return "a key may not start with /" }
        if segments.contains(where: \.isEmpty) { return "a key may not hold an empty segment (//) or end with /" }
        if segments.contains(where: { $0 == "." || $0 == ".." }) { return "a key may not hold . or .. segments" }
        if segments.contains(where: { $0.hasPrefix(LocalFiles.reservedPrefix) }) {
            return "names starting with \(LocalFiles.reservedPrefix) are kept for the store's own files"
        }
        if key.utf8.contains(0) { return "a key may not hold NUL" }
        if segments.contains(where: { $0.utf8.count > 255 }) {
            return "a segment of a key may be at most 255 bytes in a folder"
        }
        return nil
    }

    private func attempt<T>(_ key: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let failure as LocalFiles.Failure {
            throw ObjectStoreError(.failed, location: location, key: key, detail: failure.description)
        }
    }

    static func md5(_ bytes: [UInt8]) -> String {
        Hex.encode(Insecure.MD5.hash(data: bytes))
    }

    /// A type from the key's extension, for objects whose sidecar is gone.
    static func contentType(forKey key: String) -> (String, String?) {
        var name = key
        var encoding: String?
        if name.hasSuffix(".gz") {
            encoding = "gzip"
            name.removeLast(3)
        }
        let types = [
            ".json": "application/json", ".pdf": "application/pdf", ".csv": "text/csv", ".html": "text/html",
            ".txt": "text/plain", ".eml": "message/rfc822",
        ]
        let type = types.first { name.hasSuffix($0.key) }?.value ?? "application/octet-stream"
        return (type, encoding)
    }
}
