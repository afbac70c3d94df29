import ReadModel
import Tracker

/// Where buyers are (the world map shaded by sales, and the countries ranked), and where the artists they buy
/// from say they are (a circle a town, and the towns ranked).
struct GeographyPage: TablePage {
    var filter: DashboardFilter
    var countries: [RankedRow]
    /// Every sale of the range, those of unknown countries too.
    var sales: Int
    /// The artists' towns.
    var places: ArtistPlaces
    /// Sales of releases whose page gives a location line.
    var located: Int

    static func fetch(_ query: DashboardQuery, _ filter: DashboardFilter) async throws -> GeographyPage {
        let locations = try await query.locations(filter)
        return GeographyPage(
            filter: filter, countries: try await query.countries(filter), sales: try await query.salesCount(filter),
            places: ArtistPlaces(locations), located: locations.reduce(0) { $0 + $1.sales })
    }

    var tables: [DataTable] {
        let filter = filter
        return [
            Charts.ranking(
                "countries", countries, name: "Country", link: { row in filter.link("/") { $0.country = row.key } },
                total: sales,
                caption: "\(Format.count(countries.count, "country", "countries")); links narrow the overview to one",
                empty: "No sales in this range."),
            DataTable(
                id: "places",
                caption: "Towns by the sales of the releases whose artists say they are there; the 50 first",
                columns: [
                    .init("town", "Town"), .init("artists", "Artists", numeric: true, secondary: true),
                    .init("sales", "Sales", numeric: true), .init("share", "Share", numeric: true, secondary: true),
                    .init("revenue", "Revenue", numeric: true),
                ],
                rows: places.rows.prefix(50).map { row in
                    [
                        .text(row.place.name, detail: CountryNames.name(row.place.country) ?? row.place.country),
                        .count(row.artists), .count(row.sales),
                        .percent(sales > 0 ? Double(row.sales) / Double(sales) : 0),
                        .usd(row.revenueUSD),
                    ]
                }, empty: "No release sold in this range gives a town the map knows.", numbered: true),
        ]
    }

    func render(_ view: TableView) -> HTML {
        let filter = filter
        let tables = tables
        let known = countries.reduce(0) { $0 + $1.sales }
        let placed = places.rows.reduce(0) { $0 + $1.sales }
        var html: HTML = "<h1>Geography</h1>\n"
        // Buyers beside artists: the two maps in a row on a desktop, then their rankings.
        html += "<div class=\"grid wide\">"
        html += PageParts.panel(
            "Where the buyers are",
            Charts.worldMap(countries, link: { code in filter.link("/geography") { $0.country = code } })
                + "<p class=\"scope\">Shading on a logarithmic scale. \(Format.count(sales - known)) sales "
                + "without a known country are left out.</p>")
        html += PageParts.panel(
            "Where the artists are based",
            Charts.placesMap(places.rows)
                + """
                <p class="scope">Each circle a town, its area the sales of the releases whose page says their \
                artist is there. \(Format.count(placed)) sales placed; \(Format.count(places.unplacedSales)) \
                more name a place too small or too unusual for the map (it knows towns of 15,000 people or more, \
                from GeoNames), and \(Format.count(sales - located)) come from releases whose page gives no place \
                (or is not read yet).</p>

                """)
        html += PageParts.panel("Buyer countries", view.html(tables.named("countries")))
        html += PageParts.panel("Artists' towns", view.html(tables.named("places")))
        html += "</div>\n"
        return html
    }
}
