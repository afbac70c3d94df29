import Foundation

/// A release of the demo's catalogue.
struct DemoRelease {
    var artist: String
    var host: String
    var title: String
    var slug: String
    var genres: [String]
    var place: (tag: String, line: String)
    var releaseDate: String
    var artID: Int

    var url: String { "https://\(host)/album/\(slug)" }
    func trackURL(_ number: Int) -> String { "https://\(host)/track/\(slug)-\(number)" }
}

/// The demo's small Bandcamp: 240 named artists (popularity by a Zipf law) with real genre tags and places, and
/// the risers it plants.
struct DemoCatalogue {
    /// Real Bandcamp genre tags, the more popular first.
    static let genres = [
        "electronic", "experimental", "ambient", "hip-hop/rap", "rock", "techno", "metal", "punk", "jazz", "folk",
        "indie rock", "house", "lo-fi", "synthwave", "drone", "post-punk", "shoegaze", "noise", "soundtrack",
        "black metal", "drum & bass", "dub", "classical", "dream pop", "darkwave", "hardcore", "jungle", "footwork",
        "city pop", "afrobeat", "field recordings", "modular synth", "doom", "post-rock", "breakcore", "chiptune",
    ]
    static let places: [(tag: String, line: String)] = [
        ("berlin", "Berlin, Germany"), ("brooklyn", "Brooklyn, New York"), ("london", "London, UK"),
        ("tokyo", "Tokyo, Japan"), ("melbourne", "Melbourne, Australia"), ("montréal", "Montréal, Québec"),
        ("glasgow", "Glasgow, UK"), ("são paulo", "São Paulo, Brazil"), ("reykjavík", "Reykjavík, Iceland"),
        ("portland", "Portland, Oregon"), ("mexico city", "Mexico City, Mexico"), ("lagos", "Lagos, Nigeria"),
        ("oslo", "Oslo, Norway"), ("seoul", "Seoul, South Korea"), ("chicago", "Chicago, Illinois"),
        ("paris", "Paris, France"), ("leeds", "Leeds, UK"), ("detroit", "Detroit, Michigan"),
    ]
    static let firstWords = [
        "Amber", "Velvet", "Hollow", "Silver", "Northern", "Paper", "Glass", "Quiet", "Neon", "Wild", "Distant",
        "Salt", "Iron", "Copper", "Lunar", "Ghost", "Cedar", "Violet", "Static", "Tidal",
    ]
    static let secondWords = [
        "Harbour", "Fields", "Choir", "Lanterns", "Engine", "Atlas", "Orchard", "Signal", "Cascade", "Monarch",
        "Archive", "Meridian",
    ]
    static let titleWords = [
        "Night", "Drive", "Tapes", "Sessions", "Blue", "Hours", "Rooms", "Echoes", "Weather", "Postcards", "Dust",
        "Motion", "Winter", "Rivers", "Lights", "Gardens", "Signals", "Horizons",
    ]

    var artists: [[DemoRelease]] = []
    private let popularity: Zipf
    /// The emerging artist, the established one that rises, and the rising genre's artists.
    private(set) var emerging: [DemoRelease] = []
    private(set) var established = 0
    private(set) var genreArtists: [[DemoRelease]] = []
    static let risingGenre = "dungeon synth"

    var releases: [DemoRelease] { (artists + [emerging] + genreArtists).flatMap { $0 } }

