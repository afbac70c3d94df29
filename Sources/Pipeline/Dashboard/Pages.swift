import LambdaEvents
import ReadModel
import Tracker

/// The body of each page, for one filter.
struct Pages {
    let query: DashboardQuery
    let filter: DashboardFilter
    let choices: FilterChoices
    let now: Int64

    private var e: (String) -> String { HTML.escape }

    // MARK: Overview

    func overview() async throws -> String {
        let totals = try await query.totals(filter)
        let before = try await query.totals(filter.previous)
        let daily = try await query.daily(filter)
        let coverage = try await query.coverage(filter, now: now)
        var html = "<h1>Overview</h1>\n"
        html += cards([
            ("Sales", Format.count(totals.sales), Change.between(Double(before.sales), Double(totals.sales))),
            (
                "Revenue", Format.usd(totals.revenueUSD),
                Change.between(before.revenueUSD.value, totals.revenueUSD.value)
            ),
            ("Artists", Format.count(totals.artists), Change.between(Double(before.artists), Double(totals.artists))),
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
        ])
        html += """
            <p class="scope">Changes against the \(filter.days) days before (\(e(filter.previous.from.iso)) to \
            \(e(filter.previous.to.iso))). Buyers from \(e(Format.count(totals.countries))) countries. The loaded feed \
            covers \(e(Format.percent(coverage))) of the range\(coverage < 0.98 ? ": figures for the missing time are absent, not zero" : "").</p>

            """
        html += "<div class=\"grid\">"
        html += panel(
            "Sales per day",
            Charts.daily(daily, value: { Double($0.sales) }, label: { Format.count(Int($0)) }, title: "Sales per day"))
        html += panel(
            "Revenue per day (USD)",
            Charts.daily(
                daily, value: \.revenueUSD, label: { "$" + Format.count(Int($0.rounded())) }, title: "Revenue per day"))
        html += "</div>\n<div class=\"grid\">"
        html += panel(
            "Top genres",
            Charts.ranking(
                try await query.genres(filter), link: { row in filter.link("/genres") { $0.genre = row.key } },
                caption: "A sale counts for each genre of its release", empty: "No sale in this range has a genre yet.")
        )
        html += panel(
            "Top artists",
            Charts.ranking(
                try await query.artists(filter), link: artistLink, caption: "By sales in the range",
                empty: "No sales in this range."))
        html += panel(
            "Top releases",
            Charts.ranking(
                try await query.releases(filter), link: { $0.url }, caption: "By sales; links go to Bandcamp",
                empty: "No sales in this range."))
        html += panel(
            "What sold",
            Charts.ranking(
                try await query.itemTypes(filter), link: { row in filter.link("/") { $0.itemType = row.key } },
                total: totals.sales, caption: "Digital, physical and bundles", empty: "No sales in this range."))
        html += "</div>\n"
        return html
    }

    // MARK: Genres

