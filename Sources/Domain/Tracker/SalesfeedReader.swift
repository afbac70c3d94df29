#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Reads a sales window as it arrives, piece by piece, and hands over each event as soon as it is complete:
/// a window of any size is read in constant memory (the largest event, not the whole window).
///
/// The window's own fields (`start_date`, `end_date`, `data_delay_sec`, `server_time`) may come before or
/// after `events`, at the top or inside `get_initial`'s `{"feed_data": {…}}`. The structure is checked as it
/// goes (brackets, strings); each event is parsed in full. Anything wrong is a `SalesfeedError` naming the
/// byte offset and what was expected, never a partial window passed off as whole.
public struct SalesfeedReader: Sendable {
    /// The window's fields, known once the whole window has been read.
    public struct Header: Sendable, Equatable {
        public var startDate: Int64
        public var endDate: Int64
        public var dataDelaySeconds: Int64
        public var serverTime: Int64
    }

    private enum Mode: Sendable {
        case idle
        /// Inside an element of `events`.
        case event
        /// Inside the value of one of the window's own fields.
        case field(String)
    }

    private static let headerKeys: Set<String> = ["start_date", "end_date", "data_delay_sec", "server_time"]

    /// Open containers, `{` or `[`.
    private var stack: [UInt8] = []
    /// The latest key read at each depth up to the window's (for `events`, `feed_data` and the fields).
    private var keys: [String?] = []
    private var inString = false
    private var escaped = false
    private var readingKey = false
    private var expectKey = false
    private var keyBytes: [UInt8] = []
    /// The depth of the window object's inside: 1, or 2 within `feed_data`.
    private var windowDepth = 1
    /// The depth of the inside of the `events` array, while in it.
    private var eventsDepth: Int?
    private var mode = Mode.idle
    private var captured: [UInt8] = []
    private var fields: [String: String] = [:]
    private var offset = 0
    private var sawRoot = false
    private var finishedRoot = false
    /// Events read so far.
    public private(set) var eventCount = 0

    public init() {}

    /// Reads the next piece of the window.
    /// - Returns: The events completed in this piece, in order.
    /// - Throws: `SalesfeedError` when the bytes are not a sales window.
    public mutating func read(_ bytes: some Collection<UInt8>) throws -> [SaleEvent] {
        var events: [SaleEvent] = []
        let handled: Void? = try bytes.withContiguousStorageIfAvailable { buffer in
            try read(buffer, into: &events)
        }
        if handled == nil {
            let copy = Array(bytes)
            try copy.withUnsafeBufferPointer { try read($0, into: &events) }
        }
        return events
    }

    /// Checks that the window ended properly and returns its fields.
    /// - Throws: `SalesfeedError` when it was cut short or lacks a required field.
    public func finish() throws -> Header {
        guard sawRoot else { throw SalesfeedError("the feed answered with an empty body") }
        guard finishedRoot, stack.isEmpty else {
            throw SalesfeedError("the feed's answer is not a sales window: it ends early, after \(offset) bytes")
        }
        func number(_ key: String, required: Bool) throws -> Int64? {
            guard let text = fields[key], let value = FeedNumber(text) else {
                if required { throw SalesfeedError("the feed's answer is not a sales window: \(key) is missing") }
                return nil
            }
            return value.wholePart
        }
        return Header(
            startDate: try number("start_date", required: true)!, endDate: try number("end_date", required: true)!,
            dataDelaySeconds: try number("data_delay_sec", required: false) ?? 0,
            serverTime: try number("server_time", required: true)!)
    }

    private func fail(_ what: String, at position: Int) -> SalesfeedError {
        SalesfeedError("the feed's answer is not a sales window: \(what) at byte \(position)")
    }

