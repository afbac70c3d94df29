import ReadModel
import Tracker
import Trends

/// The genres: those the trend engine finds rising at the range's end, where each genre sells, each genre's
/// leading artists, and every genre of the range.
struct GenresPage: TablePage {
    var filter: DashboardFilter
    /// When the rising genres were tested: the range's end, or the last whole hour.
    var testedAt: Int64
    var rising: [RisingGenre]
    var ranked: [RankedRow]
    var countries: [RankedRow]
    var cells: [String: [String: Int]]
    var leaders: [String: [RankedRow]]

    /// The genres of the heatmap, and those whose leaders are shown.
    var top: [RankedRow] { Array(ranked.prefix(12)) }
    var withLeaders: [RankedRow] { Array(top.prefix(8)) }

    /// The page's figures, with a second connection (`other`) in two steps: the genres' ranking on the first
    /// while the rising genres (the trend engine's scan) and the countries are read on the other; then the
    /// heatmap on the first while the leading genres' top artists are read on the other (narrowed by more than
    /// days, or by a genre over a range no window holds, the heatmap reads `sale`: a genre's page took 1.2 s one
    /// statement after another).
    static func fetch(_ query: DashboardQuery, other: DashboardQuery? = nil, _ filter: DashboardFilter, now: Int64)
        async throws -> GenresPage
    {
        let at = min(filter.to.end, now - now % 3600)
        let (ranked, (rising, countries)) = try await TwoConnections.read(
            query, other: other, first: { try await $0.genres(filter, limit: 40) },
            second: { query in (try await query.risingGenres(at: at), try await query.countries(filter, limit: 10)) })
        let top = Array(ranked.prefix(12)).map(\.key)
        let leading = Array(top.prefix(8))
        let (cells, leaders) = try await TwoConnections.read(
            query, other: other,
            first: { try await $0.heatmap(filter, genres: top, countries: countries.map(\.key)) },
            second: { try await $0.topArtists(filter, genres: leading) })
        return GenresPage(
            filter: filter, testedAt: at, rising: rising, ranked: ranked, countries: countries, cells: cells,
            leaders: leaders)
    }

    /// A rule's window in words (`24 hours`, `7 days`): never its id.
    static func window(_ rule: String) -> String {
        TrendRule.standard.first { $0.id == rule }.map { Breakout.span($0.windowHours) } ?? "—"
    }

    var tables: [DataTable] {
        let filter = filter
        let rows = rising.map { genre -> [DataTable.Cell] in
            [
                .text(genre.name, link: filter.link("/genres") { $0.genre = genre.key }),
                .text(Self.window(genre.rule)), .text(genre.kind.rawValue),
                .decimal(genre.perDayBefore, places: 1), .decimal(genre.perDayNow, places: 1),
                .decimal(genre.estimate, places: 2, prefix: "×"),
                .decimal(genre.lowerBound, places: 2, prefix: "×"),
                .decimal(genre.qValue, places: 4),
            ]
        }
        var tables = [
            DataTable(
                id: "rising",
                caption: """
                    The trend engine's genre rules at \(Format.timestamp(testedAt)) (site-wide: only the range's end \
                    applies). Rate: sales a day now and in the baseline; rise: the estimated ratio of shares, and its \
                    lower confidence bound; q: the false discovery rate.
                    """,
                columns: [
                    .init("genre", "Genre"), .init("over", "Over", secondary: true),
                    .init("kind", "Kind", secondary: true),
                    .init("before", "Before /day", numeric: true, secondary: true),
                    .init("now", "Now /day", numeric: true), .init("rise", "Rise", numeric: true),
                    .init("bound", "At least", numeric: true, secondary: true),
                    .init("q", "q", numeric: true, secondary: true),
                ],
                rows: rows, empty: "The trend engine finds no genre rising at \(Format.timestamp(testedAt))."),
            Charts.heatmapTable(genres: top, countries: countries, cells: cells),
            Charts.ranking(
                "genres", ranked, name: "Genre", link: { row in filter.link("/genres") { $0.genre = row.key } },
                caption: "The 40 best-selling", empty: "No sale in this range has a genre yet."),
        ]
        for (index, genre) in withLeaders.enumerated() {
            tables.append(
                Charts.ranking(
                    "leaders-\(index + 1)", leaders[genre.key] ?? [], name: "Artist",
                    link: PageParts.artistLink(filter),
                    caption: "\(genre.name): \(Format.count(genre.sales)) sales", empty: ""))
        }
        return tables
    }

    func render(_ view: TableView) -> HTML {
        let filter = filter
        let tables = tables
        var html: HTML = "<h1>Genres</h1>\n"
        html += PageParts.panel("Rising genres", view.html(tables.named("rising")))
        html += PageParts.panel(
            "Where each genre sells",
            Charts.heatmap(
                genres: top, countries: countries, cells: cells, csv: view.link([("csv", "heatmap")]),
                link: { genre, country in
                    filter.link("/genres") {
                        $0.genre = genre
                        $0.country = country
                    }
                }))
        var leaderHTML = HTML()
        for index in withLeaders.indices {
            leaderHTML += view.html(tables.named("leaders-\(index + 1)"))
        }
        html += PageParts.panel("Each genre's top artists", "<div class=\"grid\">\(leaderHTML)</div>")
        html += PageParts.panel("All genres in the range", view.html(tables.named("genres")))
        return html
    }
}
