import ReadModel

/// The filter's genre list as the warehouse last gave it, kept while the warehouse's version stays the same: read
/// afresh it sums a year of genre days, 25–45 ms of every page at a year's volume.
actor GenreChoiceCache {
    typealias Choices = [(key: String, name: String, rising: Bool)]

    private var kept: (version: WarehouseVersion, choices: Choices)?

    /// The choices kept at `version`, if they were read at it.
    func choices(at version: WarehouseVersion) -> Choices? {
        guard let kept, kept.version == version else { return nil }
        return kept.choices
    }

    /// Keeps `choices`, read after the warehouse's version was `version` (read before, the version is at worst
    /// older than they are, and the next request reads them again).
    func keep(_ choices: Choices, at version: WarehouseVersion) {
        kept = (version, choices)
    }
}
