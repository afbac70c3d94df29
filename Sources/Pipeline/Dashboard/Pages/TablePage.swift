import Tracker

/// A page whose tables can be sorted and downloaded: it renders them from `tables`, and a download is one of
/// them as CSV.
protocol TablePage {
    /// Every table the page shows, each with an id of its own.
    var tables: [DataTable] { get }

    /// The page, its tables shown through `view`.
    func render(_ view: TableView) -> HTML
}

extension [DataTable] {
    /// The table with this id (a page asks only for its own).
    func named(_ id: String) -> DataTable {
        guard let table = first(where: { $0.id == id }) else { preconditionFailure("no table \(id) on the page") }
        return table
    }
}
