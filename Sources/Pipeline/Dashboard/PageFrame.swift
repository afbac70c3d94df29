import ReadModel
import Tracker

/// The dashboard's sections, in the navigation's order.
enum Section: String, CaseIterable {
    case overview = "/"
    case genres = "/genres"
    case artists = "/artists"
    case discover = "/discover"
    case geography = "/geography"
    case analysis = "/analysis"
    case charts = "/charts"
    case alerts = "/alerts"
    case reports = "/reports"
    case subscribe = "/subscribe"

    var title: String {
        switch self {
        case .overview: "Overview"
        case .genres: "Genres"
        case .artists: "Artists"
        case .discover: "Discover"
        case .geography: "Geography"
        case .analysis: "Analysis"
        case .charts: "Charts"
        case .alerts: "Alerts"
        case .reports: "Reports"
        case .subscribe: "Subscribe"
        }
    }

    /// Whether the filter bar means something on the page: not on the sign-up form, nor on the charts, which
    /// choose their own region, period and weeks (the bar's range would show dates the charts do not), nor on
    /// the list of stored reports.
    var hasFilters: Bool { self != .subscribe && self != .charts && self != .reports }
}

/// What the filter bar shows beside the filter itself: names for the codes it holds, choices for its lists.
struct FilterChoices {
    var genreName: String?
    /// The filtered artist (nil when there is none, or no artist has its id); the artist page reads it here.
    var artist: ArtistHeader?
    var countries: [(code: String, name: String)]
    /// The genres the list offers, the rising ones first.
    var genres: [(key: String, name: String, rising: Bool)]

    var artistName: String? { artist?.name }
}

