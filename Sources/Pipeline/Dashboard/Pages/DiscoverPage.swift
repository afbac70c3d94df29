import ReadModel
import Tracker

/// Who to look at: the artists, releases and genres that rose most against the range before, and the artists
/// whose first sale is in the range; optionally small artists only (fewer than N sales in the 90 days before).
struct DiscoverPage: TablePage {
    var filter: DashboardFilter
    /// Only artists with fewer sales than this in the 90 days before the range.
    var smallUnder: Int?
    var artists: [Mover]
    var newArtists: [Mover]
    var releases: [Mover]
    var genres: [Mover]
    /// The first day the warehouse has a sale on.
    var firstDay: CalendarDay?
    /// Days of the range before with sales loaded.
    var loadedBefore: Int

    /// The sizes the form offers.
    static let sizes = [10, 50, 200, 1000]

    /// The `small` value of the address: a whole number of sales (1 to 1,000,000), or why not.
    static func smallUnder(_ text: String?) -> (Int?, String?) {
        guard let text = text?.trimmingSpaces(), !text.isEmpty else { return (nil, nil) }
        guard let value = Int(text), (1...1_000_000).contains(value) else {
            return (nil, "'\(text.prefix(40))' is not a number of sales (1 to 1,000,000) for small artists")
        }
        return (value, nil)
    }

    static func fetch(_ query: DashboardQuery, other: DashboardQuery?, _ filter: DashboardFilter, smallUnder: Int?)
        async throws -> DiscoverPage
    {
        let (first, second) = try await TwoConnections.read(
            query, other: other,
            first: { query in
                (
                    try await query.artistMovers(filter, smallUnder: smallUnder, limit: 30),
                    try await query.newArtists(filter, smallUnder: smallUnder, limit: 30)
                )
            },
            second: { query in
                (
                    try await query.releaseMovers(filter, smallUnder: smallUnder, limit: 30),
                    try await query.genreMovers(filter), try await query.firstSaleDay(),
                    try await query.loadedDays(filter.previous)
                )
            })
        return DiscoverPage(
            filter: filter, smallUnder: smallUnder, artists: first.0, newArtists: first.1, releases: second.0,
            genres: second.1, firstDay: second.2, loadedBefore: second.3)
    }

    var tables: [DataTable] {
        let filter = filter
        let comparable = { (mover: Mover) in
            DataTable.Cell.change(mover.change.unless(loaded: loadedBefore, of: filter.previous.days))
        }
        let artistCell = { (mover: Mover) in
            DataTable.Cell.text(
                mover.name, link: Int64(mover.key).map { id in filter.link("/artists") { $0.artist = id } },
                address: mover.url, detail: mover.detail)
        }
        let location = { (mover: Mover) in
            mover.location.map { DataTable.Cell.text($0) } ?? DataTable.Cell("—", .missing)
        }
        let genre = { (mover: Mover) in
            mover.genreKey.map { key in
                DataTable.Cell.text(mover.genreName ?? key, link: filter.link("/discover") { $0.genre = key })
            } ?? DataTable.Cell("—", .missing)
        }
        let first = { (mover: Mover) in mover.firstDay.map(DataTable.Cell.day) ?? DataTable.Cell("—", .missing) }
        let sales = DataTable.Column("sales", "Sales", numeric: true)
        let before = DataTable.Column("before", "Before", numeric: true, secondary: true)
        let change = DataTable.Column("change", "Change", numeric: true)
        let revenue = DataTable.Column("revenue", "Revenue", numeric: true, secondary: true)
        let firstSale = DataTable.Column("first", "First sale", secondary: true)
        let genreColumn = DataTable.Column("genre", "Genre", secondary: true)
        let artistColumns = [
            DataTable.Column("artist", "Artist", addressTitle: "Bandcamp page"),
            .init("based", "Based in", secondary: true), genreColumn,
        ]
        let beforeRange = "the \(filter.days) days before (\(filter.previous.from.iso) to \(filter.previous.to.iso))"
        return [
            DataTable(
                id: "rising-artists",
                caption: "Most more sales than in \(beforeRange); genre: the one their releases are most tagged with",
                columns: artistColumns + [sales, before, change, revenue, firstSale],
                rows: artists.map {
                    [
                        artistCell($0), location($0), genre($0), .count($0.sales), .count($0.before), comparable($0),
                        .usd($0.revenueUSD), first($0),
                    ]
                },
                empty: "No artist sold more than in \(beforeRange)\(smallUnder == nil ? "" : " among small artists").",
                numbered: true),
            DataTable(
                id: "new-artists",
                caption: "Artists whose first sale in the warehouse is in the range, most sales first",
                columns: artistColumns + [sales, revenue, firstSale],
                rows: newArtists.map {
                    [artistCell($0), location($0), genre($0), .count($0.sales), .usd($0.revenueUSD), first($0)]
                },
                empty: "No artist sold for the first time in this range.", numbered: true),
            DataTable(
                id: "rising-releases", caption: "Most more sales than in \(beforeRange); links go to Bandcamp",
                columns: [
                    DataTable.Column("release", "Release", addressTitle: "Bandcamp page"), genreColumn,
                    sales, before, change, revenue,
                ],
                rows: releases.map {
                    [
                        .text($0.name, link: $0.url, address: $0.url, detail: $0.detail), genre($0), .count($0.sales),
                        .count($0.before), comparable($0), .usd($0.revenueUSD),
                    ]
                },
                empty: "No release sold more than in \(beforeRange).", numbered: true),
            DataTable(
                id: "rising-genres", caption: "A sale counts for each genre of its release",
                columns: [DataTable.Column("genre", "Genre"), sales, before, change, revenue],
                rows: genres.map { mover in
                    [
                        .text(mover.name, link: filter.link("/discover") { $0.genre = mover.key }), .count(mover.sales),
                        .count(mover.before), comparable(mover), .usd(mover.revenueUSD),
                    ]
                },
                empty: "No genre sold more than in \(beforeRange).", numbered: true),
        ]
    }

