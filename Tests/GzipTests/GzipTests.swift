import Foundation
import Gzip
import Testing

@Suite("gzip on zlib")
struct GzipTests {
    @Test("round trips any bytes", arguments: [0, 1, 1000, 300_000])
    func roundTrip(size: Int) throws {
        let bytes = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 13) }
        let compressed = Gzip.compress(bytes)
        #expect(compressed.prefix(2) == [0x1F, 0x8B])
        #expect(try Gzip.decompress(compressed) == bytes)
    }

    @Test("what the gzip tool reads, and what it writes, are the same format")
    func interoperates() throws {
        let text = Array(String(repeating: "{\"artist_name\":\"Sigur Rós\"}\n", count: 500).utf8)
        let directory = NSTemporaryDirectory() + "gzip-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try Data(Gzip.compress(text)).write(to: URL(fileURLWithPath: directory + "/ours.gz"))
        try Data(text).write(to: URL(fileURLWithPath: directory + "/theirs"))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "cd \(directory) && gzip -t ours.gz && gzip -k theirs"]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let theirs = try Data(contentsOf: URL(fileURLWithPath: directory + "/theirs.gz"))
        #expect(try Gzip.decompress(Array(theirs)) == text)
    }

    @Test("two members concatenated read as one stream, as gzip -d does")
    func members() throws {
        let joined = Gzip.compress(Array("one ".utf8)) + Gzip.compress(Array("two".utf8))
        #expect(try Gzip.decompress(joined) == Array("one two".utf8))
    }

    @Test("damaged, cut or foreign data is an error", arguments: ["empty", "cut", "damaged", "plain"])
    func bad(kind: String) {
        var bytes = Gzip.compress(Array(String(repeating: "data ", count: 1000).utf8))
        switch kind {
        case "empty": bytes = []
        case "cut": bytes = Array(bytes.prefix(bytes.count / 2))
        case "damaged": bytes[bytes.count / 2] ^= 0xFF
        default: bytes = Array("{\"not\":\"gzip\"}".utf8)
        }
        #expect(throws: GzipError.self) { try Gzip.decompress(bytes) }
    }
}
