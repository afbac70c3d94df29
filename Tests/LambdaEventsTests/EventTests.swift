import LambdaEvents
import Testing

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

@Suite("The sample events decode as AWS sends them")
struct EventTests {
    /// The repository's `events/` folder.
    static let events = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("events")

    @Test("scheduled events", arguments: ["extract-scheduled.json", "report-scheduled.json", "alert-scheduled.json"])
    func scheduled(file: String) throws {
        let data = try Data(contentsOf: Self.events.appendingPathComponent(file))
        let event = try JSONDecoder().decode(EventBridgeEvent<ScheduledEventDetail>.self, from: data)
        #expect(event.detailType == "Scheduled Event")
        #expect(event.source == "aws.events")
        #expect(event.resources.first?.hasPrefix("arn:aws:events:") == true)
    }

    @Test("an S3 Object Created event delivered by EventBridge")
    func objectCreated() throws {
        let data = try Data(contentsOf: Self.events.appendingPathComponent("s3-object-created.json"))
        let event = try JSONDecoder().decode(EventBridgeEvent<S3ObjectCreatedDetail>.self, from: data)
        #expect(event.detailType == "Object Created")
        #expect(event.detail.bucket.name == "bandcamp-tracker-data")
        #expect(event.detail.object.key == "raw/salesfeed/2025/06/10/19/1749583860-1749584460.json.gz")
        #expect(event.detail.object.size == 48213)
        #expect(event.detail.reason == "PutObject")
    }
}

@Suite("EventBridge triggers: the kinds a function takes, and the others named")
struct EventBridgeTriggerTests {
    private struct Request: Decodable {
        var trigger: EventBridgeTrigger?
        init(from decoder: any Decoder) throws {
            trigger = try EventBridgeTrigger.decode(from: decoder, function: "Report", accepts: [.scheduled])
        }
    }

    private struct StorageRequest: Decodable {
        var trigger: EventBridgeTrigger?
        init(from decoder: any Decoder) throws {
            trigger = try EventBridgeTrigger.decode(
                from: decoder, function: "Load", accepts: [.objectCreated, .scheduled])
        }
    }

    @Test("a schedule gives its time; an object its key and ETag; a command no trigger")
    func triggers() throws {
        let scheduled = try Data(contentsOf: EventTests.events.appendingPathComponent("report-scheduled.json"))
        guard case .scheduled(let time) = try JSONDecoder().decode(Request.self, from: scheduled).trigger else {
            Issue.record("no schedule")
            return
        }
        #expect(time.hasPrefix("20") && time.hasSuffix("Z"))
        let created = try Data(contentsOf: EventTests.events.appendingPathComponent("s3-object-created.json"))
        #expect(
            try JSONDecoder().decode(StorageRequest.self, from: created).trigger
                == .objectCreated(
                    key: "raw/salesfeed/2025/06/10/19/1749583860-1749584460.json.gz",
                    etag: "b1946ac92492d2347c6235b4d2611184"))
        #expect(try JSONDecoder().decode(Request.self, from: Data(#"{"date":"2026-11-22"}"#.utf8)).trigger == nil)
    }

    @Test("a kind the function does not take is an error that names both")
    func otherKinds() throws {
        let created = try Data(contentsOf: EventTests.events.appendingPathComponent("s3-object-created.json"))
        #expect {
            _ = try JSONDecoder().decode(Request.self, from: created)
        } throws: { error in
            "\(error)".contains("Report takes 'Scheduled Event' events, not 'Object Created'")
        }
    }
}
