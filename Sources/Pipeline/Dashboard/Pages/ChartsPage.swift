import LambdaEvents
import ReadModel
import Tracker

/// Spotify's charts: leading songs and artists, debuts by weekday, the first weeks after a debut, and the
/// artists who are both on the charts and selling on Bandcamp.
struct ChartsPage: TablePage {
    typealias Region = (region: String, daily: Int, weekly: Int, first: CalendarDay, last: CalendarDay)

    /// The charts shown, and what they say.
    struct Shown {
        var regions: [Region]
        var chosen: Region
        var scope: ChartScope
        var explicitRange: Bool
        var songs: [ChartLeader]
        var artists: [ChartLeader]
        var weekdays: [WeekdayRow]
        var firstPeriods: [FirstPeriodsRow]
        var shared: [SharedArtist]
    }

    var filter: DashboardFilter
    /// Nil when no chart has been imported.
    var shown: Shown?
    /// What in the request was ignored.
    var notices: [String]

    static func fetch(
        _ query: DashboardQuery, _ filter: DashboardFilter, region asked: String?, period askedPeriod: String?,
        explicitRange: Bool
    ) async throws -> ChartsPage {
        var notices: [String] = []
        let regions = try await query.chartRegions()
        guard !regions.isEmpty else { return ChartsPage(filter: filter, shown: nil, notices: []) }
        var chosen = regions[0]
        if let asked {
            if let match = regions.first(where: { $0.region == asked.lowercased() }) {
                chosen = match
            } else {
                notices.append("Ignored: there are no charts of the region '\(asked)'.")
            }
        }
        var period = chosen.weekly > 0 ? "weekly" : "daily"
        if let askedPeriod {
            if askedPeriod == "daily" || askedPeriod == "weekly" {
                period = askedPeriod
            } else {
                notices.append("Ignored: the period must be daily or weekly.")
            }
        }
        let to = explicitRange ? filter.to : chosen.last
        let from = explicitRange ? filter.from : max(chosen.first, to.adding(days: period == "weekly" ? -181 : -89))
        let scope = ChartScope(region: chosen.region, period: period, from: from, to: to)
        let shown = Shown(
            regions: regions, chosen: chosen, scope: scope, explicitRange: explicitRange,
            songs: try await query.chartLeaders(scope, byArtist: false),
            artists: try await query.chartLeaders(scope, byArtist: true),
            weekdays: try await query.debutWeekdays(scope), firstPeriods: try await query.firstPeriods(scope),
            shared: try await query.sharedArtists(filter))
        return ChartsPage(filter: filter, shown: shown, notices: notices)
    }

