import ReadModel
import Tracker

/// The pieces pages are made of: panels, cards of headline figures, links to an artist.
enum PageParts {
    /// A titled panel around content.
    static func panel(_ title: String, _ content: HTML) -> HTML {
        "<section class=\"panel\"><h2>\(title)</h2>\n\(content)</section>\n"
    }

    /// Cards of headline figures, each with its change against the range before (`compare`).
    /// With `loadedBefore` short of the range before's days, every change is "not comparable".
    static func cards(
        _ items: [(label: String, value: String, change: Change)], compare: Bool = true,
        loadedBefore: (loaded: Int, days: Int)? = nil
    ) -> HTML {
        var html: HTML = "<div class=\"cards\">"
        for var item in items {
            if let loadedBefore { item.change = item.change.unless(loaded: loadedBefore.loaded, of: loadedBefore.days) }
            let direction =
                switch item.change.direction {
                case .up: " up"
                case .down: " down"
                case .flat: ""
                }
            let change: HTML =
                !compare
                ? ""
                : item.change.isComparable
                    ? "<div class=\"change\(direction)\">\(Format.change(item.change)) vs before</div>"
                    : "<div class=\"change\">\(Format.change(item.change))</div>"
            html += """
                <div class="card"><div class="label">\(item.label)</div><div class="value">\(item.value)</div>\
                \(change)</div>
                """
        }
        return html + "</div>\n"
    }

    /// The filter as hidden fields of a GET form of the page's own (a search, a size), so that sending it keeps
    /// the filter; `except` a field the form replaces.
    static func hiddenFields(_ filter: DashboardFilter, except: String? = nil) -> HTML {
        filter.queryItems.filter { $0.0 != except && !$0.1.isEmpty }.map {
            "<input type=\"hidden\" name=\"\($0.0)\" value=\"\($0.1)\">" as HTML
        }.joined()
    }

    /// The artist page of a ranking's artist row (its key is the artist's id), under the filter.
    static func artistLink(_ filter: DashboardFilter) -> (RankedRow) -> String? {
        { row in Int64(row.key).map { id in filter.link("/artists") { $0.artist = id } } }
    }

    /// The headline cards of a range against the range before.
    static func totalsCards(_ totals: Totals, before: Totals) -> [(label: String, value: String, change: Change)] {
        [
            ("Sales", Format.count(totals.sales), Change.between(Double(before.sales), Double(totals.sales))),
            (
                "Revenue", Format.usd(totals.revenueUSD),
                Change.between(before.revenueUSD.value, totals.revenueUSD.value)
            ),
        ]
    }
}