    func genres() async throws -> String {
        let at = min(filter.to.end, now - now % 3600)
        let rising = try await query.risingGenres(at: at)
        let ranked = try await query.genres(filter, limit: 40)
        let top = Array(ranked.prefix(12))
        let countries = try await query.countries(filter, limit: 10)
        let cells = try await query.heatmap(filter, genres: top.map(\.key), countries: countries.map(\.key))
        let leaders = try await query.topArtists(filter, genres: Array(top.prefix(8)).map(\.key))
        var html = "<h1>Genres</h1>\n"
        var rows = ""
        for genre in rising {
            rows += """
                <tr><td><a href="\(e(filter.link("/genres") { $0.genre = genre.key }))">\(e(genre.name))</a></td>\
                <td>\(e(genre.rule))</td><td>\(e(genre.kind))</td>\
                <td class="num">\(e(Format.decimal(genre.perDayBefore, places: 1)))</td>\
                <td class="num">\(e(Format.decimal(genre.perDayNow, places: 1)))</td>\
                <td class="num">×\(e(Format.decimal(genre.estimate, places: 2)))</td>\
                <td class="num">×\(e(Format.decimal(genre.lowerBound, places: 2)))</td>\
                <td class="num">\(e(Format.decimal(genre.qValue, places: 4)))</td></tr>

                """
        }
        html += panel(
            "Rising genres",
            rising.isEmpty
                ? "<p class=\"empty\">The trend engine finds no genre rising at \(e(Format.timestamp(at))).</p>\n"
                : """
                <div class="scroll"><table><caption>The trend engine's genre rules at \(e(Format.timestamp(at))) \
                (site-wide: only the range's end applies). Rate: sales a day now and in the baseline; rise: the \
                estimated ratio of shares, and its lower confidence bound; q: the false discovery rate.</caption>
                <thead><tr><th>Genre</th><th>Rule</th><th>Kind</th><th class="num">Before /day</th>\
                <th class="num">Now /day</th><th class="num">Rise</th><th class="num">At least</th>\
                <th class="num">q</th></tr></thead><tbody>
                \(rows)</tbody></table></div>

                """)
        html += panel(
            "Where each genre sells",
            Charts.heatmap(
                genres: top, countries: countries, cells: cells,
                link: { genre, country in
                    filter.link("/genres") {
                        $0.genre = genre
                        $0.country = country
                    }
                }))
        var leaderHTML = ""
        for genre in top.prefix(8) {
            leaderHTML += Charts.ranking(
                leaders[genre.key] ?? [], link: artistLink,
                caption: "\(genre.name): \(Format.count(genre.sales)) sales", empty: "")
        }
        html += panel("Each genre's top artists", "<div class=\"grid\">\(leaderHTML)</div>")
        html += panel(
            "All genres in the range",
            Charts.ranking(
                ranked,
                link: { row in filter.link("/genres") { $0.genre = row.key } },
                caption: "The 40 best-selling", empty: "No sale in this range has a genre yet."))
        return html
    }

    // MARK: Artists

    func artists(search: String?) async throws -> (html: String, found: Bool) {
        let text = (search ?? "").collapsingWhitespace()
        var html = """
            <h1>Artists</h1>
            <form class="filters" method="get" action="/artists">\
            \(filter.queryItems.filter { $0.0 != "artist" && !$0.1.isEmpty }
                .map { "<input type=\"hidden\" name=\"\(e($0.0))\" value=\"\(e($0.1))\">" }.joined())\
            <label>Search artists <input name="q" value="\(e(text))" placeholder="a name or part of one" size="30"></label>\
            <button type="submit">Search</button></form>

            """
        if let id = filter.artist {
            guard let artist = choices.artist else {
                return (html + "<p class=\"notice error\">There is no artist number \(id).</p>\n", false)
            }
            html += try await artistPage(artist)
            return (html, true)
        }
        if !text.isEmpty {
            let found = try await query.searchArtists(String(text.prefix(100)), filter)
            html += panel(
                "Artists named like \u{201C}\(e(text))\u{201D}",
                Charts.ranking(
                    found, link: artistLink, caption: "Sales in the range; up to 50",
                    empty: "No artist's name holds \u{201C}\(text)\u{201D}."))
            return (html, true)
        }
        html += panel(
            "Top artists",
            Charts.ranking(
                try await query.artists(filter, limit: 50), link: artistLink,
                caption: "By sales in the range; up to 50",
                empty: "No sales in this range."))
        return (html, true)
    }

