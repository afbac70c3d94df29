import ReadModel
import Testing
import Tracker

@testable import Dashboard

@Suite("The gazetteer: the location lines of release pages placed on the map")
struct GazetteerTests {
    /// The location lines of the real release pages in ../shared/fixtures/bandcamp-pages, and others as Bandcamp
    /// writes them; each with the town, country and division it must find (nil: not placed).
    static let lines: [(String, (String, String, String)?)] = [
        ("Brisbane, Australia", ("Brisbane", "AU", "04")), ("Montréal, Québec", ("Montréal", "CA", "10")),
        ("Long Branch, New Jersey", ("Long Branch", "US", "NJ")), ("Oslo, Norway", ("Oslo", "NO", "12")),
        ("Saint Petersburg, Russia", ("Saint Petersburg", "RU", "66")), ("Italy", nil),
        ("Leeds, UK", ("Leeds", "GB", "ENG")), ("Glasgow, Scotland", ("Glasgow", "GB", "SCT")),
        ("Portland, Oregon", ("Portland", "US", "OR")), ("Portland, Maine", ("Portland", "US", "ME")),
        ("Los Angeles, CA", ("Los Angeles", "US", "CA")), ("London, Ontario", ("London", "CA", "08")),
        ("London, UK", ("London", "GB", "ENG")), ("London", ("London", "GB", "ENG")),
        ("Melbourne, Victoria", ("Melbourne", "AU", "07")), ("Melbourne, Florida", ("Melbourne", "US", "FL")),
        ("Atlanta, Georgia", ("Atlanta", "US", "GA")), ("Tbilisi, Georgia", ("Tbilisi", "GE", "51")),
        ("MONTREAL, quebec", ("Montréal", "CA", "10")), ("  Berlin ,  Germany ", ("Berlin", "DE", "16")),
        ("Reykjavík, Iceland", ("Reykjavík", "IS", "39")), ("Tokyo, Japan", ("Tokyo", "JP", "40")),
        ("Nowhere Town, UK", nil), ("Leeds, Japan", nil), ("", nil), (",,,", nil), ("<script>, UK", nil),
    ]

    @Test("each line finds its town, in the country or division its last part names")
    func places() {
        for (line, expected) in Self.lines {
            let place = Gazetteer.world.place(line)
            let found = place.map { "\($0.name)|\($0.country)|\($0.division)" }
            #expect(found == expected.map { "\($0.0)|\($0.1)|\($0.2)" }, "\(line)")
        }
    }

    @Test("the towns are on the map's frame, most populous first, and Georgia is a state before a country")
    func table() {
        let london = Gazetteer.world.towns[PlaceName.key("London")] ?? []
        #expect(london.count > 1 && london.first?.country == "GB")
        #expect(zip(london, london.dropFirst()).allSatisfy { $0.population >= $1.population })
        #expect(Gazetteer.world.towns.count > 25_000)
        for town in Gazetteer.world.towns.values.joined() {
            guard (0...WorldMap.size.width).contains(town.x), (0...WorldMap.size.height).contains(town.y) else {
                Issue.record("\(town.name) is off the map at \(town.x), \(town.y)")
                return
            }
        }
        #expect(
            Gazetteer.world.areas[PlaceName.key("Georgia")] == [.division(country: "US", code: "GA"), .country("GE")])
        // A made-up table: a line that breaks the format is left out, the rest read.
        let small = Gazetteer(table: "Alpha|AA|01|100|1|2\nbroken line\nAlpha|AB|02|200|3|4\n")
        #expect(small.towns["alpha"]?.map { $0.country } == ["AB", "AA"])
    }

    @Test("sales gathered by town: lines naming one town add up, unplaced ones are counted apart, cents exact")
    func gathered() {
        let places = ArtistPlaces([
            LocationSales(location: "Leeds, UK", sales: 5, artists: 2, revenueUSD: Money("10.05")),
            LocationSales(location: "Leeds, England", sales: 3, artists: 1, revenueUSD: Money("0.96")),
            LocationSales(location: "Oslo, Norway", sales: 4, artists: 1, revenueUSD: Money("7")),
            LocationSales(location: "Xyzzyville", sales: 9, artists: 1, revenueUSD: Money("1.00")),
        ])
        #expect(places.rows.map { $0.place.name } == ["Leeds", "Oslo"])
        #expect(places.rows.map { $0.sales } == [8, 4] && places.rows.map { $0.artists } == [3, 1])
        #expect(places.rows.map { $0.revenueUSD } == [Money("11.01"), Money("7.00")])
        #expect(places.unplacedSales == 9)
    }
}
