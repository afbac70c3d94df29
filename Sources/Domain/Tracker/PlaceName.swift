/// Places' names compared as people mean them: without case, accents or punctuation, so that "Montréal",
/// "montreal" and "MONTREAL!" are one place (the release page parser's place tags, the gazetteer's towns).
public enum PlaceName {
    /// The key of a name: its slug (lower case, runs of anything but letters and digits one `-`), with the Latin
    /// letters of Europe's and the Americas' place names unaccented: `montreal` for "Montréal".
    public static func key(_ name: String) -> String {
        String(
            ReleasePage.Tag.slug(name).unicodeScalars.map { scalar -> String in
                unaccented[scalar].map(String.init) ?? String(scalar)
            }.joined())
    }

    /// Latin letters with diacritics and their base letters.
    static let unaccented: [Unicode.Scalar: Character] = {
        var table: [Unicode.Scalar: Character] = [:]
        for (base, accented) in [
            ("a", "àáâãäåāăą"), ("c", "çćĉċč"), ("d", "ďđ"), ("e", "èéêëēĕėęě"), ("g", "ĝğġģ"), ("h", "ĥħ"),
            ("i", "ìíîïĩīĭįı"), ("j", "ĵ"), ("k", "ķ"), ("l", "ĺļľŀł"), ("n", "ñńņňŉ"), ("o", "òóôõöøōŏő"),
            ("r", "ŕŗř"), ("s", "śŝşšș"), ("t", "ţťŧț"), ("u", "ùúûüũūŭůűų"), ("w", "ŵ"), ("y", "ýÿŷ"),
            ("z", "źżž"),
        ] {
            for scalar in accented.unicodeScalars { table[scalar] = Character(base) }
        }
        return table
    }()
}
