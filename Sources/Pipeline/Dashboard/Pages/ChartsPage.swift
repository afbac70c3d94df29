import LambdaEvents
import ReadModel
import Tracker

/// Spotify's charts: leading songs and artists, debuts by weekday, the first weeks after a debut, and the
/// artists who are both on the charts and selling on Bandcamp.
struct ChartsPage {
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

    func render() -> HTML {
        var html: HTML = "<h1>Charts</h1>\n"
        guard let shown else {
            return html
                + "<p class=\"empty\">No Spotify chart has been imported yet: put chart exports under charts/ "
                + "in the object store (ChartsFunction imports them).</p>\n"
        }
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
        for (title, byArtist, leaders) in [
            ("Leading songs", false, shown.songs), ("Leading artists", true, shown.artists),
        ] {
            var rows = HTML()
            for (index, leader) in leaders.enumerated() {
                rows += """
                    <tr><td class="rank">\(index + 1)</td><td>\(leader.name)<span class="detail">\(leader.detail)</span></td>\
                    <td class="num">\(Format.count(Int(leader.streams)))</td><td class="num">\(leader.bestRank)</td>\
                    <td class="num">\(leader.periodsAtTop)</td><td class="num">\(leader.appearances)</td></tr>

                    """
            }
            let what =
                byArtist
                ? "a song's streams count for each of its artists" : "best rank, \(unit) at #1, \(unit) on the chart"
            html += PageParts.panel(
                title,
                leaders.isEmpty
                    ? "<p class=\"empty\">No \(period) chart of this region in the range.</p>\n"
                    : """
                    <div class="scroll"><table class="ranking"><caption>By streams over the range's \(period) charts; \
                    \(what)</caption><thead><tr><th>#</th><th>\(byArtist ? "Artist" : "Song")</th><th class="num">Streams</th>\
                    <th class="num">Best</th><th class="num">At #1</th><th class="num">On chart</th></tr></thead><tbody>
                    \(rows)</tbody></table></div>

                    """)
        }
        html += weekdays(shown.weekdays)
        html += firstPeriods(shown.firstPeriods, period: period, unit: unit)
        html += shared(shown.shared)
        html += "</div>\n"
        return html
    }

    private func weekdays(_ weekdays: [WeekdayRow]) -> HTML {
        guard weekdays.contains(where: { $0.debuts > 0 }) else {
            return PageParts.panel(
                "Which weekday debuts do best",
                "<p class=\"empty\">Debuts need the region's daily charts, day after day; there are none in the range.</p>\n"
            )
        }
        var rows = HTML()
        for day in weekdays {
            let topFifty = day.debuts > 0 ? Format.percent(Double(day.topFifty) / Double(day.debuts)) : "—"
            rows += """
                <tr><td>\(CalendarDay.weekdays[day.weekday % 7])</td><td class="num">\(day.debuts)</td>\
                <td class="num">\(day.medianRank.map { Format.decimal($0, places: 0) } ?? "—")</td>\
                <td class="num">\(day.medianStreams.map { Format.decimal($0, places: 0) } ?? "—")</td>\
                <td class="num">\(topFifty)</td></tr>

                """
        }
        return PageParts.panel(
            "Which weekday debuts do best",
            """
            <div class="scroll"><table><caption>Songs' first day on the daily chart, by weekday (a song's release \
            shows here as its debut: the exports carry no release date). Median debut rank and streams; share \
            debuting in the top 50.</caption><thead><tr><th>Weekday</th><th class="num">Debuts</th>\
            <th class="num">Rank</th><th class="num">Streams</th><th class="num">Top 50</th></tr></thead><tbody>
            \(rows)</tbody></table></div>

            """)
    }

    private func firstPeriods(_ first: [FirstPeriodsRow], period: String, unit: String) -> HTML {
        guard first.first.map({ $0.covered > 0 }) == true else {
            return PageParts.panel(
                "The first \(unit) after a debut",
                "<p class=\"empty\">No song debuts on these charts in the range.</p>\n")
        }
        var rows = HTML()
        for row in first {
            let charting = row.covered > 0 ? Format.percent(Double(row.charting) / Double(row.covered)) : "—"
            rows += """
                <tr><td>\(period == "weekly" ? "Week" : "Day") \(row.index)</td><td class="num">\(row.covered)</td>\
                <td class="num">\(charting)</td>\
                <td class="num">\(row.medianOfDebut.map(Format.percent) ?? "—")</td>\
                <td class="num">\(row.medianRank.map { Format.decimal($0, places: 0) } ?? "—")</td></tr>

                """
        }
        return PageParts.panel(
            "The first \(unit) after a debut",
            """
            <div class="scroll"><table><caption>Songs that debuted in the range: of those whose nth \
            \(period == "weekly" ? "week" : "day") the charts in hand cover, the share still charting, their median \
            streams against their debut's, and their median rank.</caption><thead><tr><th></th>\
            <th class="num">Songs</th><th class="num">Still charting</th><th class="num">Streams vs debut</th>\
            <th class="num">Rank</th></tr></thead><tbody>
            \(rows)</tbody></table></div>

            """)
    }

    private func shared(_ shared: [SharedArtist]) -> HTML {
        let filter = filter
        var rows = HTML()
        for artist in shared {
            rows += """
                <tr><td><a href="\(filter.link("/artists") { $0.artist = artist.bandcampArtistID })">\(artist.name)</a></td>\
                <td class="num">\(artist.bestRank)</td><td class="num">\(artist.chartEntries)</td>\
                <td class="num">\(artist.regions)</td><td class="num">\(Format.count(artist.sales))</td>\
                <td class="num">\(Format.usd(artist.revenueUSD))</td></tr>

                """
        }
        return PageParts.panel(
            "On the charts and on Bandcamp",
            shared.isEmpty
                ? "<p class=\"empty\">No charted artist sells on Bandcamp under the same name.</p>\n"
                : """
                <div class="scroll"><table><caption>Artists on any imported chart whose name a Bandcamp seller has \
                (names compared without case): their chart entries and regions, and their Bandcamp sales from \
                \(filter.from.iso) to \(filter.to.iso).\
                </caption><thead><tr><th>Artist</th><th class="num">Best rank</th><th class="num">Entries</th>\
                <th class="num">Regions</th><th class="num">Sales</th><th class="num">Revenue</th></tr>\
                </thead><tbody>
                \(rows)</tbody></table></div>

                """)
    }
}