    private func artistPage(_ artist: ArtistHeader) async throws -> String {
        let totals = try await query.totals(filter)
        let before = try await query.totals(filter.previous)
        var html = """
            <h2>\(e(artist.name))</h2>
            <p class="scope"><a href="\(e(artist.pageURL))">\(e(DashboardQuery.host(artist.pageURL)))</a>\
            \(artist.location.map { " · " + e($0) } ?? "") · \
            <a href="\(e(filter.link("/subscribe")))">Follow this artist</a> · \
            <a href="\(e(filter.link("/alerts")))">Its alerts</a></p>

            """
        html += cards([
            ("Sales", Format.count(totals.sales), Change.between(Double(before.sales), Double(totals.sales))),
            (
                "Revenue", Format.usd(totals.revenueUSD),
                Change.between(before.revenueUSD.value, totals.revenueUSD.value)
            ),
            (
                "Countries", Format.count(totals.countries),
                Change.between(Double(before.countries), Double(totals.countries))
            ),
            ("Median paid", totals.medianPaidUSD.map(Format.usd) ?? "—", .none),
        ])
        html += "<div class=\"grid\">"
        html += panel(
            "Sales per day",
            Charts.daily(
                try await query.daily(filter), value: { Double($0.sales) }, label: { Format.count(Int($0)) },
                title: "\(artist.name): sales per day"))
        html += panel(
            "Buyers' countries",
            Charts.ranking(
                try await query.countries(filter, limit: 10),
                link: { row in filter.link("/geography") { $0.country = row.key } }, total: totals.sales,
                caption: "The 10 that bought most", empty: "No buyer's country is known."))
        html += "</div>\n"
        let releases = try await query.artistReleases(filter)
        var rows = ""
        for release in releases {
            rows += """
                <tr><td><a href="\(e(release.url))">\(e(release.title))</a></td>\
                <td class="num">\(e(Format.count(release.sales)))</td>\
                <td class="num">\(e(Format.usd(release.revenueUSD)))</td>\
                <td class="num">\(e(release.medianAskedUSD.map(Format.usd) ?? "—"))</td>\
                <td class="num">\(e(release.medianPaidUSD.map(Format.usd) ?? "—"))</td>\
                <td class="num">\(e(release.paidMoreShare.map(Format.percent) ?? "—"))</td></tr>

                """
        }
        html += panel(
            "Releases: price paid against price asked",
            releases.isEmpty
                ? "<p class=\"empty\">No release of this artist sold in the range.</p>"
                : """
                <div class="scroll"><table><caption>Medians in USD; "paid more": the share of priced sales where the \
                buyer paid above the price</caption><thead><tr><th>Release</th><th class="num">Sales</th>\
                <th class="num">Revenue</th><th class="num">Asked</th><th class="num">Paid</th>\
                <th class="num">Paid more</th></tr></thead><tbody>
                \(rows)</tbody></table></div>

                """)
        html += "<div class=\"grid\">"
        let bands = try await query.paidBands(filter)
        html += panel(
            "Paid ÷ asked",
            Charts.bands(
                bands.bands,
                caption: "Sales by what the buyer paid against the price"
                    + (bands.meanRatio.map { "; on average ×" + Format.decimal($0, places: 2) } ?? "")))
        html += panel(
            "Tags",
            Charts.ranking(
                try await query.genres(filter, limit: 15),
                link: { row in filter.link("/genres") { $0.genre = row.key } },
                caption: "Genres of the releases sold, by sales", empty: "No genre is known for these releases."))
        html += "</div>\n"
        return html
    }

    // MARK: Geography

    func geography() async throws -> String {
        let countries = try await query.countries(filter)
        let sales = try await query.salesCount(filter)
        let known = countries.reduce(0) { $0 + $1.sales }
        var html = "<h1>Geography</h1>\n"
        html += panel(
            "Sales by buyer country",
            Charts.worldMap(countries, link: { code in filter.link("/geography") { $0.country = code } })
                + "<p class=\"scope\">Shading on a logarithmic scale. \(e(Format.count(sales - known))) sales "
                + "without a known country are left out.</p>")
        html += panel(
            "Ranked",
            Charts.ranking(
                countries, link: { row in filter.link("/") { $0.country = row.key } }, total: sales,
                caption: "\(Format.count(countries.count)) countries; links narrow the overview to one",
                empty: "No sales in this range."))
        return html
    }

    // MARK: Analysis

