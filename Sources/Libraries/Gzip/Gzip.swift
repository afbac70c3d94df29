import CZlib

/// gzip (RFC 1952) on zlib: raw feed windows and release pages are stored compressed.
public enum Gzip {
    /// Compresses bytes into one gzip member.
    public static func compress(_ bytes: [UInt8], level: Int32 = 6) -> [UInt8] {
        var stream = z_stream()
        guard bt_deflate_init_gzip(&stream, level) == Z_OK else { fatalError("zlib: deflateInit2 failed") }
        defer { deflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(bytes.count))) + 32)
        var input = bytes
        let produced = input.withUnsafeMutableBufferPointer { inputBuffer in
            output.withUnsafeMutableBufferPointer { outputBuffer in
                stream.next_in = inputBuffer.baseAddress
                stream.avail_in = uInt(inputBuffer.count)
                stream.next_out = outputBuffer.baseAddress
                stream.avail_out = uInt(outputBuffer.count)
                let status = deflate(&stream, Z_FINISH)
                precondition(status == Z_STREAM_END, "zlib: deflate with a bound-sized buffer did not finish")
                return outputBuffer.count - Int(stream.avail_out)
            }
        }
        return Array(output[0..<produced])
    }

    /// Decompresses gzip data (one or more members, as `gzip -d` does).
    /// - Throws: `GzipError` when the data is not gzip, is damaged, or ends early.
    public static func decompress(_ bytes: [UInt8]) throws -> [UInt8] {
        var result: [UInt8] = []
        let inflater = GzipInflater()
        try inflater.inflate(bytes) { result.append(contentsOf: $0) }
        try inflater.finish()
        return result
    }
}

/// gzip data that could not be read.
public struct GzipError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}

/// Decompresses gzip data that arrives in pieces, handing over the output in pieces: memory stays bounded by
/// the piece sizes, whatever the size of the whole.
public final class GzipInflater {
    private var stream = z_stream()
    private var active = false
    private var ended = false
    private var output = [UInt8](repeating: 0, count: 1 << 18)
    /// Bytes of compressed input read so far.
    public private(set) var compressedBytes = 0

    public init() {}

    deinit {
        if active { inflateEnd(&stream) }
    }

    /// Decompresses the next piece of input, giving each piece of output to `body` as it is made.
    /// - Throws: `GzipError` for damaged data; what `body` throws.
    public func inflate(_ input: [UInt8], _ body: ([UInt8]) throws -> Void) throws {
        var offset = 0
        try input.withUnsafeBufferPointer { inputBuffer in
            while offset < inputBuffer.count {
                if !active {
                    guard bt_inflate_init_gzip(&stream) == Z_OK else { throw GzipError("zlib: inflateInit2 failed") }
                    active = true
                    ended = false
                }
                stream.next_in = UnsafeMutablePointer(mutating: inputBuffer.baseAddress! + offset)
                stream.avail_in = uInt(inputBuffer.count - offset)
                var status: Int32 = Z_OK
                repeat {
                    let produced = output.withUnsafeMutableBufferPointer { outputBuffer in
                        stream.next_out = outputBuffer.baseAddress
                        stream.avail_out = uInt(outputBuffer.count)
                        status = CZlib.inflate(&stream, Z_NO_FLUSH)
                        return outputBuffer.count - Int(stream.avail_out)
                    }
                    guard status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR else {
                        let reason = stream.msg.map { String(cString: $0) } ?? "code \(status)"
                        throw GzipError("damaged gzip data at compressed byte \(compressedBytes): \(reason)")
                    }
                    if produced > 0 { try body(Array(output[0..<produced])) }
                    if status == Z_BUF_ERROR { break }
                } while status != Z_STREAM_END && (stream.avail_in > 0 || stream.avail_out == 0)
                let consumed = inputBuffer.count - offset - Int(stream.avail_in)
                offset += consumed
                compressedBytes += consumed
                if status == Z_STREAM_END {
                    // The end of one member; another may follow (as `gzip -d` reads them).
                    inflateEnd(&stream)
                    active = false
                    ended = true
                }
            }
        }
    }

    /// Checks that the data ended at the end of a gzip member.
    /// - Throws: `GzipError` when it ends early or there was none.
    public func finish() throws {
        guard ended, !active else {
            throw GzipError(
                compressedBytes == 0
                    ? "no data to decompress" : "the gzip data ends early, after \(compressedBytes) bytes")
        }
    }
}
