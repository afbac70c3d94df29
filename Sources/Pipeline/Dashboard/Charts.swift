import ReadModel
import Tracker

#if canImport(Glibc)
    import Glibc
#endif

/// Charts as inline SVG and HTML: no script, no external file; every label escaped, every figure also in a
/// `<title>` (a tooltip, and what a screen reader says).
enum Charts {
    /// A column per day, with a scale of round numbers.
    /// - Parameter width: About as wide as the panel shows it (half a desktop's page by default; the whole for a
    ///   panel of its own), so that the labels come out near their size in the stylesheet.
    static func daily(
        _ points: [DayPoint], value: (DayPoint) -> Double, label: (Double) -> String, title: String,
        width: Double = 520
    ) -> HTML {
        let height = 210.0
        let left = 66.0
        let bottom = 24.0
        let top = 10.0
        let values = points.map(value)
        let scale = niceMaximum(values.max() ?? 0)
        let plotWidth = width - left - 4
        let plotHeight = height - top - bottom
        let step = plotWidth / Double(max(points.count, 1))
        var svg: HTML = """
            <svg class="chart" viewBox="0 0 \(Int(width)) \(Int(height))" role="img" aria-label="\(title)">\
            <title>\(title)</title>
            """
        for tick in 0...4 {
            let amount = scale * Double(tick) / 4
            let y = top + plotHeight - plotHeight * Double(tick) / 4
            svg += """
                <line x1="\(left)" x2="\(width - 4)" y1="\(fixed(y))" y2="\(fixed(y))" class="grid"/>\
                <text x="\(left - 6)" y="\(fixed(y + 4))" class="axis" text-anchor="end">\(label(amount))</text>
                """
        }
        for (index, point) in points.enumerated() {
            let amount = value(point)
            let barHeight = scale > 0 ? plotHeight * amount / scale : 0
            let x = left + step * Double(index) + step * 0.12
            svg += """
                <rect x="\(fixed(x))" y="\(fixed(top + plotHeight - barHeight))" width="\(fixed(max(step * 0.76, 0.5)))" \
                height="\(fixed(barHeight))" class="bar"><title>\(point.day.short) \(point.day.iso): \
                \(label(amount))</title></rect>
                """
        }
        let labelled = points.count <= 1 ? [0] : [0, points.count / 2, points.count - 1]
        for index in Set(labelled).sorted() where index < points.count {
            let x = left + step * (Double(index) + 0.5)
            let anchor = index == 0 ? "start" : index == points.count - 1 ? "end" : "middle"
            svg += """
                <text x="\(fixed(anchor == "start" ? left : anchor == "end" ? width - 4 : x))" y="\(fixed(height - 6))" \
                class="axis" text-anchor="\(anchor)">\(points[index].day.iso)</text>
                """
        }
        return svg + "</svg>\n"
    }

    /// A ranked list with bars: name (a link that filters by it, its Bandcamp page in the CSV), a bar of its
    /// share of the largest, sales, their share of `total` when given, revenue.
    /// - Parameter name: The first column's title (`Genre`, `Artist`).
    static func ranking(
        _ id: String, _ rows: [RankedRow], name: String, link: (RankedRow) -> String?, total: Int? = nil,
        caption: String, empty: String
    ) -> DataTable {
        let largest = max(rows.map(\.sales).max() ?? 1, 1)
        let addresses = rows.contains { $0.url != nil }
        var columns = [DataTable.Column("name", name, addressTitle: addresses ? "Bandcamp page" : nil)]
        columns.append(DataTable.Column("sales", "Sales", numeric: true))
        if total != nil { columns.append(DataTable.Column("share", "Share", numeric: true)) }
        columns.append(DataTable.Column("revenue", "Revenue", numeric: true))
        let cells = rows.map { row -> [DataTable.Cell] in
            var name = DataTable.Cell.text(row.name, link: link(row), address: row.url, detail: row.detail)
            name.meter = Double(row.sales) / Double(largest)
            var cells = [name, .count(row.sales)]
            if let total { cells.append(.percent(total > 0 ? Double(row.sales) / Double(total) : 0)) }
            cells.append(.usd(row.revenueUSD))
            return cells
        }
        return DataTable(id: id, caption: caption, columns: columns, rows: cells, empty: empty, numbered: true)
    }

