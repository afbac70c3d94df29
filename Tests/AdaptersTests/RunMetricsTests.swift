import Adapters
import Foundation
import Testing

@Suite("Run metrics as CloudWatch's Embedded Metric Format")
struct RunMetricsTests {
    @Test("one JSON object: the metadata with its timestamp, one directive naming every metric, values at the root")
    func document() throws {
        var metrics = RunMetrics(function: "Load")
        metrics.add("SalesLoaded", 1234)
        metrics.add("ItemsRejected", 2)
        metrics.add("SalesLoaded", 1235)
        metrics.add("FeedLagSeconds", 61.5, .seconds)
        let line = metrics.line(at: 1_796_460_635_916)
        #expect(!line.contains("\n"))
        let root = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        let aws = try #require(root["_aws"] as? [String: Any])
        #expect(aws["Timestamp"] as? Int64 == 1_796_460_635_916)
        let directives = try #require(aws["CloudWatchMetrics"] as? [[String: Any]])
        #expect(directives.count == 1)
        #expect(directives[0]["Namespace"] as? String == "bandcamp-tracker")
        #expect(directives[0]["Dimensions"] as? [[String]] == [["Function"]])
        let named = try #require(directives[0]["Metrics"] as? [[String: String]])
        #expect(
            named == [
                ["Name": "ItemsRejected", "Unit": "Count"], ["Name": "SalesLoaded", "Unit": "Count"],
                ["Name": "FeedLagSeconds", "Unit": "Seconds"],
            ])
        // Every dimension and metric the directive names is a member of the root, of the right type.
        #expect(root["Function"] as? String == "Load")
        #expect(root["SalesLoaded"] as? Double == 1235 && root["ItemsRejected"] as? Double == 2)
        #expect(root["FeedLagSeconds"] as? Double == 61.5)
        #expect(Set(root.keys) == ["_aws", "Function", "SalesLoaded", "ItemsRejected", "FeedLagSeconds"])
    }
}
