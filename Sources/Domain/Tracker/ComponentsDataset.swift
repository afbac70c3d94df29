/// Rows of Components' "1,000,000 Bandcamp sales" CSV (9 September - 2 October 2020) as sale rows: the same
/// model and identity as the live feed's, so that a sale in both is stored once.
///
/// The CSV's columns are the feed item's fields (`utc_date`, `url`, `item_type`, `amount_paid`, …) plus the
/// dataset's `_id` (`utc_date&url`, its time cut to fewer digits: not used); each row is one item. Items the feed
/// sent in one event come as neighbouring rows with the same `utc_date`, so identical items (the same thing
/// bought twice at once) are told apart within such a run of rows, as they are within an event. Prices, which the
/// dataset wrote through single precision (`9.98999977111816`), are taken back to the cent.
public struct ComponentsRows: Sendable {
    /// The columns the rows cannot do without.
    public static let requiredColumns = ["utc_date", "url", "item_type"]

    /// The header as read.
    public let header: [String]
    private let index: [String: Int]
    private let utcDateIndex: Int
    private var run: String?
    private var seen: [String: Int] = [:]
    /// The values a row may hold.
    public let domain: SaleDomain

    /// Rows under a header line.
    /// - Throws: `ComponentsDatasetError` when a required column is missing.
    public init(header: [String], domain: SaleDomain) throws {
        self.domain = domain
        let names = header.map { $0.collapsingWhitespace() }
        let index = CSVReader.columns(names)
        let missing = Self.requiredColumns.filter { index[$0] == nil }
        guard missing.isEmpty else {
            throw ComponentsDatasetError(
                "the header lacks the column\(missing.count == 1 ? "" : "s") \(missing.joined(separator: ", ")) "
                    + "(it has \(names.prefix(30).joined(separator: ", ")))")
        }
        self.header = names
        self.index = index
        self.utcDateIndex = index["utc_date"]!
    }

    /// The `utc_date` text of a record: rows with the same one belong to one run (see `startsRun`).
    public func runKey(_ fields: [String]) -> String {
        utcDateIndex < fields.count ? fields[utcDateIndex] : ""
    }

    /// Whether a record starts a new run of rows (a new `utc_date`); resets the telling apart of identical items.
    public mutating func startsRun(_ fields: [String]) -> Bool {
        let key = runKey(fields)
        guard key != run else { return false }
        run = key
        seen.removeAll(keepingCapacity: true)
        return true
    }

    /// Forgets the current run (when reading starts again elsewhere in the file).
    public mutating func reset() {
        run = nil
        seen.removeAll(keepingCapacity: true)
    }

    /// The sale row of a record, or why there is none.
    public mutating func row(_ fields: [String]) -> Result<SaleRow, ComponentsDatasetError> {
        guard fields.count == header.count else {
            return .failure(ComponentsDatasetError("\(fields.count) fields where the header has \(header.count)"))
        }
        _ = startsRun(fields)
        var item = SaleItem(fields: CSVFields(index: index, values: fields))
        // The dataset wrote prices through single precision (9.99 as 9.98999977111816): back to the cent.
        item.itemPrice = item.itemPrice?.roundedToCents()
        switch SaleRow.make(item, eventDate: nil, domain: domain, seen: &seen) {
        case .success(let row): return .success(row)
        case .failure(let problem): return .failure(ComponentsDatasetError(problem.reason))
        }
    }
}

/// Why a row (or the header) of the Components dataset cannot be read.
public struct ComponentsDatasetError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}

/// A CSV record's fields by column name, read by the feed's lenient rules: an empty field is no value.
struct CSVFields: LenientFields {
    let index: [String: Int]
    let values: [String]

    func string(_ key: String) -> String? {
        guard let position = index[key], position < values.count else { return nil }
        let text = values[position]
        return text.isEmpty || text == "null" ? nil : text
    }

    func decimal(_ key: String) -> FeedNumber? {
        string(key).flatMap { FeedNumber($0) }
    }
}
