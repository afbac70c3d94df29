import ReadModel
import Tracker

/// The overview: who is rising now, the range's headline figures against the range before, sales and revenue per day, and the
/// leading genres, artists, releases and item types.
struct OverviewPage: TablePage {
    var filter: DashboardFilter
    var totals: Totals
    var before: Totals
    var daily: [DayPoint]
    var coverage: Double
    var genres: [RankedRow]
    var artists: [RankedRow]
    var releases: [RankedRow]
    var itemTypes: [RankedRow]
    var rising: RisingPanel
    /// Days of the range before with sales loaded.
    var loadedBefore: Int

    /// The page's figures: with a second connection (`other`), the range before, the artists, the genres and the
    /// coverage are read there while the range's figures, releases, days and item types are read on the first.
    static func fetch(_ query: DashboardQuery, other: DashboardQuery? = nil, _ filter: DashboardFilter, now: Int64)
        async throws -> OverviewPage
    {
        let rising = RisingPanel.span(filter, now: now)
        let (first, second) = try await TwoConnections.read(
            query, other: other,
            first: { query in
                (
                    try await query.totals(filter), try await query.releases(filter), try await query.daily(filter),
                    try await query.itemTypes(filter)
                )
            },
            second: { query in
                (
                    try await query.totals(filter.previous), try await query.artists(filter),
                    try await query.genres(filter), try await query.coverage(filter, now: now),
                    try await query.breakouts(rising),
                    try await query.loadedDays(filter.previous)
                )
            })
        return OverviewPage(
            filter: filter, totals: first.0, before: second.0, daily: first.2, coverage: second.3, genres: second.2,
            artists: second.1, releases: first.1, itemTypes: first.3,
            rising: RisingPanel(
                breakouts: second.4.breakouts, evaluations: second.4.evaluations,
                through: rising.through, filter: filter),
            loadedBefore: second.5)
    }

    var tables: [DataTable] {
        let filter = filter
        return [
            Charts.ranking(
                "genres", genres, name: "Genre", link: { row in filter.link("/genres") { $0.genre = row.key } },
                caption: "A sale counts for each genre of its release", empty: "No sale in this range has a genre yet."),
            Charts.ranking(
                "artists", artists, name: "Artist", link: PageParts.artistLink(filter),
                caption: "By sales in the range",
                empty: "No sales in this range."),
            Charts.ranking(
                "releases", releases, name: "Release", link: { $0.url }, caption: "By sales; links go to Bandcamp",
                empty: "No sales in this range."),
            Charts.ranking(
                "types", itemTypes, name: "Item type", link: { row in filter.link("/") { $0.itemType = row.key } },
                total: totals.sales, caption: "Digital, physical and bundles", empty: "No sales in this range."),
        ]
    }

    func render(_ view: TableView) -> HTML {
        var html: HTML = "<h1>Overview</h1>\n"
        html += rising.render()
        html += PageParts.cards(
            PageParts.totalsCards(totals, before: before) + [
                (
                    "Artists", Format.count(totals.artists),
                    Change.between(Double(before.artists), Double(totals.artists))
                ),
                (
                    "Releases", Format.count(totals.releases),
                    Change.between(Double(before.releases), Double(totals.releases))
                ),
                (
                    "Median paid", totals.medianPaidUSD.map(Format.usd) ?? "—",
                    before.medianPaidUSD.map { Change.between($0.value, totals.medianPaidUSD?.value ?? 0) } ?? .none
                ),
                (
                    "Paid more than asked", totals.paidMoreShare.map(Format.percent) ?? "—",
                    Change.points(before.paidMoreShare, totals.paidMoreShare)
                ),
            ], loadedBefore: (loadedBefore, filter.previous.days))
        let missing = coverage < 0.98 ? ": figures for the missing time are absent, not zero" : ""
        let comparison =
            loadedBefore < filter.previous.days
            ? "Not compared with the \(filter.days) days before (\(filter.previous.from.iso) to "
                + "\(filter.previous.to.iso)): only \(loadedBefore) of them have sales loaded."
            : "Changes against the \(filter.days) days before (\(filter.previous.from.iso) to "
                + "\(filter.previous.to.iso))."
        html += """
            <p class="scope">\(comparison) Buyers from \(Format.count(totals.countries, "country", "countries")). The loaded feed \
            covers \(Format.percent(coverage)) of the range\(missing).</p>

            """
        html += "<div class=\"grid\">"
        html += PageParts.panel(
            "Sales per day",
            Charts.daily(
                daily, value: { Double($0.sales) }, label: { Format.decimal($0, places: 0) }, title: "Sales per day"))
        html += PageParts.panel(
            "Revenue per day (USD)",
            Charts.daily(
                daily, value: \.revenueUSD, label: { "$" + Format.decimal($0, places: 0) }, title: "Revenue per day"))
        html += "</div>\n<div class=\"grid\">"
        let tables = tables
        html += PageParts.panel("Top genres", view.html(tables.named("genres")))
        html += PageParts.panel("Top artists", view.html(tables.named("artists")))
        html += PageParts.panel("Top releases", view.html(tables.named("releases")))
        html += PageParts.panel("What sold", view.html(tables.named("types")))
        html += "</div>\n"
        return html
    }
}