    /// Components' analysis (digital and physical, overpayment, paid-to-price, countries, currencies) of the
    /// filtered sales, with the datasets backfilled as ranges to pick.
    func analysis() async throws -> String {
        let analysis = try await query.analysis(filter)
        let o = analysis.overpayment
        var html = "<h1>Analysis</h1>\n"
        let backfills = try await query.backfills()
        if !backfills.isEmpty {
            var items = ""
            for backfill in backfills {
                let span = backfill.first.flatMap { first in
                    backfill.last.map { (CalendarDay(containing: first), CalendarDay(containing: $0)) }
                }
                let link = span.map { span in
                    filter.link("/analysis") {
                        $0.from = span.0
                        $0.to = span.1
                    }
                }
                let label =
                    "\(backfill.key): \(Format.count(backfill.records)) rows, \(Format.count(backfill.inserted)) new sales"
                    + (span.map { ", \($0.0.iso) to \($0.1.iso)" } ?? "")
                    + (backfill.status == "loaded" ? "" : " (\(backfill.status))")
                items += "<li>" + (link.map { "<a href=\"\(e($0))\">\(e(label))</a>" } ?? e(label)) + "</li>"
            }
            html +=
                "<p class=\"scope\">Datasets backfilled (links show their period):</p><ul class=\"scope\">\(items)</ul>\n"
        }
        guard analysis.sales > 0 else {
            return html + "<p class=\"empty\">No sales in this range.</p>\n"
        }
        html += cards(
            [
                ("Sales", Format.count(analysis.sales), .none), ("Revenue", Format.usd(analysis.revenueUSD), .none),
                ("Digital", Format.percent(analysis.digitalShare), .none),
                ("Paid more than asked", o.paidMoreShare.map(Format.percent) ?? "—", .none),
                (
                    "Median paid ÷ price", analysis.medianRatio.map { Format.decimal($0, places: 2) + " ×" } ?? "—",
                    .none
                ),
                ("Currencies", Format.count(analysis.currencies.count), .none),
            ], compare: false)
        html += "<div class=\"grid\">"
        html += panel("Digital, physical and bundles", partsTable(analysis.itemTypes, first: "Kind"))
        html += panel(
            "Physical formats",
            analysis.physicalFormats.isEmpty
                ? "<p class=\"empty\">No physical items in this range.</p>\n"
                : partsTable(analysis.physicalFormats, first: "Format")
                    + "<p class=\"scope\">Read from the item's description; shares are of physical items.</p>")
        let share = { (part: Int, whole: Int) in whole > 0 ? Format.percent(Double(part) / Double(whole)) : "—" }
        var rows = ""
        for (label, value) in [
            ("Items with a price above 0", Format.count(o.priced)),
            ("… paid more than asked", "\(Format.count(o.paidMore)) (\(share(o.paidMore, o.priced)))"),
            ("… paid exactly the price", "\(Format.count(o.paidExactly)) (\(share(o.paidExactly, o.priced)))"),
            ("Paid above the prices, in all", Format.usd(o.overpaidUSD)),
            ("Mean overpayment of those who paid more", o.meanOverpaidUSD.map(Format.usd) ?? "—"),
            ("Items with no price (name your price)", Format.count(o.free)),
            ("… for which the buyer paid something", "\(Format.count(o.freePaid)) (\(share(o.freePaid, o.free)))"),
            ("… paying on average", o.freeMeanPaidUSD.map(Format.usd) ?? "—"),
        ] {
            rows += "<tr><td>\(e(label))</td><td class=\"num\">\(e(value))</td></tr>"
        }
        html += panel("Paying more than asked", "<table><tbody>\(rows)</tbody></table>\n")
        html += panel(
            "Paid-to-price ratio",
            Charts.bands(
                analysis.ratioBands,
                caption: "Items with a price above 0 by what was paid over the price; median "
                    + "\(analysis.medianRatio.map { Format.decimal($0, places: 2) } ?? "—") ×, 90th percentile "
                    + "\(analysis.ratio90.map { Format.decimal($0, places: 2) } ?? "—") ×"))
        html += panel(
            "Top buyer countries",
            partsTable(analysis.countries, first: "Country")
                + "<p class=\"scope\">\(e(Format.count(analysis.countryCount))) countries in all.</p>")
        html += panel("Seller currencies", partsTable(analysis.currencies, first: "Currency"))
        html += "</div>\n"
        html += """
            <p class="scope">The same analysis as a PDF for any range: ReportFunction with \
            <code>{"command": "analysis", "from": "\(e(filter.from.iso))", "to": "\(e(filter.to.iso))"}</code> \
            (scripts/analysis-report locally).</p>

            """
        return html
    }

