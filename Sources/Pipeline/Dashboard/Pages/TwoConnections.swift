import ReadModel

/// A page's queries in two halves: the second on another connection (when there is one) while the first runs on
/// the page's own; without one, after it.
enum TwoConnections {
    static func read<First, Second: Sendable>(
        _ query: DashboardQuery, other: DashboardQuery?, first: (DashboardQuery) async throws -> First,
        second: @escaping @Sendable (DashboardQuery) async throws -> Second
    ) async throws -> (First, Second) {
        let pending = other.map { other in Task { try await second(other) } }
        do {
            let firstHalf = try await first(query)
            let secondHalf = if let pending { try await pending.value } else { try await second(query) }
            return (firstHalf, secondHalf)
        } catch {
            // The other connection's queries end before the error is handed on: it is free for the next page.
            _ = try? await pending?.value
            throw error
        }
    }
}
