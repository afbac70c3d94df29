import ReadModel
import Tracker

/// The artists: a search by name, the leading artists, or, with an artist in the filter, that artist's page.
struct ArtistsPage: TablePage {
    /// What the page shows under its search form.
    enum Content {
        /// The filter names an artist that does not exist.
        case unknownArtist(Int64)
        case artist(ArtistDetail)
        /// Artists whose names hold the text searched for.
        case search(text: String, found: [RankedRow])
        case top([RankedRow])
    }

    /// An artist's figures in the range.
    struct ArtistDetail {
        var artist: ArtistHeader
        var totals: Totals
        var before: Totals
        /// Days of the range before with sales loaded.
        var loadedBefore: Int
        var daily: [DayPoint]
        var countries: [RankedRow]
        var releases: [ReleaseRow]
        var bands: PaidBands
        var tags: [RankedRow]
    }

    var filter: DashboardFilter
    var search: String
    var content: Content

    /// Whether the page found what it was asked for (an unknown artist is a 404).
    var found: Bool {
        if case .unknownArtist = content { return false }
        return true
    }

    static func fetch(_ query: DashboardQuery, _ filter: DashboardFilter, artist: ArtistHeader?, search: String?)
        async throws -> ArtistsPage
    {
        let text = (search ?? "").collapsingWhitespace()
        let content: Content
        if let id = filter.artist {
            if let artist {
                content = .artist(
                    ArtistDetail(
                        artist: artist, totals: try await query.totals(filter),
                        before: try await query.totals(filter.previous),
                        loadedBefore: try await query.loadedDays(filter.previous), daily: try await query.daily(filter),
                        countries: try await query.countries(filter, limit: 10),
                        releases: try await query.artistReleases(filter), bands: try await query.paidBands(filter),
                        tags: try await query.genres(filter, limit: 15)))
            } else {
                content = .unknownArtist(id)
            }
        } else if !text.isEmpty {
            content = .search(text: text, found: try await query.searchArtists(String(text.prefix(100)), filter))
        } else {
            content = .top(try await query.artists(filter, limit: 50))
        }
        return ArtistsPage(filter: filter, search: text, content: content)
    }

    var tables: [DataTable] {
        let filter = filter
        switch content {
        case .unknownArtist: return []
        case .search(let text, let found):
            return [
                Charts.ranking(
                    "artists", found, name: "Artist", link: PageParts.artistLink(filter),
                    caption: "Artists named like \u{201C}\(text)\u{201D}: sales in the range; up to 50",
                    empty: "No artist's name holds \u{201C}\(text)\u{201D}.")
            ]
        case .top(let artists):
            return [
                Charts.ranking(
                    "artists", artists, name: "Artist", link: PageParts.artistLink(filter),
                    caption: "By sales in the range; up to 50", empty: "No sales in this range.")
            ]
        case .artist(let detail):
            let releases = detail.releases.map { release -> [DataTable.Cell] in
                [
                    .text(release.title, link: release.url, address: release.url), .count(release.sales),
                    .usd(release.revenueUSD), .usd(release.medianAskedUSD), .usd(release.medianPaidUSD),
                    .percent(release.paidMoreShare),
                ]
            }
            return [
                Charts.ranking(
                    "countries", detail.countries, name: "Country",
                    link: { row in filter.link("/geography") { $0.country = row.key } }, total: detail.totals.sales,
                    caption: "The 10 that bought most", empty: "No buyer's country is known."),
                DataTable(
                    id: "releases",
                    caption: """
                        Medians in USD; "paid more": the share of priced sales where the buyer paid above the price
                        """,
                    columns: [
                        .init("release", "Release", addressTitle: "Bandcamp page"),
                        .init("sales", "Sales", numeric: true), .init("revenue", "Revenue", numeric: true),
                        .init("asked", "Asked", numeric: true, secondary: true),
                        .init("paid", "Paid", numeric: true, secondary: true),
                        .init("more", "Paid more", numeric: true),
                    ],
                    rows: releases, empty: "No release of this artist sold in the range."),
                Charts.bands(
                    "paid", detail.bands.bands, title: "Paid ÷ asked",
                    caption: "Sales by what the buyer paid against the price"
                        + (detail.bands.meanRatio.map { "; on average ×" + Format.decimal($0, places: 2) } ?? "")),
                Charts.ranking(
                    "tags", detail.tags, name: "Genre", link: { row in filter.link("/genres") { $0.genre = row.key } },
                    caption: "Genres of the releases sold, by sales", empty: "No genre is known for these releases."),
            ]
        }
    }

    func render(_ view: TableView) -> HTML {
        let hidden = PageParts.hiddenFields(filter, except: "artist")
        var html: HTML = """
            <h1>Artists</h1>
            <form class="filters" method="get" action="/artists">\(hidden)\
            <label>Search artists <input name="q" value="\(search)" placeholder="a name or part of one" size="30"></label>\
            <button type="submit">Search</button></form>

            """
        switch content {
        case .unknownArtist(let id):
            html += "<p class=\"notice error\">There is no artist number \(id).</p>\n"
        case .artist(let detail):
            html += render(detail, view)
        case .search(let text, _):
            html += PageParts.panel("Artists named like \u{201C}\(text)\u{201D}", view.html(tables.named("artists")))
        case .top:
            html += PageParts.panel("Top artists", view.html(tables.named("artists")))
        }
        return html
    }

    private func render(_ detail: ArtistDetail, _ view: TableView) -> HTML {
        let tables = tables
        let filter = filter
        let artist = detail.artist
        let totals = detail.totals
        let location: HTML = artist.location.map { " · \($0)" } ?? ""
        var html: HTML = """
            <h2>\(artist.name)</h2>
            <p class="scope"><a href="\(artist.pageURL)">\(DashboardQuery.host(artist.pageURL))</a>\
            \(location) · \
            <a href="\(filter.link("/subscribe"))">Follow this artist</a> · \
            <a href="\(filter.link("/alerts"))">Its alerts</a></p>

            """
        html += PageParts.cards(
            PageParts.totalsCards(totals, before: detail.before) + [
                (
                    "Countries", Format.count(totals.countries),
                    Change.between(Double(detail.before.countries), Double(totals.countries))
                ),
                ("Median paid", totals.medianPaidUSD.map(Format.usd) ?? "—", .none),
            ], loadedBefore: (detail.loadedBefore, filter.previous.days))
        html += "<div class=\"grid\">"
        html += PageParts.panel(
            "Sales per day",
            Charts.daily(
                detail.daily, value: { Double($0.sales) }, label: { Format.decimal($0, places: 0) },
                title: "\(artist.name): sales per day"))
        html += PageParts.panel("Buyers' countries", view.html(tables.named("countries")))
        html += "</div>\n"
        html += PageParts.panel("Releases: price paid against price asked", view.html(tables.named("releases")))
        html += "<div class=\"grid\">"
        html += PageParts.panel("Paid ÷ asked", view.html(tables.named("paid")))
        html += PageParts.panel("Tags", view.html(tables.named("tags")))
        html += "</div>\n"
        return html
    }
}
