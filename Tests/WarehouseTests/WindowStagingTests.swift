import Foundation
import Testing
import Tracker

@testable import Warehouse

/// The stage policy and the parse of a window, with no database: real items in, COPY text out.
@Suite("A window read into stages of COPY text")
struct WindowStagingTests {
    static let domain = SaleDomain(now: 1_800_000_000)
    var domain: SaleDomain { Self.domain }

    /// The 587 real items as a window of one event each, as text.
    static func window(extraEvents: [String] = []) throws -> [UInt8] {
        let items = try FeedFixtures.text("items-2023-07.json")
        let array = try #require(try JSONSerialization.jsonObject(with: Data(items.utf8)) as? [Any])
        let events = try array.map { item in
            String(
                decoding: try JSONSerialization.data(withJSONObject: ["event_type": "sale", "items": [item]]),
                as: UTF8.self)
        }
        return Array(Harness.windowJSON(start: 1_688_672_800, end: 1_690_218_500, events: events + extraEvents).utf8)
    }

    /// Reads a window in slices, taking the stages the policy gives out, then the last.
    static func stages(
        of window: [UInt8], stageSize: Int, slice: Int, rejectsKept: Int = 1000, domain: SaleDomain = domain
    ) throws -> (
        stages: [[UInt8]], staging: WindowStaging
    ) {
        var staging = WindowStaging(stageSize: stageSize, rejectsKept: rejectsKept, domain: domain)
        var stages: [[UInt8]] = []
        var start = 0
        while start < window.count {
            try staging.read(window[start..<min(window.count, start + slice)])
            start += slice
            if let stage = staging.fullStage() { stages.append(stage) }
        }
        _ = try staging.finish()
        let last = staging.takeStage()
        if !last.isEmpty { stages.append(last) }
        return (stages, staging)
    }

    @Test("small stages hold the same rows, in the same order, as one stage")
    func sameRows() throws {
        let window = try Self.window()
        let one = try Self.stages(of: window, stageSize: 1 << 30, slice: window.count)
        let many = try Self.stages(of: window, stageSize: 4096, slice: 97)
        #expect(one.stages.count == 1 && many.stages.count > 10)
        #expect(many.stages.flatMap { $0 } == one.stages[0])
        #expect(one.staging.items == 587 && one.staging.events == 587 && many.staging.items == 587)
        let rows = one.stages[0].filter { $0 == 0x0A }.count
        #expect(rows + one.staging.rejectedCount == 587)
    }

    @Test("every stage but the last is at least the policy's size, doubling from the first up to the largest")
    func policy() throws {
        var staging = WindowStaging(stageSize: 10_000, rejectsKept: 0, domain: domain)
        #expect(staging.firstStageSize == 10_000 && staging.nextStageSize == 10_000)
        let large = WindowStaging(stageSize: 32 << 20, rejectsKept: 0, domain: domain)
        #expect(large.firstStageSize == 4 << 20 && large.nextStageSize == 4 << 20)
        let many = try Self.stages(of: try Self.window(), stageSize: 10_000, slice: 211)
        #expect(many.stages.dropLast().allSatisfy { $0.count >= 10_000 })
        #expect(staging.takeStage().isEmpty && staging.stages == 0, "an empty stage is no stage")
    }

    @Test("rejected items are all counted, and kept up to the limit, with their place")
    func rejects() throws {
        let bad = #"{"event_type":"sale","utc_date":1688672801.5,"items":[{"utc_date":1688672801.6,"item_type":"a"}]}"#
        let window = try Self.window(extraEvents: Array(repeating: bad, count: 3))
        let kept = try Self.stages(of: window, stageSize: 1 << 30, slice: 1000, rejectsKept: 2)
        #expect(kept.staging.rejectedCount >= 3 && kept.staging.rejected.count == 2)
        #expect(kept.staging.rejected.first?.event ?? 0 >= 587)
        #expect(kept.staging.events == 590)
    }

    @Test("a window cut short is an error, not a stage")
    func truncated() throws {
        let window = try Self.window()
        var staging = WindowStaging(stageSize: 1 << 20, rejectsKept: 10, domain: domain)
        try staging.read(window.prefix(window.count / 2))
        #expect(throws: SalesfeedError.self) { try staging.finish() }
    }
}
