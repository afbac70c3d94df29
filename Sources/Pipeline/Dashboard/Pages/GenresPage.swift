import ReadModel
import Tracker
import Trends

/// The genres: those the trend engine finds rising at the range's end, where each genre sells, each genre's
/// leading artists, and every genre of the range.
struct GenresPage {
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

    /// The page's figures: with a second connection (`other`), the rising genres (the trend engine's scan) are
    /// read there while the rankings, heatmap and leaders are read on the first.
    static func fetch(_ query: DashboardQuery, other: DashboardQuery? = nil, _ filter: DashboardFilter, now: Int64)
        async throws -> GenresPage
    {
        let at = min(filter.to.end, now - now % 3600)
        let (first, rising) = try await TwoConnections.read(
            query, other: other,
            first: { query in
                let ranked = try await query.genres(filter, limit: 40)
                let top = Array(ranked.prefix(12))
                let countries = try await query.countries(filter, limit: 10)
                let cells = try await query.heatmap(filter, genres: top.map(\.key), countries: countries.map(\.key))
                let leaders = try await query.topArtists(filter, genres: Array(top.prefix(8)).map(\.key))
                return (ranked, countries, cells, leaders)
            },
            second: { try await $0.risingGenres(at: at) })
        return GenresPage(
            filter: filter, testedAt: at, rising: rising, ranked: first.0, countries: first.1, cells: first.2,
            leaders: first.3)
    }

    /// A rule's window in words (`24 hours`, `7 days`): never its id.
    static func window(_ rule: String) -> String {
        TrendRule.standard.first { $0.id == rule }.map { Breakout.span($0.windowHours) } ?? "—"
    }

    func render() -> HTML {
        let filter = filter
        var html: HTML = "<h1>Genres</h1>\n"
        var rows = HTML()
        for genre in rising {
            rows += """
                <tr><td><a href="\(filter.link("/genres") { $0.genre = genre.key })">\(genre.name)</a></td>\
                <td>\(Self.window(genre.rule))</td><td>\(genre.kind.rawValue)</td>\
                <td class="num">\(Format.decimal(genre.perDayBefore, places: 1))</td>\
                <td class="num">\(Format.decimal(genre.perDayNow, places: 1))</td>\
                <td class="num">×\(Format.decimal(genre.estimate, places: 2))</td>\
                <td class="num">×\(Format.decimal(genre.lowerBound, places: 2))</td>\
                <td class="num">\(Format.decimal(genre.qValue, places: 4))</td></tr>

                """
        }
        html += PageParts.panel(
            "Rising genres",
            rising.isEmpty
                ? "<p class=\"empty\">The trend engine finds no genre rising at \(Format.timestamp(testedAt)).</p>\n"
                : """
                <div class="scroll"><table><caption>The trend engine's genre rules at \(Format.timestamp(testedAt)) \
                (site-wide: only the range's end applies). Rate: sales a day now and in the baseline; rise: the \
                estimated ratio of shares, and its lower confidence bound; q: the false discovery rate.</caption>
                <thead><tr><th>Genre</th><th>Over</th><th>Kind</th><th class="num">Before /day</th>\
                <th class="num">Now /day</th><th class="num">Rise</th><th class="num">At least</th>\
                <th class="num">q</th></tr></thead><tbody>
                \(rows)</tbody></table></div>

                """)
        html += PageParts.panel(
            "Where each genre sells",
            Charts.heatmap(
                genres: top, countries: countries, cells: cells,
                link: { genre, country in
                    filter.link("/genres") {
                        $0.genre = genre
                        $0.country = country
                    }
                }))
        var leaderHTML = HTML()
        for genre in withLeaders {
            leaderHTML += Charts.ranking(
                leaders[genre.key] ?? [], link: PageParts.artistLink(filter),
                caption: "\(genre.name): \(Format.count(genre.sales)) sales", empty: "")
        }
        html += PageParts.panel("Each genre's top artists", "<div class=\"grid\">\(leaderHTML)</div>")
        html += PageParts.panel(
            "All genres in the range",
            Charts.ranking(
                ranked, link: { row in filter.link("/genres") { $0.genre = row.key } }, caption: "The 40 best-selling",
                empty: "No sale in this range has a genre yet."))
        return html
    }
}
