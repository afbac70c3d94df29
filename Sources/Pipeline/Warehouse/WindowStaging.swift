import Tracker

/// A sales window read into stages of COPY text, pure: inflated JSON in, the stages' text out, with the counts
/// and rejects of what was read. The stage policy: the first stage is small, so that the server starts early,
/// and each is twice the one before (the parse is several times faster than the server's move), up to
/// `stageSize`.
struct WindowStaging {
    /// The largest stage, in bytes of COPY text.
    let stageSize: Int
    /// The first stage's size.
    let firstStageSize: Int
    /// Rejected items kept (all are counted).
    let rejectsKept: Int

    private var reader = SalesfeedReader()
    private var text: CopyText
    private var rows: [SaleRow] = []
    /// Stages given out so far.
    private(set) var stages = 0
    /// Items and events read so far (an event's index is the count before it).
    private(set) var items = 0
    private(set) var events = 0
    /// The rejected items kept, and how many there were.
    private(set) var rejected: [RejectedItem] = []
    private(set) var rejectedCount = 0

    /// The values a row may hold.
    let domain: SaleDomain

    init(stageSize: Int, rejectsKept: Int, domain: SaleDomain) {
        self.domain = domain
        self.stageSize = max(1, stageSize)
        firstStageSize = max(1, min(stageSize, 4 << 20))
        self.rejectsKept = rejectsKept
        text = CopyText(capacity: firstStageSize + (64 << 10))
    }

    /// The size the next stage is given out at.
    var nextStageSize: Int { min(stageSize, firstStageSize << min(stages, 16)) }

    /// Reads the next bytes of the window.
    /// - Throws: `SalesfeedError` for JSON that is not a sales window.
    mutating func read(_ inflated: some Collection<UInt8>) throws {
        for event in try reader.read(inflated) {
            var eventRejects: [RejectedItem] = []
            rows.removeAll(keepingCapacity: true)
            SaleRow.collect(event, eventIndex: events, domain: domain, rows: &rows, rejected: &eventRejects)
            events += 1
            items += event.items.count
            rejectedCount += eventRejects.count
            rejected += eventRejects.prefix(max(0, rejectsKept - rejected.count))
            for row in rows { row.copy(into: &text) }
        }
    }

    /// The rows read since the last stage, when they make a stage of the policy's size.
    mutating func fullStage() -> [UInt8]? {
        guard text.count >= nextStageSize else { return nil }
        return takeStage()
    }

    /// The rows read since the last stage, whatever their size (the window's last stage).
    mutating func takeStage() -> [UInt8] {
        let stage = text.take()
        if !stage.isEmpty { stages += 1 }
        return stage
    }

    /// The window's envelope, once it has been read to its end.
    /// - Throws: `SalesfeedError` when the window is cut short.
    mutating func finish() throws -> SalesfeedReader.Header {
        try reader.finish()
    }
}