    /// Parts of the sales with their shares, as a table.
    private func partsTable(_ parts: [SalesAnalysis.Part], first: String) -> String {
        var html = """
            <div class="scroll"><table><thead><tr><th scope="col">\(e(first))</th><th scope="col" class="num">Sales</th>\
            <th scope="col" class="num">Share</th><th scope="col" class="num">Revenue</th>\
            <th scope="col" class="num">Of revenue</th><th scope="col" class="num">Paid more</th></tr></thead><tbody>

            """
        for part in parts {
            html += """
                <tr><td>\(e(part.label))</td><td class="num">\(e(Format.count(part.sales)))</td>\
                <td class="num">\(e(Format.percent(part.salesShare)))</td>\
                <td class="num">\(e(Format.usd(part.revenueUSD)))</td>\
                <td class="num">\(e(Format.percent(part.revenueShare)))</td>\
                <td class="num">\(e(part.paidMoreShare.map(Format.percent) ?? "—"))</td></tr>

                """
        }
        return html + "</tbody></table></div>\n"
    }

    // MARK: Charts

    /// Spotify's charts: leading songs and artists, debuts by weekday, the first weeks after a debut, and the
    /// artists who are both on the charts and selling on Bandcamp.
    func charts(region asked: String?, period askedPeriod: String?, explicitRange: Bool) async throws
        -> (html: String, notices: [String])
    {
        var html = "<h1>Charts</h1>\n"
        var notices: [String] = []
        let regions = try await query.chartRegions()
        guard !regions.isEmpty else {
            return (
                html + "<p class=\"empty\">No Spotify chart has been imported yet: put chart exports under charts/ "
                    + "in the object store (ChartsFunction imports them).</p>\n", []
            )
        }
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
        let link = { (region: String, period: String) -> String in
            var items = [("region", region), ("period", period)]
            if explicitRange { items += [("from", from.iso), ("to", to.iso)] }
            return "/charts?" + Form.encode(items)
        }
        var choices = ""
        for region in regions {
            let label = region.region == "global" ? "Global" : region.region.uppercased()
            let current = region.region == chosen.region ? " aria-current=\"page\"" : ""
            choices += "<a href=\"\(e(link(region.region, period)))\"\(current)>\(e(label))</a> "
        }
        let unit = period == "weekly" ? "weeks" : "days"
        html += """
            <p class="scope">Regions: \(choices)· \(chosen.daily) daily and \(chosen.weekly) weekly charts of \
            \(e(chosen.region)) from \(e(chosen.first.iso)) to \(e(chosen.last.iso)). Showing the \(e(period)) top 200 \
            from \(e(from.iso)) to \(e(to.iso)) (\
            <a href="\(e(link(chosen.region, period == "weekly" ? "daily" : "weekly")))">\(period == "weekly" ? "daily" : "weekly") instead</a>).</p>

            """
        html += "<div class=\"grid\">"
        for (title, byArtist) in [("Leading songs", false), ("Leading artists", true)] {
            let leaders = try await query.chartLeaders(scope, byArtist: byArtist)
            var rows = ""
            for (index, leader) in leaders.enumerated() {
                rows += """
                    <tr><td class="rank">\(index + 1)</td><td>\(e(leader.name))<span class="detail">\(e(leader.detail))</span></td>\
                    <td class="num">\(e(Format.count(Int(leader.streams))))</td><td class="num">\(leader.bestRank)</td>\
                    <td class="num">\(leader.periodsAtTop)</td><td class="num">\(leader.appearances)</td></tr>

                    """
            }
            html += panel(
                title,
                leaders.isEmpty
                    ? "<p class=\"empty\">No \(e(period)) chart of this region in the range.</p>\n"
                    : """
                    <div class="scroll"><table class="ranking"><caption>By streams over the range's \(e(period)) charts; \
                    \(byArtist ? "a song's streams count for each of its artists" : "best rank, \(unit) at #1, \(unit) on the chart")\
                    </caption><thead><tr><th>#</th><th>\(byArtist ? "Artist" : "Song")</th><th class="num">Streams</th>\
                    <th class="num">Best</th><th class="num">At #1</th><th class="num">On chart</th></tr></thead><tbody>
                    \(rows)</tbody></table></div>

                    """)
        }
        let weekdays = try await query.debutWeekdays(scope)
        if weekdays.contains(where: { $0.debuts > 0 }) {
            var rows = ""
            for day in weekdays {
                rows += """
                    <tr><td>\(e(CalendarDay.weekdays[day.weekday % 7]))</td><td class="num">\(day.debuts)</td>\
                    <td class="num">\(e(day.medianRank.map { Format.decimal($0, places: 0) } ?? "—"))</td>\
                    <td class="num">\(e(day.medianStreams.map { Format.count(Int($0)) } ?? "—"))</td>\
                    <td class="num">\(day.debuts > 0 ? e(Format.percent(Double(day.topFifty) / Double(day.debuts))) : "—")</td></tr>

                    """
            }
            html += panel(
                "Which weekday debuts do best",
                """
                <div class="scroll"><table><caption>Songs' first day on the daily chart, by weekday (a song's release \
                shows here as its debut: the exports carry no release date). Median debut rank and streams; share \
                debuting in the top 50.</caption><thead><tr><th>Weekday</th><th class="num">Debuts</th>\
                <th class="num">Rank</th><th class="num">Streams</th><th class="num">Top 50</th></tr></thead><tbody>
                \(rows)</tbody></table></div>

                """)
        } else {
            html += panel(
                "Which weekday debuts do best",
                "<p class=\"empty\">Debuts need the region's daily charts, day after day; there are none in the range.</p>\n"
            )
        }
        let first = try await query.firstPeriods(scope)
        if first.first.map({ $0.covered > 0 }) == true {
            var rows = ""
            for row in first {
                rows += """
                    <tr><td>\(period == "weekly" ? "Week" : "Day") \(row.index)</td><td class="num">\(row.covered)</td>\
                    <td class="num">\(row.covered > 0 ? e(Format.percent(Double(row.charting) / Double(row.covered))) : "—")</td>\
                    <td class="num">\(e(row.medianOfDebut.map(Format.percent) ?? "—"))</td>\
                    <td class="num">\(e(row.medianRank.map { Format.decimal($0, places: 0) } ?? "—"))</td></tr>

                    """
            }
            html += panel(
                "The first \(unit) after a debut",
                """
                <div class="scroll"><table><caption>Songs that debuted in the range: of those whose nth \
                \(period == "weekly" ? "week" : "day") the charts in hand cover, the share still charting, their median \
                streams against their debut's, and their median rank.</caption><thead><tr><th></th>\
                <th class="num">Songs</th><th class="num">Still charting</th><th class="num">Streams vs debut</th>\
                <th class="num">Rank</th></tr></thead><tbody>
                \(rows)</tbody></table></div>

                """)
        } else {
            html += panel(
                "The first \(unit) after a debut",
                "<p class=\"empty\">No song debuts on these charts in the range.</p>\n")
        }
        let shared = try await query.sharedArtists(filter)
        var rows = ""
        for artist in shared {
            rows += """
                <tr><td><a href="\(e(filter.link("/artists") { $0.artist = artist.bandcampArtistID }))">\(e(artist.name))</a></td>\
                <td class="num">\(artist.bestRank)</td><td class="num">\(artist.chartEntries)</td>\
                <td class="num">\(artist.regions)</td><td class="num">\(e(Format.count(artist.sales)))</td>\
                <td class="num">\(e(Format.usd(artist.revenueUSD)))</td></tr>

                """
        }
        html += panel(
            "On the charts and on Bandcamp",
            shared.isEmpty
                ? "<p class=\"empty\">No charted artist sells on Bandcamp under the same name.</p>\n"
                : """
                <div class="scroll"><table><caption>Artists on any imported chart whose name a Bandcamp seller has \
                (names compared without case); Bandcamp sales from \(e(filter.from.iso)) to \(e(filter.to.iso)).\
                </caption><thead><tr><th>Artist</th><th class="num">Best rank</th><th class="num">Chart entries</th>\
                <th class="num">Regions</th><th class="num">Bandcamp sales</th><th class="num">Revenue</th></tr>\
                </thead><tbody>
                \(rows)</tbody></table></div>

                """)
        html += "</div>\n"
        return (html, notices)
    }

