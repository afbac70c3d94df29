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
        guard !bytes.isEmpty else { throw GzipError("no data to decompress") }
        var result: [UInt8] = []
        var input = bytes
        var offset = 0
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while offset < input.count {
            var stream = z_stream()
            guard bt_inflate_init_gzip(&stream) == Z_OK else { throw GzipError("zlib: inflateInit2 failed") }
            defer { inflateEnd(&stream) }
            var status: Int32 = Z_OK
            try input.withUnsafeMutableBufferPointer { inputBuffer in
                stream.next_in = inputBuffer.baseAddress! + offset
                stream.avail_in = uInt(inputBuffer.count - offset)
                repeat {
                    let produced = chunk.withUnsafeMutableBufferPointer { outputBuffer in
                        stream.next_out = outputBuffer.baseAddress
                        stream.avail_out = uInt(outputBuffer.count)
                        status = inflate(&stream, Z_NO_FLUSH)
                        return outputBuffer.count - Int(stream.avail_out)
                    }
                    guard status == Z_OK || status == Z_STREAM_END else {
                        let reason = stream.msg.map { String(cString: $0) } ?? "code \(status)"
                        throw GzipError(
                            status == Z_BUF_ERROR ? "the gzip data ends early" : "damaged gzip data: \(reason)")
                    }
                    result.append(contentsOf: chunk[0..<produced])
                    if status == Z_OK && stream.avail_in == 0 && produced == 0 {
                        throw GzipError("the gzip data ends early")
                    }
                } while status != Z_STREAM_END
                offset = inputBuffer.count - Int(stream.avail_in)
            }
        }
        return result
    }
}

/// gzip data that could not be read.
public struct GzipError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