    /// Text that may break after its dots (a host, `thepaperlanterns.<wbr>bandcamp.<wbr>com`) rather than inside
    /// a word.
    static func breakable(_ text: String) -> HTML {
        text.split(separator: ".", omittingEmptySubsequences: false).map { "\($0)" as HTML }.joined(
            separator: ".<wbr>")
    }

    /// A table of genres × countries: how much more (or less) of each genre a country buys than the average of
    /// these genres there. A cell's index is the genre's share of its sales bought from the country, against the
    /// country's share of all these genres' sales: 1.0× is the average, 2.0× twice it (shaded blue), 0.5× half
    /// (shaded orange). Each cell's title gives its sales and share.
    /// - Parameter csv: The link to the same table as CSV (`heatmapTable`).
    static func heatmap(
        genres: [RankedRow], countries: [RankedRow], cells: [String: [String: Int]], csv: String,
        link: (String, String) -> String
    ) -> HTML {
        guard !genres.isEmpty, !countries.isEmpty else {
            return "<p class=\"empty\">No genre has sales in this range.</p>\n"
        }
        let index = HeatmapIndex(genres: genres, countries: countries, cells: cells)
        var html: HTML = """
            <p class="caption" id="heatmap-caption">How much more of each genre a country buys than of these genres \
            on average: 2.0× is twice its usual share (blue), 0.5× half (orange); hover for sales and shares \
            <a class="csv" href="\(csv)" download>CSV</a></p>
            <div class="scroll"><table class="heatmap" id="heatmap" aria-describedby="heatmap-caption">\
            <thead><tr><th scope="col">Genre</th>
            """
        for country in countries {
            html += "<th scope=\"col\" title=\"\(country.name)\">\(country.key)</th>"
        }
        html += "</tr></thead><tbody>\n"
        for genre in genres {
            html += "<tr><th scope=\"row\">\(genre.name)</th>"
            for country in countries {
                let cell = index.cell(genre, country)
                // Shade by how far from the average, on a log scale: 4× (or ¼) is the darkest.
                let strength = cell.sales == 0 ? 0 : min(1, abs(log2(max(cell.index, 1e-9))) / 2)
                let colour = cell.index >= 1 ? "14,110,150" : "224,122,47"
                html += """
                    <td style="background:rgba(\(colour),\(fixed(0.06 + 0.84 * strength)))" \
                    class="\(strength > 0.55 && cell.index >= 1 ? "dark" : "")">\
                    <a href="\(link(genre.key, country.key))" title="\(genre.name) in \(country.name): \
                    \(Format.count(cell.sales)) sales, \(Format.percent(cell.share)) of the genre's \
                    (\(Format.percent(cell.countryShare)) of these genres' sales are bought there)">\
                    \(HeatmapIndex.shown(cell))</a></td>
                    """
            }
            html += "</tr>\n"
        }
        return html + "</tbody></table></div>\n"
    }

    /// The heatmap's indices as a table (`heatmap`): a row per genre, a column per country.
    static func heatmapTable(genres: [RankedRow], countries: [RankedRow], cells: [String: [String: Int]])
        -> DataTable
    {
        let index = HeatmapIndex(genres: genres, countries: countries, cells: cells)
        return DataTable(
            id: "heatmap", caption: "How much more of each genre a country buys than of these genres on average",
            columns: [DataTable.Column("genre", "Genre")]
                + countries.map { DataTable.Column($0.key, $0.key, numeric: true) },
            rows: genres.map { genre in
                [.text(genre.name)]
                    + countries.map { country in
                        let cell = index.cell(genre, country)
                        return cell.sales == 0
                            ? DataTable.Cell("", .missing)
                            : DataTable.Cell(HeatmapIndex.shown(cell), .number(cell.index))
                    }
            },
            empty: "No genre has sales in this range.")
    }

