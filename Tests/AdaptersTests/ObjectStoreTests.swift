import AWS
import Adapters
import Crypto
import Foundation
import HTTPClient
import TestSupport
import Testing

/// The two implementations, run through the same cases.
enum StoreKind: String, CaseIterable, CustomTestStringConvertible {
    case folder, s3

    var testDescription: String { rawValue }

    /// A fresh, empty store of this kind.
    func make() async throws -> any ObjectStore {
        let name = "t\(UInt32.random(in: 0...UInt32.max))"
        switch self {
        case .folder:
            let root = NSTemporaryDirectory() + "bandcamp-tracker-tests/\(name)"
            return FolderObjectStore(root: root)
        case .s3:
            let moto = try await MotoServer.shared()
            let client = moto.client()
            try await client.createBucket(name)
            return S3ObjectStore(bucket: name, prefix: "pipeline/", client: client)
        }
    }
}

let awkwardKeys = [
    "raw/salesfeed/2025/06/10/19/1749583860-1749584460.json.gz", "with space.json", "plus+equals=.gz",
    "ünïcødé/日本語 файл.txt", "deep/a/b/c.pdf", "percent%20literal", "tilde~(parens)!*'", "semi;colon,comma&amp",
]

func md5(_ bytes: [UInt8]) -> String {
    Insecure.MD5.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
}