    init(random: inout SplitMix64) {
        let genreRank = Zipf(count: Self.genres.count, exponent: 0.9)
        var art = 2_000_000_000
        func artist(
            _ name: String, genres: [String], place: (tag: String, line: String), releases: Int,
            _ random: inout SplitMix64
        ) -> [DemoRelease] {
            let host = name.lowercased().filter { $0.isLetter || $0.isNumber } + ".bandcamp.com"
            return (0..<releases).map { index in
                let title =
                    Self.titleWords[Int(random.next() % UInt64(Self.titleWords.count))] + " "
                    + Self.titleWords[Int(random.next() % UInt64(Self.titleWords.count))]
                    + (index > 0 ? " \(["II", "III", "IV"][index - 1])" : "")
                art += 1
                return DemoRelease(
                    artist: name, host: host, title: title,
                    slug: title.lowercased().split(separator: " ").joined(separator: "-"),
                    genres: index == 0 ? genres : Array(genres.prefix(2)), place: place,
                    releaseDate: "20\(20 + index * 2)-0\(1 + index * 3)-1\(index)", artID: art)
            }
        }
        for (index, first) in Self.firstWords.enumerated() {
            for (other, second) in Self.secondWords.enumerated() {
                let name = (index + other) % 4 == 0 ? "The \(first) \(second)" : "\(first) \(second)"
                var genres: [String] = []
                while genres.count < 1 + Int(random.next() % 3) {
                    let genre = Self.genres[genreRank.sample(&random) - 1]
                    if !genres.contains(genre) { genres.append(genre) }
                }
                let place = Self.places[Int(random.next() % UInt64(Self.places.count))]
                artists.append(
                    artist(name, genres: genres, place: place, releases: 1 + Int(random.next() % 3), &random))
            }
        }
        // Shuffled, so that popularity is not alphabetical.
        artists.shuffle(using: &random)
        popularity = Zipf(count: artists.count, exponent: 1.07)
        established = 39
        emerging = artist(
            "Mirela Voss", genres: ["darkwave", "synthwave", "electronic"], place: ("lisbon", "Lisbon, Portugal"),
            releases: 2, &random)
        genreArtists = ["Gravemoor", "Thorn Keep", "Vigil of Ash", "The Sunken Crown", "Mossgate"].map {
            artist(
                $0, genres: [Self.risingGenre, "ambient"], place: Self.places[Int(random.next() % 18)], releases: 2,
                &random)
        }
    }

    /// A steady sale: an artist by popularity, one of its releases.
    func steadyRelease(_ random: inout SplitMix64) -> DemoRelease {
        let releases = artists[popularity.sample(&random) - 1]
        return releases[Int(random.next() % UInt64(releases.count))]
    }

    /// The planted sales in [start, stop): the genre's artists at 2 a day each throughout; in the three days before
    /// `end`, the emerging artist at 30 a day, the established one 25 a day more, the genre's artists 10 a day.
    func planted(from start: Int64, to stop: Int64, end: Int64, _ random: inout SplitMix64)
        -> [(time: Double, release: DemoRelease, track: Int?)]
    {
        var sales: [(time: Double, release: DemoRelease, track: Int?)] = []
        func spread(_ releases: [DemoRelease], perDay: Int, from: Int64, to: Int64) {
            guard to > from else { return }
            let count = Int((Double(perDay) * Double(to - from) / 86_400).rounded())
            for _ in 0..<count {
                let time = Double(from) + Double(to - from) * random.unit()
                sales.append((time, releases[Int(random.next() % UInt64(releases.count))], nil))
            }
        }
        let rise = max(start, end - 3 * 86_400)
        for releases in genreArtists {
            spread(releases, perDay: 2, from: start, to: min(stop, rise))
            spread(releases, perDay: 10, from: rise, to: stop)
        }
        spread(emerging, perDay: 30, from: rise, to: stop)
        spread(artists[established], perDay: 25, from: rise, to: stop)
        return sales
    }

    var plantedSummary: String {
        "\(emerging[0].artist) (from nowhere), \(artists[established][0].artist) (25 a day above its usual) and the "
            + "genre \(Self.risingGenre) (\(genreArtists.map { $0[0].artist }.joined(separator: ", ")))"
    }

    /// The start of the Friday between 7 and 13 days before `end`: a Bandcamp Friday, when Bandcamp waives its
    /// share and sales are about four times a day's.
    static func bandcampFriday(from first: Int64, to end: Int64) -> Int64 {
        var day = end - end % 86_400 - 7 * 86_400
        // 1970-01-01 was a Thursday: a day's number plus 4, mod 7, is 0 on a Sunday, 5 on a Friday.
        while (day / 86_400 + 4) % 7 != 5 { day -= 86_400 }
        return max(first, day)
    }
}
