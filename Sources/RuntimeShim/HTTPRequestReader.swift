import Dispatch
import Logging
import PercentEncoding
import Synchronization

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
#if canImport(Glibc)
    import Glibc
#endif

/// A request as read from the socket.
package struct HTTPRequestHead: Sendable {
    var method: String
    /// The request target as sent: path and query.
    var target: String
    var version: String
    var headers: [(name: String, value: String)]
    var body: [UInt8]
    var sourceIP: String
    /// `host:port` the server listens on.
    var serverHost: String

    /// The value of a header (repeated ones joined with commas, as a function URL joins them).
    func header(_ name: String) -> String? {
        let values = headers.filter { $0.name.lowercased() == name }.map(\.value)
        return values.isEmpty ? nil : values.joined(separator: ",")
    }
}

/// Reading one request from a connected socket.
package enum HTTPRequestReader {
    /// What was wrong with a request, as the status to answer.
    struct Refusal: Error {
        var status: Int
        var message: String
    }

    static func read(from descriptor: Int32, sourceIP: String, serverHost: String) throws -> HTTPRequestHead {
        var buffer: [UInt8] = []
        var headEnd: Int?
        var scanned = 0
        while headEnd == nil {
            guard buffer.count < LocalHTTPServing.maximumHead else {
                throw Refusal(status: 431, message: "the request's head is over 64 KiB")
            }
            guard try receive(descriptor, into: &buffer) else {
                throw Refusal(status: 400, message: "the connection closed before the request's head ended")
            }
            // Only the new bytes (and the three before them) are searched: linear in the head's size.
            headEnd = find([13, 10, 13, 10], in: buffer, from: max(0, scanned - 3))
            scanned = buffer.count
        }
        var request = try parseHead(buffer[..<headEnd!], sourceIP: sourceIP, serverHost: serverHost)
        return try readBody(of: &request, after: Array(buffer[(headEnd! + 4)...]), from: descriptor)
    }

    /// A request's head (up to, not including, the blank line), parsed: no I/O, for the fuzzer too.
    /// - Throws: `Refusal` for a malformed request line or header line.
    package static func parseHead(_ bytes: some Collection<UInt8>, sourceIP: String, serverHost: String) throws
        -> HTTPRequestHead
    {
        let head = String(decoding: bytes, as: UTF8.self)
        var lines = head.split(separator: "\r\n", omittingEmptySubsequences: false).map(String.init)
        let requestLine = lines.removeFirst().split(separator: " ")
        guard requestLine.count == 3, requestLine[2].hasPrefix("HTTP/1."), requestLine[1].hasPrefix("/") else {
            throw Refusal(status: 400, message: "malformed request line")
        }
        var headers: [(name: String, value: String)] = []
        for line in lines where !line.isEmpty {
            guard let colon = line.firstIndex(of: ":") else {
                throw Refusal(status: 400, message: "malformed header line")
            }
            let value = line[line.index(after: colon)...].trimmedOfSpaces
            headers.append((String(line[..<colon]).lowercased(), value))
        }
        let request = HTTPRequestHead(
            method: String(requestLine[0]), target: String(requestLine[1]), version: String(requestLine[2]),
            headers: headers, body: [], sourceIP: sourceIP, serverHost: serverHost)
        if request.header("transfer-encoding") != nil {
            throw Refusal(status: 411, message: "send the body with a Content-Length")
        }
        let length = Int(request.header("content-length") ?? "0") ?? -1
        guard length >= 0 else { throw Refusal(status: 400, message: "malformed Content-Length") }
        guard length <= LocalHTTPServing.maximumBody else {
            throw Refusal(status: 413, message: "the body is over 6 MB, a function URL's limit")
        }
        return request
    }

    private static func readBody(of request: inout HTTPRequestHead, after first: [UInt8], from descriptor: Int32)
        throws -> HTTPRequestHead
    {
        let length = Int(request.header("content-length") ?? "0") ?? 0
        var body = first
        while body.count < length {
            guard try receive(descriptor, into: &body) else {
                throw Refusal(status: 400, message: "the connection closed before the body ended")
            }
        }
        request.body = Array(body.prefix(length))
        return request
    }

    private static func receive(_ descriptor: Int32, into buffer: inout [UInt8]) throws -> Bool {
        var chunk = [UInt8](repeating: 0, count: 16384)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count < 0 && errno == EINTR { continue }
            if count < 0 { throw Refusal(status: 408, message: "reading the request failed or timed out") }
            if count == 0 { return false }
            buffer.append(contentsOf: chunk[0..<count])
            return true
        }
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8], from first: Int = 0) -> Int? {
        guard haystack.count >= needle.count, first <= haystack.count - needle.count else { return nil }
        for start in first...(haystack.count - needle.count) where haystack[start] == needle[0] {
            if haystack[start..<(start + needle.count)].elementsEqual(needle) { return start }
        }
        return nil
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces and tabs.
    var trimmedOfSpaces: String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