@Suite("The object store: one suite, folder and S3")
struct ObjectStoreTests {
    @Test("put, head and get any key, with type, encoding and an MD5 ETag", arguments: StoreKind.allCases)
    func roundTrip(kind: StoreKind) async throws {
        let store = try await kind.make()
        for (index, key) in awkwardKeys.enumerated() {
            let body = Array(repeating: UInt8(index), count: 1000 + index)
            let put = try await store.put(key, body: body, contentType: "application/json", contentEncoding: "gzip")
            #expect(put.etag == md5(body))
            let head = try #require(try await store.head(key))
            #expect(
                head
                    == ObjectInfo(
                        key: key, size: body.count, etag: md5(body), contentType: "application/json",
                        contentEncoding: "gzip"))
            let object = try await store.get(key)
            #expect(object.body == body)
            #expect(object.info.etag == md5(body))
        }
    }

    @Test("a missing key: get throws notFound, head is nil, delete is fine", arguments: StoreKind.allCases)
    func missing(kind: StoreKind) async throws {
        let store = try await kind.make()
        let error = await #expect(throws: ObjectStoreError.self) { try await store.get("raw/nothing.json.gz") }
        #expect(error?.code == .notFound)
        #expect(error?.description.contains("raw/nothing.json.gz") == true)
        #expect(try await store.head("raw/nothing.json.gz") == nil)
        #expect(try await store.getIfPresent("raw/nothing.json.gz") == nil)
        _ = try await store.put(
            "raw/something.json", body: [1, 2], contentType: "application/json", contentEncoding: nil)
        #expect(try await store.getIfPresent("raw/something.json")?.body == [1, 2])
        try await store.delete("raw/nothing.json.gz")
    }

    @Test(
        "read in pieces: every byte once, in order, with the ETag; another version is refused",
        arguments: StoreKind.allCases)
    func pieces(kind: StoreKind) async throws {
        let store = try await kind.make()
        let body = (0..<100_003).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let put = try await store.put(
            "raw/big.json.gz", body: body, contentType: "application/json", contentEncoding: "gzip")
        var pieces: [[UInt8]] = []
        let info = try await store.read("raw/big.json.gz", ifMatch: put.etag, chunkSize: 4096) { pieces.append($0) }
        #expect(pieces.joined().elementsEqual(body))
        #expect(pieces.count == 25 && pieces.dropLast().allSatisfy { $0.count == 4096 })
        #expect(info.etag == put.etag && info.size == body.count && info.contentEncoding == "gzip")
        let changed = await #expect(throws: ObjectStoreError.self) {
            _ = try await store.read("raw/big.json.gz", ifMatch: md5([1]), chunkSize: 4096) { _ in }
        }
        #expect(changed?.code == .changed)
        let missing = await #expect(throws: ObjectStoreError.self) {
            _ = try await store.read("raw/none", ifMatch: nil, chunkSize: 4096) { _ in }
        }
        #expect(missing?.code == .notFound)
        _ = try await store.put("empty", body: [], contentType: "text/plain", contentEncoding: nil)
        var total = 0
        let empty = try await store.read("empty", ifMatch: nil, chunkSize: 4096) { total += $0.count }
        #expect(total == 0 && empty.size == 0 && empty.etag == md5([]))
    }

    @Test("a put replaces the object whole", arguments: StoreKind.allCases)
    func replace(kind: StoreKind) async throws {
        let store = try await kind.make()
        _ = try await store.put(
            "k.json", body: Array("old, longer".utf8), contentType: "application/json", contentEncoding: nil)
        _ = try await store.put("k.json", body: Array("new".utf8), contentType: "text/plain", contentEncoding: nil)
        let object = try await store.get("k.json")
        #expect(object.body == Array("new".utf8))
        #expect(object.info.contentType == "text/plain")
        #expect(object.info.contentEncoding == nil)
    }

    @Test("listings: key order, prefix, start-after, limit, and paging", arguments: StoreKind.allCases)
    func listing(kind: StoreKind) async throws {
        let store = try await kind.make()
        for key in awkwardKeys {
            _ = try await store.put(key, body: Array(key.utf8), contentType: "text/plain", contentEncoding: nil)
        }
        let sorted = awkwardKeys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        #expect(try await store.list(prefix: "", startAfter: nil, limit: 100).map(\.key) == sorted)
        #expect(try await store.list(prefix: "", startAfter: nil, limit: 3).map(\.key) == Array(sorted.prefix(3)))
        #expect(
            try await store.list(prefix: "", startAfter: sorted[4], limit: 100).map(\.key) == Array(sorted.dropFirst(5))
        )
        #expect(
            try await store.list(prefix: "raw/salesfeed/", startAfter: nil, limit: 100).map(\.key) == [awkwardKeys[0]])
        #expect(try await store.list(prefix: "deep/a", startAfter: nil, limit: 100).map(\.key) == ["deep/a/b/c.pdf"])
        #expect(try await store.listAll(prefix: "", pageSize: 2).map(\.key) == sorted)
        let info = try #require(try await store.list(prefix: "with", startAfter: nil, limit: 1).first)
        #expect(info.size == "with space.json".utf8.count)
        // Keys where a folder's name and a file's share a start ('a/…' sorts after 'a-…' and 'a.…', before 'a0'),
        // listed from every place, under every prefix, a page of two at a time.
        let siblings = ["a-b", "a.c", "a/x", "a/y/z", "a0", "a/y-", "b", "a/y/z0"]
        for key in siblings {
            _ = try await store.put(key, body: Array(key.utf8), contentType: "text/plain", contentEncoding: nil)
        }
        let all = (awkwardKeys + siblings).sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        for prefix in ["", "a", "a/", "a/y", "deep/", "raw/salesfeed/2025/", "zz"] {
            for after in [nil, "a", "a/", "a/y", "a/y/", "a.", "ra", "deep/a/b/c.pdf"] + all.map(Optional.some) {
                let expected = all.filter { key in
                    key.hasPrefix(prefix)
                        && after.map { Array($0.utf8).lexicographicallyPrecedes(Array(key.utf8)) } ?? true
                }
                let listed = try await store.listAll(prefix: prefix, startAfter: after, pageSize: 2).map(\.key)
                #expect(listed == expected, "prefix '\(prefix)' after '\(after ?? "-")'")
            }
        }
        #expect(info.etag == md5(Array("with space.json".utf8)))
    }

    @Test("delete removes the object from gets and listings", arguments: StoreKind.allCases)
    func delete(kind: StoreKind) async throws {
        let store = try await kind.make()
        _ = try await store.put("a/b.json", body: [1], contentType: "application/json", contentEncoding: nil)
        try await store.delete("a/b.json")
        #expect(try await store.head("a/b.json") == nil)
        #expect(try await store.list(prefix: "", startAfter: nil, limit: 10).isEmpty)
    }

    @Test("a presigned URL reads the object", arguments: StoreKind.allCases)
    func presigned(kind: StoreKind) async throws {
        let store = try await kind.make()
        let key = "reports/daily/2025-06-10 Sigur Rós.pdf"
        _ = try await store.put(key, body: Array("%PDF-1.7".utf8), contentType: "application/pdf", contentEncoding: nil)
        let url = store.presignedURL(for: key, expiresIn: 600)
        let bytes: [UInt8]
        if url.hasPrefix("file://") {
            let path = try #require(URL(string: url)?.path)
            bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        } else {
            // moto answers slowly while the whole suite runs on two cores (once 32 s): more than the default 30 s.
            bytes = try await HTTPClient().execute(HTTPRequest(url: url, timeout: .seconds(120))).body
        }
        #expect(bytes == Array("%PDF-1.7".utf8))
    }
}