    private mutating func read(_ buffer: UnsafeBufferPointer<UInt8>, into events: inout [SaleEvent]) throws {
        var captureStart: Int? = nil
        switch mode {
        case .idle: break
        case .event, .field: captureStart = 0
        }
        var index = 0
        let count = buffer.count
        while index < count {
            let byte = buffer[index]
            defer { index += 1 }
            if inString {
                if escaped {
                    escaped = false
                    if readingKey { keyBytes.append(byte) }
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                    if readingKey { keyBytes.append(byte) }
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                    if readingKey {
                        readingKey = false
                        keys[keys.count - 1] = String(decoding: keyBytes, as: UTF8.self)
                    }
                } else if readingKey {
                    keyBytes.append(byte)
                }
                continue
            }
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"):
                continue
            default:
                break
            }
            if finishedRoot { throw fail("more data after the window", at: offset + index) }
            // Inside an event only the brackets and strings matter until it closes.
            if case .event = mode {
                switch byte {
                case UInt8(ascii: "\""): inString = true
                case UInt8(ascii: "{"), UInt8(ascii: "["): stack.append(byte)
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    try close(byte, at: index)
                    if stack.count == eventsDepth {
                        captured.append(contentsOf: buffer[captureStart!...index])
                        captureStart = nil
                        events.append(try parseEvent(at: offset + index + 1 - captured.count))
                        captured.removeAll(keepingCapacity: true)
                        mode = .idle
                    }
                default: break
                }
                continue
            }
            if case .field(let key) = mode {
                if stack.count == windowDepth, byte == UInt8(ascii: ",") || byte == UInt8(ascii: "}") {
                    captured.append(contentsOf: buffer[captureStart!..<index])
                    captureStart = nil
                    let text = String(decoding: captured, as: UTF8.self).trimmingSpaces()
                    let unquoted =
                        text.hasPrefix("\"") && text.hasSuffix("\"") && text.count >= 2
                        ? String(text.dropFirst().dropLast()) : text
                    fields[key] = unquoted.trimmingSpaces()
                    captured.removeAll(keepingCapacity: true)
                    mode = .idle
                    // The comma or brace is handled below as structure.
                } else {
                    if byte == UInt8(ascii: "\"") { inString = true }
                    continue
                }
            }
            try structure(byte, at: index, captureStart: &captureStart)
        }
        if let start = captureStart {
            captured.append(contentsOf: buffer[start..<count])
        }
        offset += count
    }

    /// A byte of the window's structure, outside events and fields.
    private mutating func structure(_ byte: UInt8, at index: Int, captureStart: inout Int?) throws {
        let depth = stack.count
        let inObject = stack.last == UInt8(ascii: "{")
        switch byte {
        case UInt8(ascii: "{"):
            if depth == 0 {
                guard !sawRoot else { throw fail("a second window", at: offset + index) }
                sawRoot = true
            } else if let eventsDepth, depth == eventsDepth {
                mode = .event
                captureStart = index
                stack.append(byte)
                return
            } else if depth == 1, windowDepth == 1, inObject, keys[0] == "feed_data" {
                windowDepth = 2
            }
            stack.append(byte)
            keys.append(nil)
            expectKey = true
        case UInt8(ascii: "["):
            guard depth > 0 else { throw fail("a list where the window should begin", at: offset + index) }
            if depth == windowDepth, inObject, keys[depth - 1] == "events" {
                eventsDepth = depth + 1
            }
            stack.append(byte)
            keys.append(nil)
            expectKey = false
        case UInt8(ascii: "}"), UInt8(ascii: "]"):
            try close(byte, at: index)
            if byte == UInt8(ascii: "]"), eventsDepth == depth { eventsDepth = nil }
            keys.removeLast()
            expectKey = false
            if stack.isEmpty { finishedRoot = true }
        case UInt8(ascii: ","):
            guard depth > 0 else { throw fail("a stray ','", at: offset + index) }
            expectKey = inObject
        case UInt8(ascii: ":"):
            guard inObject else { throw fail("a stray ':'", at: offset + index) }
            expectKey = false
        case UInt8(ascii: "\""):
            guard depth > 0 else { throw fail("a string where the window should begin", at: offset + index) }
            inString = true
            if inObject && expectKey {
                readingKey = true
                keyBytes.removeAll(keepingCapacity: true)
            }
        default:
            guard depth > 0 else {
                throw fail("'\(Character(Unicode.Scalar(byte)))' where the window should begin", at: offset + index)
            }
            if let eventsDepth, depth == eventsDepth {
                throw fail("an event that is not an object", at: offset + index)
            }
            // The start of a scalar value: one of the window's fields is captured, anything else skipped.
            if let key = windowField(depth: depth, inObject: inObject) {
                mode = .field(key)
                captureStart = index
            }
        }
        // A string value of a window field starts capture too.
        if byte == UInt8(ascii: "\""), !readingKey, let key = windowField(depth: depth, inObject: inObject) {
            mode = .field(key)
            captureStart = index
        }
    }

    /// The window field whose value begins here, if it is one the reader keeps.
    private func windowField(depth: Int, inObject: Bool) -> String? {
        guard depth == windowDepth, inObject, let key = keys[depth - 1], Self.headerKeys.contains(key) else {
            return nil
        }
        return key
    }

    /// Closes the innermost container with `}` or `]`, which must match it.
    private mutating func close(_ byte: UInt8, at index: Int) throws {
        guard let open = stack.last, open == (byte == UInt8(ascii: "}") ? 0x7B : 0x5B) else {
            throw fail("a '\(Character(Unicode.Scalar(byte)))' that closes nothing", at: offset + index)
        }
        stack.removeLast()
    }

    private mutating func parseEvent(at position: Int) throws -> SaleEvent {
        defer { eventCount += 1 }
        do {
            let value = try captured.withUnsafeBufferPointer { buffer in
                var parser = FeedJSONParser(buffer)
                return try parser.parseDocument()
            }
            guard case .object(let object) = value else { throw FeedJSONParser.Failure(offset: 0, what: "an object") }
            return SaleEvent(fields: object)
        } catch let failure as FeedJSONParser.Failure {
            throw SalesfeedError(
                "the feed's answer is not a sales window: event \(eventCount) is not valid JSON: "
                    + "expected \(failure.what) at byte \(position + failure.offset)")
        }
    }
}
