/// Where objects are kept.
public enum ObjectStoreLocation: Sendable, Equatable {
    /// A folder on this machine.
    case folder(path: String)
    /// An S3 bucket, with a key prefix ("" or ending in "/").
    case s3(bucket: String, prefix: String)

    /// A location from `file:///path` or `s3://bucket/prefix`.
    init(parsing text: String) throws {
        if text.hasPrefix("file://") {
            let path = String(text.dropFirst("file://".count))
            guard path.hasPrefix("/") else {
                throw ValueError("'\(text)' must be an absolute file URL, file:///path")
            }
            self = .folder(path: path)
        } else if text.hasPrefix("s3://") {
            let rest = text.dropFirst("s3://".count)
            let bucket = String(rest.prefix { $0 != "/" })
            guard Self.isValidBucketName(bucket) else {
                throw ValueError("'\(bucket)' is not a valid S3 bucket name")
            }
            var prefix = String(rest.dropFirst(bucket.count).drop { $0 == "/" })
            if !prefix.isEmpty && !prefix.hasSuffix("/") { prefix += "/" }
            self = .s3(bucket: bucket, prefix: prefix)
        } else {
            throw ValueError("'\(text)' is neither file:///path nor s3://bucket/prefix")
        }
    }

    static func isValidBucketName(_ name: String) -> Bool {
        let allowed = name.allSatisfy { $0.isLowercase && $0.isASCII || $0.isNumber || $0 == "-" || $0 == "." }
        return (3...63).contains(name.count) && allowed && name.first != "-" && name.last != "-"
    }
}