@Suite("The folder store keeps to its folder and never shows half an object")
struct FolderObjectStoreTests {
    func store() -> FolderObjectStore {
        FolderObjectStore(root: NSTemporaryDirectory() + "bandcamp-tracker-tests/f\(UInt32.random(in: 0...UInt32.max))")
    }

    @Test(
        "keys that would leave the folder or clash with its own files are refused, by name",
        arguments: ["", "/etc/passwd", "a/../../etc/passwd", "a//b", "a/./b", "trailing/", ".bt-meta/x", "a/.bt-tmp-1"])
    func invalidKeys(key: String) async throws {
        let error = await #expect(throws: ObjectStoreError.self) {
            _ = try await store().put(key, body: [1], contentType: "x/y", contentEncoding: nil)
        }
        #expect(error?.code == .invalidKey)
    }

    @Test("writes leave no temporary files behind")
    func noLeftovers() async throws {
        let store = store()
        for index in 0..<20 {
            _ = try await store.put(
                "raw/k\(index % 3).json", body: Array(repeating: 1, count: index * 100),
                contentType: "application/json", contentEncoding: nil)
        }
        let names = try FileManager.default.subpathsOfDirectory(atPath: store.root)
        #expect(!names.contains { $0.contains(".bt-tmp") })
        #expect(try await store.list(prefix: "", startAfter: nil, limit: 10).count == 3)
    }

    @Test("writers racing on one key leave one whole object, never a mix")
    func racingWriters() async throws {
        let store = store()
        let bodies = (0..<8).map { [UInt8](repeating: UInt8($0), count: 200_000) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for round in 0..<5 {
                for body in bodies {
                    group.addTask {
                        _ = try await store.put(
                            "hot.json", body: body, contentType: "application/json", contentEncoding: "\(round)")
                    }
                }
            }
            try await group.waitForAll()
        }
        let object = try await store.get("hot.json")
        #expect(bodies.contains(object.body))
        #expect(object.info.etag == md5(object.body))
    }

    @Test("with its sidecar gone, an object still has its ETag and a type from its name")
    func lostSidecar() async throws {
        let store = store()
        let body = Array("{}".utf8)
        _ = try await store.put("raw/x.json.gz", body: body, contentType: "application/json", contentEncoding: "gzip")
        try FileManager.default.removeItem(atPath: store.root + "/.bt-meta")
        let info = try #require(try await store.head("raw/x.json.gz"))
        #expect(
            info
                == ObjectInfo(
                    key: "raw/x.json.gz", size: 2, etag: md5(body), contentType: "application/json",
                    contentEncoding: "gzip"))
    }

    @Test("an object changed behind the store's back gets its ETag worked out again")
    func changedBehind() async throws {
        let store = store()
        _ = try await store.put("a.txt", body: Array("one".utf8), contentType: "text/plain", contentEncoding: nil)
        try Data("three".utf8).write(to: URL(fileURLWithPath: store.root + "/a.txt"))
        #expect(try await store.head("a.txt")?.etag == md5(Array("three".utf8)))
    }
}
