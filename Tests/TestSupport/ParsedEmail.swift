import Foundation

/// A message parsed by Python's `email` package: an independent reader of what we write.
public struct ParsedEmail: Decodable, Sendable {
    public struct Part: Decodable, Sendable {
        public var contentType: String
        public var filename: String?
        public var text: String?
        public var size: Int
    }
    public var from: String
    public var to: String
    public var subject: String
    public var date: String
    public var messageID: String
    public var contentType: String
    public var unsubscribe: String?
    public var parts: [Part]

    public static func parse(_ path: String) throws -> ParsedEmail {
        let script = """
            import email, email.policy, json, sys
            m = email.message_from_bytes(open(sys.argv[1], "rb").read(), policy=email.policy.default)
            parts = []
            for p in m.walk():
                if p.is_multipart(): continue
                payload = p.get_payload(decode=True)
                text = payload.decode("utf-8") if p.get_content_maintype() == "text" else None
                parts.append({"contentType": p.get_content_type(), "filename": p.get_filename(), "text": text, "size": len(payload)})
            print(json.dumps({"from": str(m["From"]), "to": str(m["To"]), "subject": str(m["Subject"]),
                "date": str(m["Date"]), "messageID": str(m["Message-ID"]), "contentType": m.get_content_type(),
                "unsubscribe": m["List-Unsubscribe"] and str(m["List-Unsubscribe"]), "parts": parts}))
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return try JSONDecoder().decode(ParsedEmail.self, from: data)
    }
}
