import Logging
import Testing

@testable import RuntimeShim

@Suite("Log lines in Lambda's text and JSON formats")
struct LogHandlerTests {
    @Test("text lines carry time, request id, level and message, with metadata after")
    func text() {
        let (base, sink) = collectingLogger(format: .text)
        var logger = base
        logger[metadataKey: "requestId"] = "req-1"
        logger.warning("disk almost full", metadata: ["free": "3%"])
        let line = sink.lines.first ?? ""
        let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
        #expect(fields.count == 4)
        #expect(fields[0].count == 24 && fields[0].hasSuffix("Z"))
        #expect(fields[1] == "req-1")
        #expect(fields[2] == "WARN")
        #expect(fields[3] == "disk almost full free=3%")
    }

    @Test("JSON lines are one valid object each, with every character escaped")
    func json() throws {
        let (base, sink) = collectingLogger(format: .json)
        var logger = base
        logger[metadataKey: "requestId"] = "req-2"
        logger.error("a \"quoted\"\nline\twith\u{01} control and Ó")
        let line = try #require(sink.lines.first)
        #expect(!line.contains("\n"))
        #expect(line.hasPrefix(#"{"timestamp":""#))
        #expect(line.contains(#""level":"ERROR","requestId":"req-2""#))
        #expect(line.contains(#""message":"a \"quoted\"\nline\twith\u0001 control and Ó""#))
        #expect(line.hasSuffix(#""logger":"test"}"#))
    }

    @Test("levels below the configured one are dropped")
    func level() {
        let (logger, sink) = collectingLogger(level: LambdaLogHandler.level(named: "WARN")!)
        logger.info("quiet")
        logger.error("loud")
        #expect(sink.lines.count == 1)
        #expect(sink.lines[0].contains("loud"))
    }

    @Test("AWS_LAMBDA_LOG_LEVEL's names map to swift-log's levels")
    func levelNames() {
        #expect(LambdaLogHandler.level(named: "TRACE") == .trace)
        #expect(LambdaLogHandler.level(named: "debug") == .debug)
        #expect(LambdaLogHandler.level(named: "INFO") == .info)
        #expect(LambdaLogHandler.level(named: "WARN") == .warning)
        #expect(LambdaLogHandler.level(named: "ERROR") == .error)
        #expect(LambdaLogHandler.level(named: "FATAL") == .critical)
        #expect(LambdaLogHandler.level(named: "LOUD") == nil)
        #expect(LambdaEnvironment(["AWS_LAMBDA_LOG_FORMAT": "JSON"]).logFormat == .json)
        #expect(LambdaEnvironment([:]).logFormat == .text)
    }
}
