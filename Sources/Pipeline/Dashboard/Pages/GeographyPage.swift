import ReadModel
import Tracker

/// Where buyers are: the world map shaded by sales, and the countries ranked.
struct GeographyPage: TablePage {
    var filter: DashboardFilter
    var countries: [RankedRow]
    /// Every sale of the range, those of unknown countries too.
    var sales: Int

    static func fetch(_ query: DashboardQuery, _ filter: DashboardFilter) async throws -> GeographyPage {
        GeographyPage(
            filter: filter, countries: try await query.countries(filter), sales: try await query.salesCount(filter))
    }

    var tables: [DataTable] {
        let filter = filter
        return [
            Charts.ranking(
                "countries", countries, name: "Country", link: { row in filter.link("/") { $0.country = row.key } },
                total: sales, caption: "\(Format.count(countries.count)) countries; links narrow the overview to one",
                empty: "No sales in this range.")
        ]
    }

    func render(_ view: TableView) -> HTML {
        let filter = filter
        let known = countries.reduce(0) { $0 + $1.sales }
        var html: HTML = "<h1>Geography</h1>\n"
        html += PageParts.panel(
            "Sales by buyer country",
            Charts.worldMap(countries, link: { code in filter.link("/geography") { $0.country = code } })
                + "<p class=\"scope\">Shading on a logarithmic scale. \(Format.count(sales - known)) sales "
                + "without a known country are left out.</p>")
        html += PageParts.panel("Ranked", view.html(tables.named("countries")))
        return html
    }
}
