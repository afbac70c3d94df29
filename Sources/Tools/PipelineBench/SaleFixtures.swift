import ArgumentParser
import Foundation

/// The real data generated sales are drawn from: recorded feed items (item types, buyer countries, URL shapes)
/// and the Components dataset's rows (amounts and currencies). The options of every command that makes sales.
struct SaleFixtures: ParsableArguments {
    @Option(help: "The recorded feed items (item types, buyer countries, URL shapes).")
    var items = "Tests/TrackerTests/Fixtures/salesfeed/items-2023-07.json"

    @Option(help: "Rows of the Components dataset (amounts and currencies).")
    var amounts = "Tests/WarehouseTests/Fixtures/components-sample.csv"

    /// The recorded items and the amounts.
    /// - Throws: `ValidationError` when either is empty; what reading them throws.
    func load() throws -> (recorded: [[String: Any]], money: [GenerateSales.Amount]) {
        let recorded =
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: items))) as? [[String: Any]]
            ?? []
        let money = try GenerateSales.amountRows(amounts)
        guard !recorded.isEmpty, !money.isEmpty else { throw ValidationError("no fixtures to draw from") }
        return (recorded, money)
    }
}