    // MARK: Alerts

    func alerts() async throws -> String {
        let alerts = try await query.alerts(filter)
        var html = "<h1>Alerts</h1>\n"
        guard !alerts.isEmpty else {
            return html + "<p class=\"empty\">No alert was raised in this range"
                + (filter.genre != nil || filter.artist != nil ? " for this genre or artist" : "") + ".</p>\n"
        }
        var rows = ""
        for alert in alerts {
            let link =
                alert.entityType == "genre"
                ? alert.key.map { key in filter.link("/genres") { $0.genre = key } }
                : filter.link("/artists") { $0.artist = alert.entityID }
            let name = link.map { "<a href=\"\(e($0))\">\(e(alert.name))</a>" } ?? e(alert.name)
            rows += """
                <tr><td>\(e(Format.timestamp(alert.evaluatedAt)))</td><td>\(name)<span class="detail">\
                \(e(alert.entityType)) · \(e(alert.rule))</span></td><td>\(e(alert.kind))</td>\
                <td class="num">\(e(Format.count(alert.current)))</td><td class="num">\(e(Format.count(alert.baseline)))</td>\
                <td class="num">\(e(Format.decimal(alert.perDayBefore, places: 1))) → \
                \(e(Format.decimal(alert.perDayNow, places: 1)))</td>\
                <td class="num">×\(e(Format.decimal(alert.estimate, places: 2))) (≥ ×\
                \(e(Format.decimal(alert.lowerBound, places: 2))))</td>\
                <td class="num">\(e(Format.decimal(alert.qValue, places: 4)))</td>\
                <td class="num">\(alert.sent)</td></tr>

                """
        }
        html += panel(
            "Recent alerts",
            """
            <div class="scroll"><table><caption>Latest first, up to 100. Sales in the recent window and the baseline; \
            the rate a day before and now; the rise (estimated ratio of shares, with its lower bound); q: the false \
            discovery rate; sent: subscribers told.</caption><thead><tr><th>When</th><th>What</th><th>Kind</th>\
            <th class="num">Now</th><th class="num">Baseline</th><th class="num">Per day</th><th class="num">Rise</th>\
            <th class="num">q</th><th class="num">Sent</th></tr></thead><tbody>
            \(rows)</tbody></table></div>

            """)
        return html
    }

