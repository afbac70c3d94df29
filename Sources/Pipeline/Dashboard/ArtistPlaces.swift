import ReadModel
import Tracker

/// The sales of releases by where their artists say they are: the location lines gathered by the town the gazetteer
/// places them at, most sales first, and the sales of lines it could not place.
struct ArtistPlaces {
    struct Row: Equatable {
        var place: Gazetteer.Place
        var sales: Int
        /// Sellers with sales, summed over the lines that name the town (a seller whose releases write it two
        /// ways counts twice).
        var artists: Int
        var revenueUSD: Money
    }

    var rows: [Row]
    /// Sales of releases whose location line names no town the gazetteer has.
    var unplacedSales: Int

    init(_ locations: [LocationSales], gazetteer: Gazetteer = .world) {
        var byPlace: [Gazetteer.Place: (sales: Int, artists: Int, cents: Int)] = [:]
        var unplaced = 0
        for line in locations {
            guard let place = gazetteer.place(line.location) else {
                unplaced += line.sales
                continue
            }
            var row = byPlace[place] ?? (0, 0, 0)
            row.sales += line.sales
            row.artists += line.artists
            row.cents += line.revenueUSD.cents
            byPlace[place] = row
        }
        rows = byPlace.map { place, row in
            Row(place: place, sales: row.sales, artists: row.artists, revenueUSD: Money(cents: row.cents))
        }.sorted { ($0.sales, $0.place.population) > ($1.sales, $1.place.population) }
        unplacedSales = unplaced
    }
}
