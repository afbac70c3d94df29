import ReadModel
import Tracker

/// The sign-up form: the daily report, every alert, alerts on genres and artists; with what was typed kept and
/// what was wrong with it listed.
struct SubscribePage {
    var filter: DashboardFilter
    /// The form's fields as sent (empty for a new form).
    var values: [(name: String, value: String)]
    var problems: [String]
    /// The genres offered (the last 30 days' best-selling, and those asked for), and the artists asked for.
    var genreChoices: [(key: String, name: String)]
    var chosenGenres: Set<String>
    var artists: [ArtistHeader]
    /// The form's token (see `FormGuard`).
    var formField: HTML = ""

    static func fetch(
        _ query: DashboardQuery, _ filter: DashboardFilter, values: [(name: String, value: String)], problems: [String]
    ) async throws -> SubscribePage {
        let chosenGenres = Set(values.filter { $0.name == "genre" }.map(\.value) + [filter.genre].compactMap { $0 })
        var chosenArtists = Set(values.filter { $0.name == "artist_id" }.compactMap { Int64($0.value) })
        if let artist = filter.artist { chosenArtists.insert(artist) }
        let genres = try await query.genres(
            DashboardFilter(from: filter.to.adding(days: -29), to: filter.to), limit: 30)
        var genreChoices = genres.map { (key: $0.key, name: $0.name) }
        for key in chosenGenres.sorted() where !genreChoices.contains(where: { $0.key == key }) {
            genreChoices.append((key, try await query.genreName(key) ?? key))
        }
        var artists: [ArtistHeader] = []
        for id in chosenArtists.sorted() {
            if let artist = try await query.artist(id) { artists.append(artist) }
        }
        return SubscribePage(
            filter: filter, values: values, problems: problems, genreChoices: genreChoices,
            chosenGenres: chosenGenres, artists: artists)
    }

    private func value(_ name: String) -> String { values.last { $0.name == name }?.value ?? "" }

    func render() -> HTML {
        var artistBoxes = HTML()
        for artist in artists {
            artistBoxes += """
                <label><input type="checkbox" name="artist_id" value="\(artist.id)" checked> \(artist.name) \
                <span class="detail">\(DashboardQuery.host(artist.pageURL))</span></label>
                """
        }
        let dailyChecked: HTML = values.isEmpty || value("daily_report") == "on" ? " checked" : ""
        let everythingChecked: HTML = value("everything") == "on" ? " checked" : ""
        var html: HTML = "<h1>Subscribe</h1>\n"
        if !problems.isEmpty {
            html += """
                <div class="notice error" role="alert"><p>Nothing was sent:</p><ul>\
                \(problems.map { "<li>\($0)</li>" as HTML }.joined())</ul></div>

                """
        }
        html += """
            <form class="box panel" method="post" action="\(filter.link("/subscribe"))">\(formField)
            <p>The daily report and alerts by email. A confirmation email comes first: nothing is sent until its link is \
            followed, and every email has a one-click unsubscribe link.</p>
            <label>Email <input type="email" name="email" required maxlength="254" value="\(value("email"))" \
            autocomplete="email"></label>
            <label>Name (optional) <input name="name" maxlength="100" value="\(value("name"))" autocomplete="name"></label>
            <div class="checks"><label><input type="checkbox" name="daily_report"\(dailyChecked)> The daily report (PDF)</label>\
            <label><input type="checkbox" name="everything"\(everythingChecked)> \
            Every alert</label></div>
            <fieldset><legend>Alerts on these genres</legend><div class="checks">
            """
        for (key, name) in genreChoices {
            let checked: HTML = chosenGenres.contains(key) ? " checked" : ""
            html += "<label><input type=\"checkbox\" name=\"genre\" value=\"\(key)\"\(checked)> \(name)</label>"
        }
        let daily = value("frequency") == "daily"
        let immediateSelected: HTML = daily ? "" : " selected"
        let dailySelected: HTML = daily ? " selected" : ""
        html += """
            </div></fieldset>
            <fieldset><legend>Alerts on these artists</legend><div class="checks">\(artistBoxes)</div>
            <label>More artists, by their Bandcamp page (nilsfrahm.bandcamp.com, or the address of one of its \
            releases), separated by commas <input name="artists" value="\(value("artists"))" \
            placeholder="artist.bandcamp.com"></label>
            </fieldset>
            <label>Alerts <select name="frequency">\
            <option value="immediate"\(immediateSelected)>as they happen</option>\
            <option value="daily"\(dailySelected)>in one email a day</option>\
            </select></label>
            <button type="submit">Subscribe</button>
            </form>

            """
        return html
    }
}