/// The page around every view: head, stylesheet, navigation (links keep the filter), the filter bar, notices.
enum PageFrame {
    static func page(
        _ title: String, section: Section?, filter: DashboardFilter?, choices: FilterChoices?, signOut: FormGuard?,
        notices: [String] = [], navigation: Bool = false, body: HTML
    ) -> HTML {
        var html: HTML = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width,initial-scale=1">
            <meta name="robots" content="noindex">
            <title>\(title) · bandcamp-tracker</title>
            <style>\(stylesheet)</style></head>
            <body>
            <header><a class="brand" href="\(filter?.link("/") ?? "/")">bandcamp-tracker</a>

            """
        if section != nil || filter != nil || navigation {
            html += "<nav>"
            for item in Section.allCases {
                let link = filter?.link(item.rawValue) ?? item.rawValue
                let current: HTML = item == section ? " aria-current=\"page\"" : ""
                html += "<a href=\"\(link)\"\(current)>\(item.title)</a>"
            }
            html += "</nav>"
        }
        if let signOut {
            html += """
                <form method="post" action="/sign-out" class="signout">\(signOut.field)\
                <button type="submit">Sign out</button></form>
                """
        }
        html += "</header>\n<main>\n"
        if let filter, let choices, let section, section.hasFilters {
            html += filterBar(filter, choices: choices, path: section.rawValue)
        }
        for notice in notices {
            html += "<p class=\"notice\" role=\"status\">\(notice)</p>\n"
        }
        html += body
        html += """
            </main>
            <footer>Sales from Bandcamp's public sales feed, as loaded into the warehouse; amounts in US dollars \
            as the feed converts them; days in UTC.</footer>
            </body></html>

            """
        return html
    }

    /// A message page (sign-in, confirmation, unsubscribe): a title, a line, and perhaps a form; with
    /// `navigation`, the dashboard's sections above it (a page not found is still on the dashboard).
    static func message(_ title: String, _ message: String, form: HTML = "", navigation: Bool = false) -> HTML {
        page(
            title, section: nil, filter: nil, choices: nil, signOut: nil, navigation: navigation,
            body:
                "<section class=\"message\"><h1>\(title)</h1><p>\(message)</p>\(form)</section>\n"
        )
    }

    /// A message page asking for one press of a button that POSTs to `action` (links in emails: a GET changes
    /// nothing, so mail scanners that follow links do nothing).
    static func button(_ title: String, _ message: String, action: String, label: String) -> HTML {
        Self.message(
            title, message,
            form: """
                <form method="post" action="\(action)"><button type="submit">\(label)</button></form>
                """)
    }

    /// The filter bar: a GET form with the range, genre, country and type, and the artist as a removable chip.
    static func filterBar(_ filter: DashboardFilter, choices: FilterChoices, path: String) -> HTML {
        var html: HTML = """
            <form class="filters" method="get" action="\(path)">
            <label>From <input type="date" name="from" value="\(filter.from.iso)"></label>
            <label>To <input type="date" name="to" value="\(filter.to.iso)"></label>
            <label>Genre <input name="genre" list="genre-list" value="\(filter.genre ?? "")" \
            placeholder="any" size="12"></label>
            <datalist id="genre-list">
            """
        for genre in choices.genres {
            html += "<option value=\"\(genre.key)\">\(genre.name)\(genre.rising ? " · rising" : "")</option>"
        }
        html += """
            </datalist>
            <label>Country <select name="country"><option value="">any</option>
            """
        for country in choices.countries {
            let selected: HTML = country.code == filter.country ? " selected" : ""
            html += "<option value=\"\(country.code)\"\(selected)>\(country.name)</option>"
        }
        html += """
            </select></label>
            <label>Type <select name="type"><option value="">any</option>
            """
        for (type, label) in DashboardFilter.itemTypes {
            let selected: HTML = type == filter.itemType ? " selected" : ""
            html += "<option value=\"\(type)\"\(selected)>\(label)</option>"
        }
        html += "</select></label>\n"
        if let artist = filter.artist {
            html += """
                <input type="hidden" name="artist" value="\(artist)">\
                <span class="chip">Artist: \(choices.artistName ?? "#\(artist)") \
                <a href="\(filter.link(path) { $0.artist = nil })" aria-label="Remove the artist">×</a></span>

                """
        }
        html += "<button type=\"submit\">Apply</button>\n<span class=\"presets\">"
        for days: Int64 in [7, 30, 90, 365] {
            html += """
                <a href="\(filter.link(path) { $0.from = $0.to.adding(days: 1 - days) })">\(days) days</a>
                """
        }
        html += "</span>\n</form>\n"
        var active: [String] = []
        if let genre = filter.genre { active.append("genre \(choices.genreName ?? genre)") }
        if let country = filter.country {
            active.append("buyers in \(choices.countries.first { $0.code == country }?.name ?? country)")
        }
        if let type = filter.itemType {
            active.append((DashboardFilter.itemTypes.first { $0.0 == type }?.1 ?? type).lowercased() + " items")
        }
        if let name = choices.artistName { active.append("artist \(name)") }
        html += """
            <p class="scope">\(filter.from.long) to \(filter.to.long) (\(filter.days) days)\
            \(active.isEmpty ? "" : "; " + active.joined(separator: ", ")). \
            \(filter.isNarrowed ? "<a href=\"\(filter.link(path) { $0 = DashboardFilter(from: $0.from, to: $0.to) })\">Clear filters</a>" as HTML : "")</p>

            """
        return html
    }

    /// Our own small stylesheet: readable on a phone, no web fonts, no external file.
    static let stylesheet: HTML = """
        :root{--ink:#1f2933;--muted:#5f6b7a;--line:#e3e7eb;--brand:#0e3a4a;--accent:#1da0c3;--bg:#f6f8fa}
        *{box-sizing:border-box}
        body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;color:var(--ink);background:var(--bg)}
        header{background:var(--brand);color:#fff;display:flex;flex-wrap:wrap;align-items:center;gap:6px 18px;padding:10px 18px}
        header a{color:#d8eef5;text-decoration:none}
        .brand{font-weight:700;color:#fff;margin-right:8px}
        nav{display:flex;flex-wrap:wrap;gap:4px 14px}
        nav a[aria-current]{color:#fff;border-bottom:2px solid var(--accent)}
        .signout{margin-left:auto}.signout button{background:none;border:1px solid #8fb6c4;color:#d8eef5;padding:3px 10px;border-radius:4px}
        main{max-width:1360px;margin:0 auto;padding:14px 16px 30px}
        h1{font-size:22px;margin:14px 0 6px}h2{font-size:17px;margin:22px 0 8px}
        a{color:#0b6f8f}
        .filters{display:flex;flex-wrap:wrap;gap:8px 12px;align-items:end;background:#fff;border:1px solid var(--line);padding:10px;border-radius:6px}
        .filters label{display:flex;flex-direction:column;font-size:12px;color:var(--muted)}
        .filters input,.filters select,.filters button,form.box input,form.box select{font:inherit;padding:4px 6px;border:1px solid #c5ccd3;border-radius:4px}
        button{font:inherit;cursor:pointer}
        form.pdf{margin:8px 0}form.pdf button{background:var(--brand);color:#fff;border:0;padding:5px 12px;border-radius:4px}
        .filters button,form.box button,.message button{background:var(--brand);color:#fff;border:0;padding:6px 14px;border-radius:4px}
        .presets a{margin-right:8px;font-size:13px}
        .chip{background:#e4f3f8;border-radius:12px;padding:3px 10px;font-size:13px}
        .scope{color:var(--muted);font-size:13px;margin:6px 2px}
        .notice{background:#fff6db;border:1px solid #f0d68a;padding:8px 12px;border-radius:6px}
        .error{background:#fde8e8;border-color:#f3b4b4}
        .cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:10px;margin:12px 0}
        .card{background:#fff;border:1px solid var(--line);border-radius:6px;padding:10px 12px}
        .card .label{font-size:12px;color:var(--muted)}.card .value{font-size:clamp(16px,1.6vw,22px);font-weight:650;white-space:nowrap}
        .card .change{font-size:12px;color:var(--muted)}.up{color:#17803d!important}.down{color:#b42318!important}
        .risers{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(300px,100%),1fr));gap:10px 18px}
        .riser{border-left:3px solid var(--accent);padding:2px 10px;font-size:14px;min-width:0}.riser.emerging{border-color:#17803d}
        .riser .kind{font-size:11px;font-weight:650;text-transform:uppercase;letter-spacing:.3px;color:var(--muted)}
        .riser .name{font-size:17px;font-weight:650;margin:2px 0}.riser .times{color:#17803d}
        .risers.alerts{grid-template-columns:1fr;gap:16px}.riser details{margin:6px 0 2px;font-size:13px}
        .riser summary{cursor:pointer;color:var(--muted)}.history td,.history th{white-space:nowrap}
        svg.spark{width:100%;max-width:260px;height:34px;display:block;margin:4px 0}svg.spark .last{fill:var(--brand)}
        .grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(320px,1fr));gap:8px 22px}
        .grid.wide{grid-template-columns:repeat(auto-fit,minmax(min(480px,100%),1fr))}
        .panel{background:#fff;border:1px solid var(--line);border-radius:6px;padding:8px 12px;margin:10px 0;overflow:hidden}
        svg.chart{width:100%;height:auto;display:block}
        svg .bar{fill:var(--accent)}svg .grid{stroke:var(--line)}svg .axis{font-size:13px;fill:var(--muted)}
        svg.map{width:100%;height:auto;display:block;background:#eef5f8}
        svg.map .land{fill:#d5dde3;stroke:#fff;stroke-width:.4}svg.map .sold{fill:var(--brand);stroke:#fff;stroke-width:.4}
        svg.map a:hover .sold{fill:var(--accent)}
        svg.map .place{fill:var(--accent);fill-opacity:.55;stroke:var(--brand);stroke-width:.5}svg.map .place:hover{fill-opacity:.9}
        table{border-collapse:collapse;width:100%}
        caption,.caption{text-align:left;font-size:12px;color:var(--muted);padding:2px 0 6px;margin:0}
        th a.sort{color:inherit;text-decoration:none}th a.sort:hover{text-decoration:underline}
        a.csv{font-size:11px;border:1px solid var(--line);border-radius:3px;padding:0 4px;margin-left:4px;text-decoration:none}
        th,td{padding:5px 6px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
        th{font-size:12px;color:var(--muted);font-weight:600}
        .num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
        .rank{color:var(--muted);width:1.5em}
        .ranking td:nth-child(2){position:relative}
        .meter{display:block;height:3px;background:var(--accent);margin-top:3px;border-radius:2px}
        .detail{display:block;font-size:12px;color:var(--muted)}
        .ranking td:nth-child(2){overflow-wrap:break-word}
        .scroll{overflow-x:auto}
        .heatmap td{text-align:center;font-size:12px;min-width:44px}.heatmap td a{color:var(--ink);text-decoration:none;display:block}
        .heatmap td.dark a{color:#fff}
        .empty{color:var(--muted);font-style:italic}
        .message{max-width:520px;margin:40px auto;background:#fff;border:1px solid var(--line);border-radius:6px;padding:18px 22px}
        form.box{display:flex;flex-direction:column;gap:10px;max-width:640px}
        form.box label{display:flex;flex-direction:column;gap:3px}
        form.box .checks{display:flex;flex-wrap:wrap;gap:4px 16px}form.box .checks label{flex-direction:row;gap:6px;align-items:center}
        fieldset{border:1px solid var(--line);border-radius:6px}
        footer{max-width:1360px;margin:0 auto;padding:10px 16px 24px;color:var(--muted);font-size:12px}
        .narrow-only{display:none}
        @media (max-width:700px){.wide-only{display:none}.narrow-only{display:block}}
        @media (max-width:600px){body{font-size:14px}.card .value{font-size:19px}th,td{padding:4px 3px}.opt{display:none}}
        """
}