    var tables: [DataTable] {
        guard let shown else { return [] }
        let filter = filter
        let period = shown.scope.period
        let unit = period == "weekly" ? "weeks" : "days"
        var tables: [DataTable] = []
        for (id, byArtist, leaders) in [("songs", false, shown.songs), ("chart-artists", true, shown.artists)] {
            let what =
                byArtist
                ? "a song's streams count for each of its artists" : "best rank, \(unit) at #1, \(unit) on the chart"
            tables.append(
                DataTable(
                    id: id, caption: "By streams over the range's \(period) charts; \(what)",
                    columns: [
                        .init("name", byArtist ? "Artist" : "Song"), .init("streams", "Streams", numeric: true),
                        .init("best", "Best", numeric: true), .init("top", "At #1", numeric: true, secondary: true),
                        .init("on", "On chart", numeric: true, secondary: true),
                    ],
                    rows: leaders.map { leader in
                        [
                            .text(leader.name, detail: leader.detail), .count(Int(leader.streams)),
                            .count(leader.bestRank), .count(leader.periodsAtTop), .count(leader.appearances),
                        ]
                    }, empty: "No \(period) chart of this region in the range.", numbered: true))
        }
        tables.append(
            DataTable(
                id: "weekdays",
                caption: """
                    Songs' first day on the daily chart, by weekday (a song's release shows here as its debut: the \
                    exports carry no release date). Median debut rank and streams; share debuting in the top 50.
                    """,
                columns: [
                    .init("weekday", "Weekday"), .init("debuts", "Debuts", numeric: true),
                    .init("rank", "Rank", numeric: true), .init("streams", "Streams", numeric: true),
                    .init("top", "Top 50", numeric: true),
                ],
                rows: !shown.weekdays.contains(where: { $0.debuts > 0 })
                    ? []
                    : shown.weekdays.map { day in
                        [
                            .text(CalendarDay.weekdays[day.weekday % 7]), .count(day.debuts),
                            .decimal(day.medianRank, places: 0),
                            .decimal(day.medianStreams, places: 0),
                            .percent(day.debuts > 0 ? Double(day.topFifty) / Double(day.debuts) : nil),
                        ]
                    }, empty: "Debuts need the region's daily charts, day after day; there are none in the range."))
        tables.append(
            DataTable(
                id: "first",
                caption: """
                    Songs that debuted in the range: of those whose nth \(period == "weekly" ? "week" : "day") the \
                    charts in hand cover, the share still charting, their median streams against their debut's, and \
                    their median rank.
                    """,
                columns: [
                    .init("after", "After"), .init("songs", "Songs", numeric: true),
                    .init("charting", "Still charting", numeric: true),
                    .init("streams", "Streams vs debut", numeric: true), .init("rank", "Rank", numeric: true),
                ],
                rows: shown.firstPeriods.first.map({ $0.covered > 0 }) != true
                    ? []
                    : shown.firstPeriods.map { row in
                        [
                            .text("\(period == "weekly" ? "Week" : "Day") \(row.index)"), .count(row.covered),
                            .percent(row.covered > 0 ? Double(row.charting) / Double(row.covered) : nil),
                            .percent(row.medianOfDebut), .decimal(row.medianRank, places: 0),
                        ]
                    }, empty: "No song debuts on these charts in the range."))
        tables.append(
            DataTable(
                id: "shared",
                caption: """
                    Artists on any imported chart whose name a Bandcamp seller has (names compared without case): \
                    their chart entries and regions, and their Bandcamp sales from \(filter.from.iso) to \
                    \(filter.to.iso).
                    """,
                columns: [
                    .init("artist", "Artist"), .init("best", "Best rank", numeric: true),
                    .init("entries", "Entries", numeric: true), .init("regions", "Regions", numeric: true),
                    .init("sales", "Sales", numeric: true), .init("revenue", "Revenue", numeric: true),
                ],
                rows: shown.shared.map { artist in
                    [
                        .text(artist.name, link: filter.link("/artists") { $0.artist = artist.bandcampArtistID }),
                        .count(artist.bestRank), .count(artist.chartEntries), .count(artist.regions),
                        .count(artist.sales), .usd(artist.revenueUSD),
                    ]
                }, empty: "No charted artist sells on Bandcamp under the same name."))
        return tables
    }

    func render(_ view: TableView) -> HTML {
        var html: HTML = "<h1>Charts</h1>\n"
        guard let shown else {
            return html
                + "<p class=\"empty\">No Spotify chart has been imported yet: put chart exports under charts/ "
                + "in the object store (ChartsFunction imports them).</p>\n"
        }
        let tables = tables
        let scope = shown.scope
        let period = scope.period
        let link = { (region: String, period: String) -> String in
            var items = [("region", region), ("period", period)]
            if shown.explicitRange { items += [("from", scope.from.iso), ("to", scope.to.iso)] }
            return "/charts?" + Form.encode(items)
        }
        var choices = HTML()
        for region in shown.regions {
            let label = region.region == "global" ? "Global" : region.region.uppercased()
            let current: HTML = region.region == shown.chosen.region ? " aria-current=\"page\"" : ""
            choices += "<a href=\"\(link(region.region, period))\"\(current)>\(label)</a> "
        }
        let unit = period == "weekly" ? "weeks" : "days"
        let other = period == "weekly" ? "daily" : "weekly"
        html += """
            <p class="scope">Regions: \(choices)· \(shown.chosen.daily) daily and \(shown.chosen.weekly) weekly charts of \
            \(shown.chosen.region) from \(shown.chosen.first.iso) to \(shown.chosen.last.iso). Showing the \(period) top 200 \
            from \(scope.from.iso) to \(scope.to.iso) (\
            <a href="\(link(shown.chosen.region, other))">\(other) instead</a>).</p>

            """
        // Two panels a row on a desktop: the rankings have six columns.
        html += "<div class=\"grid wide\">"
        html += PageParts.panel("Leading songs", view.html(tables.named("songs")))
        html += PageParts.panel("Leading artists", view.html(tables.named("chart-artists")))
        html += PageParts.panel("Which weekday debuts do best", view.html(tables.named("weekdays")))
        html += PageParts.panel("The first \(unit) after a debut", view.html(tables.named("first")))
        html += PageParts.panel("On the charts and on Bandcamp", view.html(tables.named("shared")))
        html += "</div>\n"
        return html
    }
}
