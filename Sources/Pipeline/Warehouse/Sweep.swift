import Adapters
import Postgres
import Tracker

/// What a sweep did.
public struct SweepSummary: Codable, Sendable, Equatable {
    /// Raw objects listed.
    public var listed = 0
    /// Objects loaded now.
    public var loaded = 0
    /// Objects found failed now (malformed).
    public var failed = 0
    /// Objects the ledger already had (loaded, or failed with the same ETag).
    public var skipped = 0
    /// Sales new to the warehouse; sales it already had; items refused (each named in `load_reject`).
    public var inserted = 0
    public var duplicates = 0
    public var rejected = 0
    /// Whether it stopped before the end for lack of time (the next sweep goes on).
    public var stoppedEarly = false

    public init() {}
}

extension Loader {
    /// Loads every raw object the ledger does not have with its current ETag: the sales windows of the last
    /// `days` days (by their dated keys; all of them when `nil`) and every release page. A lost event loses
    /// nothing.
    /// - Parameters:
    ///   - now: Seconds since 1970.
    ///   - deadline: When to stop starting new objects (the function's time left, less a margin).
    ///   - progress: Told of each object loaded, for a person watching.
    public func sweep(
        days: Int?, now: Int64, deadline: ContinuousClock.Instant? = nil,
        progress: (@Sendable (LoadOutcome, SweepSummary) -> Void)? = nil
    ) async throws -> SweepSummary {
        var summary = SweepSummary()
        var prefixes: [String] = []
        if let days {
            for day in stride(from: max(0, days - 1), through: 0, by: -1) {
                prefixes.append(RawKeys.salesfeedDay(now - Int64(day) * 86_400))
            }
        } else {
            prefixes.append(RawKeys.salesfeedPrefix)
        }
        prefixes.append(RawKeys.releasesPrefix)
        for prefix in prefixes {
            var after: String?
            while true {
                let page = try await store.list(prefix: prefix, startAfter: after, limit: 1000)
                guard let last = page.last else { break }
                after = last.key
                summary.listed += page.count
                let known = try await ledger(for: page.map(\.key))
                for object in page {
                    if known[object.key] == object.etag {
                        summary.skipped += 1
                        continue
                    }
                    if let deadline, ContinuousClock.now >= deadline {
                        summary.stoppedEarly = true
                        return summary
                    }
                    // The listing described it and the ledger lacks this version: no HEAD, no second look.
                    let outcome: LoadOutcome
                    do {
                        outcome = try await load(object)
                    } catch let error as PostgresError where error.code == .connection {
                        throw error
                    } catch let error as CancellationError {
                        throw error
                    } catch {
                        // One object's failure (the store, a statement) stops nothing: the next sweep tries it
                        // again; the database being unreachable ends the sweep above.
                        logger.error("not loaded", metadata: ["key": "\(object.key)", "error": "\(error)"])
                        summary.failed += 1
                        progress?(LoadOutcome(key: object.key, status: .failed, reason: "\(error)"), summary)
                        continue
                    }
                    switch outcome.status {
                    case .loaded: summary.loaded += 1
                    case .failed: summary.failed += 1
                    case .alreadyLoaded, .ignored: summary.skipped += 1
                    }
                    let sales = outcome.status == .loaded && object.key.hasPrefix(RawKeys.salesfeedPrefix)
                    summary.inserted += sales ? outcome.inserted : 0
                    summary.duplicates += sales ? outcome.duplicates : 0
                    summary.rejected += sales ? outcome.rejected : 0
                    progress?(outcome, summary)
                }
                if page.count < 1000 { break }
            }
        }
        return summary
    }

    /// The ledger's ETag of each key it has (loaded, or failed: a version that failed is not tried again).
    private func ledger(for keys: [String]) async throws -> [String: String] {
        guard !keys.isEmpty else { return [:] }
        var result: [String: String] = [:]
        for row in try await db.query(
            "SELECT object_key, etag FROM load_ledger WHERE object_key = ANY(\(keys)::text[])")
        {
            result[try row.decode("object_key")] = try row.decode("etag", as: String.self)
        }
        return result
    }
}