    /// The world's countries shaded by sales (a logarithmic scale), each a link that filters by it.
    static func worldMap(_ countries: [RankedRow], link: (String) -> String) -> HTML {
        let byCode = Dictionary(countries.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        let largest = log(Double(max(countries.map(\.sales).max() ?? 1, 1)) + 1)
        var svg: HTML = """
            <svg class="map" viewBox="0 0 \(Int(WorldMap.size.width)) \(Int(WorldMap.size.height.rounded(.up)))" \
            role="img" aria-label="Sales by buyer country"><title>Sales by buyer country</title>

            """
        for country in WorldMap.countries {
            guard let row = byCode[country.code] else {
                svg += "<path d=\"\(country.path)\" class=\"land\"><title>\(country.name): no sales</title></path>\n"
                continue
            }
            let intensity = largest > 0 ? log(Double(row.sales) + 1) / largest : 0
            svg += """
                <a href="\(link(country.code))"><path d="\(country.path)" class="sold" \
                style="fill-opacity:\(fixed(0.15 + 0.85 * intensity))"><title>\(row.name): \
                \(Format.count(row.sales)) sales, \(Format.usd(row.revenueUSD))</title></path></a>

                """
        }
        return svg + "</svg>\n"
    }

    /// The towns artists say they are in, a circle each over the world's outlines, its area in proportion to
    /// its sales; each circle's title gives the town and its figures.
    static func placesMap(_ rows: [ArtistPlaces.Row]) -> HTML {
        let largest = Double(max(rows.map(\.sales).max() ?? 1, 1))
        var svg: HTML = """
            <svg class="map" viewBox="0 0 \(Int(WorldMap.size.width)) \(Int(WorldMap.size.height.rounded(.up)))" \
            role="img" aria-label="Where the artists are based"><title>Where the artists are based</title>

            """
        for country in WorldMap.countries {
            svg += "<path d=\"\(country.path)\" class=\"land\"/>\n"
        }
        // The largest first, so that the smaller towns are drawn over them.
        for row in rows.sorted(by: { $0.sales > $1.sales }) {
            let radius = 1.5 + 16 * (Double(row.sales) / largest).squareRoot()
            svg += """
                <circle cx="\(fixed(row.place.x))" cy="\(fixed(row.place.y))" r="\(fixed(radius))" class="place">\
                <title>\(row.place.title): \(Format.count(row.sales)) sales of \
                \(Format.count(row.artists, "artist", "artists")), \
                \(Format.usd(row.revenueUSD))</title></circle>

                """
        }
        return svg + "</svg>\n"
    }

    /// Labelled counts with bars and their shares of all.
    static func bands(_ id: String, _ bands: [(label: String, sales: Int)], title: String, caption: String)
        -> DataTable
    {
        let total = max(bands.reduce(0) { $0 + $1.sales }, 1)
        let largest = max(bands.map(\.sales).max() ?? 1, 1)
        return DataTable(
            id: id, caption: caption,
            columns: [
                .init("band", title), .init("sales", "Sales", numeric: true), .init("share", "Share", numeric: true),
            ],
            rows: bands.map { band in
                var label = DataTable.Cell.text(band.label)
                label.meter = Double(band.sales) / Double(largest)
                return [label, .count(band.sales), .percent(Double(band.sales) / Double(total))]
            },
            empty: "No sales.")
    }

    /// The round number at or above a maximum, for a scale: 1, 2, 2.5 or 5 times a power of ten.
    static func niceMaximum(_ value: Double) -> Double {
        guard value > 0 else { return 1 }
        let power = pow(10, floor(log10(value)))
        for factor in [1, 2, 2.5, 5, 10] where factor * power >= value { return factor * power }
        return 10 * power
    }

    /// A coordinate with at most one decimal.
    static func fixed(_ value: Double) -> String {
        guard value.isFinite, value.magnitude < 1e12 else { return "0" }
        let tenths = (value * 10).rounded()
        let whole = Int(tenths) / 10
        let rest = abs(Int(tenths) % 10)
        if rest == 0 { return String(whole) }
        return (tenths < 0 && whole == 0 ? "-" : "") + "\(whole).\(rest)"
    }
}
