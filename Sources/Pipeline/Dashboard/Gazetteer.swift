import Tracker

/// Puts the location line of a release page on the map: "Leeds, UK", "Portland, Oregon", "Los Angeles, CA",
/// "Montréal, Québec", "Tokyo, Japan". The town is the part before the first comma; the last part, when it names a
/// country, a US state (by name or code), or a Canadian or Australian division, says where to look for it; among
/// towns of that name there (anywhere, when the last part names nothing known) the most populous is taken. A line
/// whose town the gazetteer lacks (it holds towns of 15,000 people or more) is not placed, rather than guessed.
struct Gazetteer: Sendable {
    /// A town on the map.
    struct Place: Hashable, Sendable {
        var name: String
        var country: String
        var division: String
        var population: Int
        /// On `WorldMap`'s frame.
        var x: Double
        var y: Double

        /// "Leeds, United Kingdom".
        var title: String { "\(name), \(CountryNames.name(country) ?? country)" }
    }

    /// Where a location line's last part says to look.
    enum Area: Equatable {
        case country(String)
        case division(country: String, code: String)
    }

    /// Towns by their name's place key, most populous first.
    let towns: [String: [Place]]
    /// Countries, US states, Canadian provinces and Australian states by their names' place keys (Georgia is a
    /// state and a country: both, the state first).
    let areas: [String: [Area]]

    /// The gazetteer of the towns in `GazetteerPlaces.swift`, read once per process.
    static let world = Gazetteer(table: table)

    init(table: String) {
        var towns: [String: [Place]] = [:]
        for line in table.split(separator: "\n") {
            let fields = line.split(separator: "|", omittingEmptySubsequences: false)
            guard fields.count == 6, let population = Int(fields[3]), let x = Double(fields[4]),
                let y = Double(fields[5])
            else { continue }
            let place = Place(
                name: String(fields[0]), country: String(fields[1]), division: String(fields[2]),
                population: population, x: x, y: y)
            towns[PlaceName.key(place.name), default: []].append(place)
        }
        self.towns = towns.mapValues { $0.sorted { $0.population > $1.population } }
        var areas: [String: [Area]] = [:]
        for (name, code) in Self.usStates {
            areas[PlaceName.key(name), default: []].append(.division(country: "US", code: code))
        }
        for (country, divisions) in Self.divisions {
            for (name, code) in divisions {
                areas[PlaceName.key(name), default: []].append(.division(country: country, code: code))
            }
        }
        for (code, name) in CountryNames.all.sorted(by: { $0.code < $1.code }) {
            areas[PlaceName.key(name), default: []].append(.country(code))
        }
        for (name, code) in Self.countryAliases where areas[PlaceName.key(name)] == nil {
            areas[PlaceName.key(name)] = [.country(code)]
        }
        self.areas = areas
    }

    /// The town a location line names, if the gazetteer has it.
    func place(_ location: String) -> Place? {
        let parts = location.split(separator: ",").map { String($0).trimmingSpaces() }.filter { !$0.isEmpty }
        guard let town = parts.first, let candidates = towns[PlaceName.key(town)], !candidates.isEmpty else {
            return nil
        }
        guard parts.count > 1, let last = parts.last, let areas = areas(last) else { return candidates.first }
        for area in areas {
            let found =
                switch area {
                case .country(let code): candidates.first { $0.country == code }
                case .division(let country, let code):
                    candidates.first { $0.country == country && $0.division == code }
                }
            if let found { return found }
        }
        return nil
    }

    /// What a location's last part names: a US state's code as Bandcamp writes it ("CA": California, not
    /// Canada), else a country, a state or a province by name.
    func areas(_ text: String) -> [Area]? {
        if text.utf8.count == 2, text.allSatisfy(\.isUppercase), Self.usStates.values.contains(text) {
            return [.division(country: "US", code: text)]
        }
        return areas[PlaceName.key(text)]
    }

    /// Names people give countries besides their standard ones.
    static let countryAliases: [(String, String)] = [
        ("UK", "GB"), ("U.K.", "GB"), ("Great Britain", "GB"), ("England", "GB"), ("Scotland", "GB"),
        ("Wales", "GB"), ("Northern Ireland", "GB"), ("USA", "US"), ("U.S.A.", "US"), ("US", "US"),
        ("United States of America", "US"), ("America", "US"), ("Holland", "NL"), ("The Netherlands", "NL"),
        ("Czech Republic", "CZ"), ("Korea", "KR"), ("Republic of Korea", "KR"), ("Russian Federation", "RU"),
        ("Deutschland", "DE"), ("España", "ES"), ("México", "MX"), ("Brasil", "BR"), ("Italia", "IT"),
        ("Éire", "IE"), ("Türkiye", "TR"), ("Turkey", "TR"), ("UAE", "AE"), ("Ivory Coast", "CI"),
    ]

    /// Canada's provinces and territories and Australia's states, with GeoNames' codes for them.
    static let divisions: [(String, [(String, String)])] = [
        (
            "CA",
            [
                ("Alberta", "01"), ("British Columbia", "02"), ("Manitoba", "03"), ("New Brunswick", "04"),
                ("Newfoundland and Labrador", "05"), ("Newfoundland", "05"), ("Nova Scotia", "07"), ("Ontario", "08"),
                ("Prince Edward Island", "09"), ("Quebec", "10"), ("Saskatchewan", "11"), ("Yukon", "12"),
                ("Northwest Territories", "13"), ("Nunavut", "14"),
            ]
        ),
        (
            "AU",
            [
                ("Australian Capital Territory", "01"), ("New South Wales", "02"), ("Northern Territory", "03"),
                ("Queensland", "04"), ("South Australia", "05"), ("Tasmania", "06"), ("Victoria", "07"),
                ("Western Australia", "08"),
            ]
        ),
    ]
}