    func render(_ view: TableView) -> HTML {
        let tables = tables
        var html: HTML = "<h1>Discover</h1>\n"
        let hidden = PageParts.hiddenFields(filter)
        var options: HTML = "<option value=\"\">Any size</option>"
        for size in Self.sizes {
            let selected: HTML = smallUnder == size ? " selected" : ""
            options += """
                <option value="\(size)"\(selected)>Under \(Format.count(size)) sales in the \
                \(DashboardQuery.smallArtistDays) days before</option>
                """
        }
        if let smallUnder, !Self.sizes.contains(smallUnder) {
            options += """
                <option value="\(smallUnder)" selected>Under \(Format.count(smallUnder)) sales in the \
                \(DashboardQuery.smallArtistDays) days before</option>
                """
        }
        html += """
            <form class="filters" method="get" action="/discover">\(hidden)\
            <label>Artists <select name="small">\(options)</select></label>\
            <button type="submit">Show</button></form>

            """
        html += "<p class=\"scope\">\(scope)</p>\n"
        html += PageParts.panel("Artists rising most", view.html(tables.named("rising-artists")))
        var newPanel = HTML()
        if let firstDay, firstDay >= filter.from {
            newPanel += """
                <p class="notice">The warehouse's sales start on \(firstDay.iso), inside this range: every artist \
                looks new. Choose a range that starts later to see who is new.</p>

                """
        }
        newPanel += view.html(tables.named("new-artists"))
        html += PageParts.panel("New artists", newPanel)
        html += "<div class=\"grid wide\">"
        html += PageParts.panel("Releases rising most", view.html(tables.named("rising-releases")))
        html += PageParts.panel("Genres rising most", view.html(tables.named("rising-genres")))
        html += "</div>\n"
        return html
    }

    /// What the lists compare with, and what the warehouse's history lets them say.
    var scope: String {
        var parts: [String] = []
        let previous = filter.previous
        if loadedBefore < previous.days {
            parts.append(
                "Changes are not comparable: only \(loadedBefore) of the \(previous.days) days before "
                    + "(\(previous.from.iso) to \(previous.to.iso)) have sales loaded, so \"before\" counts those.")
        } else {
            parts.append(
                "Against the \(previous.days) days before (\(previous.from.iso) to \(previous.to.iso)).")
        }
        if let smallUnder {
            let start = filter.from.adding(days: -Int64(DashboardQuery.smallArtistDays))
            var small =
                "Small artists only: fewer than \(Format.count(smallUnder)) sales from \(start.iso) to "
                + "\(filter.from.adding(days: -1).iso) (all their sales, whatever the filter)"
            if let firstDay, firstDay > start {
                small += " (the warehouse has sales from \(firstDay.iso) only: some may be bigger than they look)"
            }
            parts.append(small + ".")
        }
        if let firstDay { parts.append("The warehouse's sales start on \(firstDay.iso).") }
        return parts.joined(separator: " ")
    }
}
