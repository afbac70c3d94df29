import ReadModel
import Tracker

/// How much more (or less) of a genre a country buys than of the heatmap's genres on average: the genre's share of
/// its sales bought from the country, against the country's share of all these genres' sales (1.0 the average).
struct HeatmapIndex {
    /// One cell: the genre's sales bought from the country, their share of the genre's, the country's share of all
    /// these genres' sales, and the one over the other.
    struct Cell {
        var sales: Int
        var share: Double
        var countryShare: Double
        var index: Double
    }

    let cells: [String: [String: Int]]
    /// Each country's share of all these genres' sales: the average a cell is measured against (worked out once).
    let countryShares: [String: Double]

    init(genres: [RankedRow], countries: [RankedRow], cells: [String: [String: Int]]) {
        self.cells = cells
        let allSales = Double(genres.reduce(0) { $0 + $1.sales })
        var shares: [String: Double] = [:]
        for country in countries {
            shares[country.key] =
                Double(genres.reduce(0) { $0 + (cells[$1.key]?[country.key] ?? 0) }) / max(allSales, 1)
        }
        countryShares = shares
    }

    func cell(_ genre: RankedRow, _ country: RankedRow) -> Cell {
        let sales = cells[genre.key]?[country.key] ?? 0
        let share = genre.sales > 0 ? Double(sales) / Double(genre.sales) : 0
        let countryShare = countryShares[country.key] ?? 0
        return Cell(
            sales: sales, share: share, countryShare: countryShare, index: countryShare > 0 ? share / countryShare : 0)
    }

    /// `1.3×`; nothing where the country bought none of the genre.
    static func shown(_ cell: Cell) -> String {
        cell.sales == 0 ? "" : Format.decimal(cell.index, places: cell.index < 10 ? 1 : 0) + "×"
    }
}