    // MARK: Subscribe

    func subscribeForm(values: [(name: String, value: String)], problems: [String]) async throws -> String {
        func value(_ name: String) -> String { values.last { $0.name == name }?.value ?? "" }
        let chosenGenres = Set(values.filter { $0.name == "genre" }.map(\.value) + [filter.genre].compactMap { $0 })
        var chosenArtists = Set(values.filter { $0.name == "artist_id" }.compactMap { Int64($0.value) })
        if let artist = filter.artist { chosenArtists.insert(artist) }
        let genres = try await query.genres(
            DashboardFilter(from: filter.to.adding(days: -29), to: filter.to), limit: 30)
        var genreChoices = genres.map { ($0.key, $0.name) }
        for key in chosenGenres.sorted() where !genreChoices.contains(where: { $0.0 == key }) {
            genreChoices.append((key, try await query.genreName(key) ?? key))
        }
        var artistBoxes = ""
        for id in chosenArtists.sorted() {
            guard let artist = try await query.artist(id) else { continue }
            artistBoxes += """
                <label><input type="checkbox" name="artist_id" value="\(id)" checked> \(e(artist.name))</label>
                """
        }
        let dailyChecked = values.isEmpty || value("daily_report") == "on" ? " checked" : ""
        var html = "<h1>Subscribe</h1>\n"
        if !problems.isEmpty {
            html +=
                "<div class=\"notice error\" role=\"alert\"><p>Nothing was sent:</p><ul>"
                + problems.map { "<li>\(e($0))</li>" }.joined() + "</ul></div>\n"
        }
        html += """
            <form class="box panel" method="post" action="\(e(filter.link("/subscribe")))">
            <p>The daily report and alerts by email. A confirmation email comes first: nothing is sent until its link is \
            followed, and every email has a one-click unsubscribe link.</p>
            <label>Email <input type="email" name="email" required maxlength="254" value="\(e(value("email")))" \
            autocomplete="email"></label>
            <label>Name (optional) <input name="name" maxlength="100" value="\(e(value("name")))" autocomplete="name"></label>
            <div class="checks"><label><input type="checkbox" name="daily_report"\(dailyChecked)> The daily report (PDF)</label>\
            <label><input type="checkbox" name="everything"\(value("everything") == "on" ? " checked" : "")> \
            Every alert</label></div>
            <fieldset><legend>Alerts on these genres</legend><div class="checks">
            """
        for (key, name) in genreChoices {
            let checked = chosenGenres.contains(key) ? " checked" : ""
            html += "<label><input type=\"checkbox\" name=\"genre\" value=\"\(e(key))\"\(checked)> \(e(name))</label>"
        }
        html += """
            </div></fieldset>
            <fieldset><legend>Alerts on these artists</legend><div class="checks">\(artistBoxes)</div>
            <label>More artists, by name, separated by commas <input name="artists" value="\(e(value("artists")))"></label>
            </fieldset>
            <label>Alerts <select name="frequency">\
            <option value="immediate"\(value("frequency") == "daily" ? "" : " selected")>as they happen</option>\
            <option value="daily"\(value("frequency") == "daily" ? " selected" : "")>in one email a day</option>\
            </select></label>
            <button type="submit">Subscribe</button>
            </form>

            """
        return html
    }

    // MARK: Parts

    private func artistLink(_ row: RankedRow) -> String? {
        Int64(row.key).map { id in filter.link("/artists") { $0.artist = id } }
    }

    private func panel(_ title: String, _ content: String) -> String {
        "<section class=\"panel\"><h2>\(e(title))</h2>\n\(content)</section>\n"
    }

    private func cards(_ items: [(label: String, value: String, change: Change)], compare: Bool = true) -> String {
        var html = "<div class=\"cards\">"
        for item in items {
            let direction: String
            switch item.change {
            case .relative(let value) where value > 0.0005, .points(let value) where value > 0.05: direction = " up"
            case .relative(let value) where value < -0.0005, .points(let value) where value < -0.05: direction = " down"
            default: direction = ""
            }
            html += """
                <div class="card"><div class="label">\(e(item.label))</div><div class="value">\(e(item.value))</div>\
                \(compare ? "<div class=\"change\(direction)\">\(e(Format.change(item.change))) vs before</div>" : "")</div>
                """
        }
        return html + "</div>\n"
    }
}
