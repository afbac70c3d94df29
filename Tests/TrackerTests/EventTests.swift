import Testing
import Tracker

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
