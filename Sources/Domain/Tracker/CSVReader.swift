/// Reads CSV (RFC 4180) as it arrives, piece by piece, and hands over each record once it is complete, with the
/// byte offsets where it starts and ends: a file of any size in constant memory, and a long read that can stop
/// after any record and start again at its end.
///
/// Fields are separated by commas; a field in double quotes may hold commas, quotes (doubled) and line breaks.
/// Records end with LF, CRLF or a lone CR, and the last one may have none. A UTF-8 byte order mark at the start
/// of the file is skipped. Blank lines are skipped. A quote inside an unquoted field is kept as it is (as
/// Python's and pandas' readers do); anything but a comma or a line end after a closing quote, or a quote left
/// open at the end, is a `CSVError` naming the byte offset.
///
/// The listed CSV packages were not used: SwiftCSV parses a whole string in memory, and CSV.swift reads a
/// Foundation `InputStream` without the byte offsets that resuming needs.
public struct CSVReader: Sendable {
    /// One record: its fields and where it is in the file.
    public struct Record: Sendable, Equatable {
        public var fields: [String]
        /// Its number among the file's records (1 for the first, the header if there is one), counted from the
        /// offset the reader started at.
        public var number: Int
        /// The offset of its first byte.
        public var start: Int
        /// The offset just after its line end: where the next record starts.
        public var end: Int
    }

    private enum State: Sendable {
        /// At the start of a field.
        case fieldStart
        /// Inside an unquoted field.
        case unquoted
        /// Inside a quoted field.
        case quoted
        /// Just after a quote inside a quoted field: a second quote, or the end of the field.
        case quoteInQuoted
        /// Just after a CR that ended a record: an LF belongs to it.
        case afterCR
    }

    private var state = State.fieldStart
    private var field: [UInt8] = []
    private var fields: [String] = []
    /// The offset of the next byte.
    private var offset: Int
    private var recordStart: Int
    private var records = 0
    /// Bytes of a possible byte order mark still to match (only at offset 0).
    private var bomMatched = 0
    private var checkingBOM: Bool

    /// A reader of a file read from `offset` (which must be the start of a record; 0 for the whole file).
    public init(startingAt offset: Int = 0) {
        self.offset = offset
        self.recordStart = offset
        self.checkingBOM = offset == 0
    }

    /// The offset of the next byte to read.
    public var position: Int { offset }

    /// Each column's place in a header, by name (the first of a repeated name).
    public static func columns(_ header: [String]) -> [String: Int] {
        Dictionary(header.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Reads the next piece.
    /// - Returns: The records completed in it, in order.
    public mutating func read(_ bytes: some Collection<UInt8>) throws -> [Record] {
        var completed: [Record] = []
        for byte in bytes {
            if checkingBOM {
                let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
                if byte == bom[bomMatched] {
                    bomMatched += 1
                    offset += 1
                    if bomMatched == 3 {
                        checkingBOM = false
                        recordStart = offset
                    }
                    continue
                }
                checkingBOM = false
                if bomMatched > 0 {
                    field += bom[0..<bomMatched]
                    state = .unquoted
                }
            }
            try consume(byte, into: &completed)
            offset += 1
        }
        return completed
    }

    /// Ends the file: the last record, when it had no line end.
    /// - Throws: `CSVError` when a quoted field was left open.
    public mutating func finish() throws -> Record? {
        switch state {
        case .quoted:
            throw CSVError(
                offset: recordStart, "a quoted field starting in the record at byte \(recordStart) is never closed")
        case .afterCR:
            return nil
        case .fieldStart where fields.isEmpty && field.isEmpty:
            return nil
        case .fieldStart, .unquoted, .quoteInQuoted:
            var completed: [Record] = []
            endField()
            endRecord(into: &completed)
            return completed.first
        }
    }

    private mutating func consume(_ byte: UInt8, into completed: inout [Record]) throws {
        let quote = UInt8(ascii: "\"")
        let comma = UInt8(ascii: ",")
        let lf = UInt8(ascii: "\n")
        let cr = UInt8(ascii: "\r")
        switch state {
        case .afterCR:
            state = .fieldStart
            if byte == lf {
                recordStart = offset + 1
                return
            }
            recordStart = offset
            try consume(byte, into: &completed)
        case .fieldStart:
            switch byte {
            case quote: state = .quoted
            case comma: endField()
            case lf, cr:
                if fields.isEmpty {
                    // A blank line.
                    recordStart = offset + 1
                    if byte == cr { state = .afterCR }
                    return
                }
                endField()
                endRecord(into: &completed, lineEnd: byte)
            default:
                field.append(byte)
                state = .unquoted
            }
        case .unquoted:
            switch byte {
            case comma:
                endField()
                state = .fieldStart
            case lf, cr:
                endField()
                endRecord(into: &completed, lineEnd: byte)
            default: field.append(byte)
            }
        case .quoted:
            if byte == quote { state = .quoteInQuoted } else { field.append(byte) }
        case .quoteInQuoted:
            switch byte {
            case quote:
                field.append(quote)
                state = .quoted
            case comma:
                endField()
                state = .fieldStart
            case lf, cr:
                endField()
                endRecord(into: &completed, lineEnd: byte)
            default:
                throw CSVError(offset: offset, "a character other than a comma or a line end follows a closing quote")
            }
        }
    }

    private mutating func endField() {
        fields.append(String(decoding: field, as: UTF8.self))
        field.removeAll(keepingCapacity: true)
    }

    /// Completes the record whose last field has been ended, at a line end or at the end of the file.
    private mutating func endRecord(into completed: inout [Record], lineEnd: UInt8? = nil) {
        records += 1
        let end = lineEnd == nil ? offset : offset + 1
        completed.append(Record(fields: fields, number: records, start: recordStart, end: end))
        fields.removeAll(keepingCapacity: true)
        recordStart = end
        state = lineEnd == UInt8(ascii: "\r") ? .afterCR : .fieldStart
    }
}

/// CSV that cannot be read, and where.
public struct CSVError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The byte offset of the problem.
    public var offset: Int
    public var detail: String

    public init(offset: Int, _ detail: String) {
        self.offset = offset
        self.detail = detail
    }

    public var description: String { "malformed CSV at byte \(offset): \(detail)" }
}
