import Postgres

/// A slice of the sales that the rolling windows are also kept by (`summary_window_country_*` by buyer country,
/// `summary_window_type_*` by item type): a preset range narrowed to one reads its window rows.
enum SalesSlice: Sendable, Equatable {
    case country(String)
    case itemType(String)

    /// The slice a filter is, when one buyer country or one item type and the days are all that narrow it.
    init?(_ filter: DashboardFilter) {
        guard filter.genre == nil, filter.artist == nil else { return nil }
        self.init(country: filter.country, itemType: filter.itemType)
    }

    /// The slice of a buyer country or an item type, when exactly one is given.
    init?(country: String?, itemType: String?) {
        switch (country, itemType) {
        case (let country?, nil): self = .country(country)
        case (nil, let itemType?): self = .itemType(itemType)
        default: return nil
        }
    }

    /// The infix of its window tables, and the column that holds the slice in them.
    private var names: (table: String, column: String) {
        switch self {
        case .country: ("country", "country")
        case .itemType: ("type", "item_type")
        }
    }

    /// The rolling window table of `entity` (`artist`, `release`, `amount`) by this slice.
    func table(_ entity: String) -> SQLQuery { "summary_window_\(unescaped: names.table)_\(unescaped: entity)" }

    /// The genres' day summary by this slice (`summary_genre_country_day`, `summary_genre_type_day`).
    var genreDays: SQLQuery { "summary_genre_\(unescaped: names.table)_day" }

    /// The condition on the window row `alias` that picks this slice's rows.
    func picks(_ alias: String) -> SQLQuery {
        switch self {
        case .country(let code): "\(unescaped: alias).country = \(code)"
        case .itemType(let type): "\(unescaped: alias).item_type = \(type)::item_type"
        }
    }

    /// The condition that the window rows `alias` and `other` are of the same slice.
    func matches(_ alias: String, _ other: String) -> SQLQuery {
        "\(unescaped: alias).\(unescaped: names.column) = \(unescaped: other).\(unescaped: names.column)"
    }
}
