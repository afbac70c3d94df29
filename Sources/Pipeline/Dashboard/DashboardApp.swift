import Adapters
import LambdaEvents
import Logging
import Postgres
import ReadModel
import Tracker
import Warehouse

#if canImport(Glibc)
    import Glibc
#endif

/// The dashboard: every page, rendered on the server from the warehouse, behind a sign-in when credentials are
/// given; the confirmation and unsubscribe links work without one.
public struct DashboardApp: Sendable {
    let database: WarehouseDatabase
    let mailer: any Mailer
    let mailFrom: String
    /// Where the report function stores its PDFs (reports/), which the Reports page lists and downloads.
    let reports: any ObjectStore
    let credentials: DashboardCredentials?
    let now: @Sendable () -> Int64
    let logger: Logger
    /// The filter's genre list, kept between requests while the warehouse is not written.
    let genreChoices = GenreChoiceCache()

    /// A dashboard.
    /// - Parameters:
    ///   - reports: The object store the report function writes its PDFs to.
    ///   - credentials: Who may sign in; nil leaves the pages open (only for serving on this machine).
    ///   - now: The clock, seconds since 1970.
    public init(
        database: WarehouseDatabase, mailer: any Mailer, mailFrom: String, reports: any ObjectStore,
        credentials: DashboardCredentials?, logger: Logger,
        now: @escaping @Sendable () -> Int64 = { Int64(time(nil)) }
    ) {
        self.database = database
        self.mailer = mailer
        self.mailFrom = mailFrom
        self.reports = reports
        self.credentials = credentials
        self.logger = logger
        self.now = now
    }

    /// The response to a request. A warehouse that cannot be reached is a 503 page that says so.
    public func respond(_ request: FunctionURLRequest) async throws -> FunctionURLResponse {
        do {
            return try await route(request)
        } catch let error as PostgresError where error.code == .connection {
            logger.error("the warehouse cannot be reached: \(error)")
            return .page(
                503,
                PageFrame.message(
                    "The warehouse is not reachable", "The database did not answer; try again in a minute."))
        }
    }

    /// The filter's genre list: as kept, unless the warehouse was written since it was read.
    private func genres(_ query: DashboardQuery) async throws -> GenreChoiceCache.Choices {
        let version = try await query.warehouseVersion()
        if let kept = await genreChoices.choices(at: version) { return kept }
        let choices = try await query.genreChoices()
        await genreChoices.keep(choices, at: version)
        return choices
    }

    /// What a section answers: its page (status, body, notices) in the site's frame, or a response of its own
    /// (a table as CSV, a missing table).
    private enum Shown {
        case page(Int, HTML, [String])
        case response(FunctionURLResponse)
    }

    private func route(_ request: FunctionURLRequest) async throws -> FunctionURLResponse {
        let path =
            request.path.count > 1 && request.path.hasSuffix("/") ? String(request.path.dropLast()) : request.path
        let method = request.method
        let form = FormGuard(request)
        // Forms that change something come from this site's own pages only.
        if method == "POST", ["/sign-in", "/sign-out", "/subscribe", "/analysis"].contains(path),
            let refusal = FormGuard.refusal(request)
        {
            logger.notice("form refused", metadata: ["path": "\(path)", "why": "\(refusal)"])
            return .page(
                403,
                PageFrame.message(
                    "Not sent", "The form was not taken: \(refusal). Open the page again and send it from there."),
                cookies: form.setCookie.map { [$0] } ?? [])
        }
        // Links from emails, and the sign-in itself, work without a session.
        switch path {
        case "/unsubscribe":
            return try await database.withConnection {
                try await UnsubscribePage.respond(request, db: $0, logger: logger)
            }
        case "/confirm":
            return try await database.withConnection { try await confirm(request, db: $0) }
        case "/sign-in":
            return try await database.withConnection { try await signIn(request, form: form, db: $0) }
        case "/sign-out":
            guard method == "POST" else { return Self.methodNotAllowed }
            let secure = !request.isPlainHTTP
            return .redirect(
                "/sign-in", cookies: credentials.map { [SessionCookie(credentials: $0).clear(secure: secure)] } ?? [])
        default: break
        }
        if let credentials,
            !SessionCookie(credentials: credentials).isValid(request.cookie(SessionCookie.name), now: now())
        {
            let target = path + (request.rawQueryString.map { $0.isEmpty ? "" : "?" + $0 } ?? "")
            return .redirect("/sign-in?" + Form.encode([("next", target)]))
        }
        if path.hasPrefix(Section.reports.rawValue + "/") {
            guard method == "GET" || method == "HEAD" else { return Self.methodNotAllowed }
            return try await download(String(path.dropFirst()))
        }
        guard let section = Section(rawValue: path) else {
            return .page(
                404,
                PageFrame.message(
                    "Not found", "There is no page at this address: the dashboard's pages are above.",
                    navigation: true))
        }
        if section == .subscribe || section == .analysis {
            guard method == "GET" || method == "HEAD" || method == "POST" else { return Self.methodNotAllowed }
        } else if method != "GET" && method != "HEAD" {
            return Self.methodNotAllowed
        }
        return try await database.withConnection { db in
            let query = DashboardQuery(db: db)
            let latest = try await query.latestDay(now: now())
            let (parsed, problems) = DashboardFilter.parse(request.queryItems, latest: latest)
            let (filter, genreName) = try await query.resolvingGenre(parsed)
            let choices = FilterChoices(
                genreName: genreName,
                artist: try await filter.artist.asyncMap { try await query.artist($0) } ?? nil,
                countries: try await query.countryNames(),
                genres: try await genres(query))
            let unknown = Self.unknownValues(filter, choices: choices, section: section)
            let now = now()
            let view = TableView(path: section.rawValue, query: request.queryItems)
            // A table of the page as CSV, when the address asks for one; else the page.
            func show(_ page: some TablePage, status: Int = 200, notices: [String] = []) -> Shown {
                guard let id = TableView.requested(request.queryItems) else {
                    return .page(status, page.render(view), notices)
                }
                guard let table = page.tables.first(where: { $0.id == id }) else {
                    return .response(
                        .page(
                            404,
                            PageFrame.message(
                                "No such table", "This page has no table called '\(id.prefix(80))'.",
                                navigation: true)))
                }
                return .response(
                    .download(
                        Array(view.sorted(table).csv.utf8), contentType: "text/csv; charset=utf-8",
                        filename: view.filename(table), attachment: true))
            }
            // Each page reads its data first, then renders it.
            let shown: Shown
            switch section {
            case .overview:
                let other = await database.secondConnection().map { DashboardQuery(db: $0) }
                let page = try await forgettingLostConnection {
                    try await OverviewPage.fetch(query, other: other, filter, now: now)
                }
                shown = show(page)
            case .genres:
                let other = await database.secondConnection().map { DashboardQuery(db: $0) }
                let page = try await forgettingLostConnection {
                    try await GenresPage.fetch(query, other: other, filter, now: now)
                }
                shown = show(page)
            case .artists:
                let page = try await ArtistsPage.fetch(
                    query, filter, artist: choices.artist, search: request.query("q"))
                shown = show(page, status: page.found ? 200 : 404)
            case .discover:
                let (small, problem) = DiscoverPage.smallUnder(request.query("small"))
                let other = await database.secondConnection().map { DashboardQuery(db: $0) }
                let page = try await forgettingLostConnection {
                    try await DiscoverPage.fetch(query, other: other, filter, smallUnder: small)
                }
                shown = show(page, notices: problem.map { ["Ignored: \($0)."] } ?? [])
            case .geography:
                let page = try await GeographyPage.fetch(query, filter)
                shown = show(page)
            case .analysis:
                if method == "POST" {
                    // The range's PDF asked for, then the page again (a reload does not ask twice).
                    try await AnalysisPage.request(filter, reports)
                    logger.info(
                        "analysis PDF asked for", metadata: ["from": "\(filter.from.iso)", "to": "\(filter.to.iso)"])
                    return .redirect(filter.link("/analysis"), cookies: form.setCookie.map { [$0] } ?? [])
                }
                var page = try await AnalysisPage.fetch(query, filter, reports: reports)
                page.formField = form.field
                shown = show(page)
            case .charts:
                let explicit = request.query("from") != nil || request.query("to") != nil
                let page = try await ChartsPage.fetch(
                    query, filter, region: request.query("region"), period: request.query("period"),
                    explicitRange: explicit)
                shown = show(page, notices: page.notices)
            case .alerts:
                let page = try await AlertsPage.fetch(query, filter, now: now)
                shown = show(page)
            case .reports:
                let page = try await ReportsPage.fetch(reports)
                shown = show(page)
            case .subscribe:
                let outcome = try await subscribe(request, query: query, filter: filter, form: form, db: db)
                shown = .page(outcome.status, outcome.html, outcome.notices)
            }
            let (status, body, extraNotices): (Int, HTML, [String])
            switch shown {
            case .response(let response): return response
            case .page(let code, let html, let notices): (status, body, extraNotices) = (code, html, notices)
            }
            let title = section.title
            let notices = problems.map { "Ignored: \($0)." } + unknown + extraNotices
            return .page(
                status,
                PageFrame.page(
                    title, section: section, filter: filter, choices: choices,
                    signOut: credentials == nil ? nil : form, notices: notices, body: body),
                cookies: form.setCookie.map { [$0] } ?? [])
        }
    }

    /// A stored report, by its key: on S3 a redirect to a link valid for five minutes (the PDF does not pass
    /// through the function), from a folder the file itself. A key that names no report, or no report stored, is
    /// a 404 page.
    private func download(_ key: String) async throws -> FunctionURLResponse {
        let missing = FunctionURLResponse.page(
            404,
            PageFrame.message(
                "No such report", "No report is stored at this address: the stored ones are on the Reports page.",
                navigation: true))
        guard let file = ReportFile(key: key), try await reports.head(file.key) != nil else { return missing }
        if reports.hasWebLinks {
            return .redirect(reports.presignedURL(for: file.key, expiresIn: 300))
        }
        let object = try await reports.get(file.key)
        return .download(
            object.body, contentType: "application/pdf",
            filename: file.key.split(separator: "/").last.map(String.init) ?? "report.pdf")
    }

    /// Filter values nothing in the warehouse has, named: otherwise a page of zeros would look like a quiet market.
    static func unknownValues(_ filter: DashboardFilter, choices: FilterChoices, section: Section) -> [String] {
        var notices: [String] = []
        if let genre = filter.genre, choices.genreName == nil {
            notices.append("No genre is called '\(genre)', so nothing matches it: clear the genre to see everything.")
        }
        if let country = filter.country, CountryNames.name(country) == nil {
            notices.append("'\(country)' is no country's code, so nothing matches it: clear the country.")
        }
        if let artist = filter.artist, choices.artist == nil, section != .artists {
            notices.append("No artist has the number \(artist), so nothing matches it: clear the artist.")
        }
        return notices
    }

    /// Runs a page's reads; a lost connection is forgotten (the second too: either may be the one lost).
    private func forgettingLostConnection<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as PostgresError where error.code == .connection {
            database.dropSecondConnection()
            throw error
        }
    }

    static let methodNotAllowed = FunctionURLResponse.page(
        405, PageFrame.message("Not allowed", "This page does not take that kind of request."))

    // MARK: Sign-in

    private func signIn(_ request: FunctionURLRequest, form guardToken: FormGuard, db: PostgresConnection) async throws
        -> FunctionURLResponse
    {
        let next = Self.safeNext(request.query("next") ?? request.form.first { $0.name == "next" }?.value)
        guard let credentials else { return .redirect(next) }
        let form = { (message: String?) -> HTML in
            let notice: HTML = message.map { "<p class=\"notice error\" role=\"alert\">\($0)</p>" } ?? ""
            return """
                \(notice)
                <form class="box" method="post" action="/sign-in">\(guardToken.field)
                <input type="hidden" name="next" value="\(next)">
                <label>Username <input name="username" autocomplete="username" required></label>
                <label>Password <input name="password" type="password" autocomplete="current-password" required></label>
                <button type="submit">Sign in</button></form>
                """
        }
        switch request.method {
        case "GET", "HEAD":
            return .page(
                200, PageFrame.message("Sign in", "The dashboard is for the team.", form: form(nil)),
                cookies: guardToken.setCookie.map { [$0] } ?? [])
        case "POST":
            let limits = AttemptLimits(db: db)
            let device = SessionCookie.device(credentials)
            let trusted = device.isValid(request.cookie(device.cookieName), now: now())
            if let wait = try await limits.retryAfter(.signIn, source: request.sourceIP, trusted: trusted) {
                var response = FunctionURLResponse.page(
                    429,
                    PageFrame.message(
                        "Too many attempts", "Too many failed sign-ins; try again in \(Format.duration(Int(wait)))."))
                response.headers["retry-after"] = String(wait)
                logger.warning("sign-in refused: too many failed attempts")
                return response
            }
            let fields = request.form
            let username = fields.first { $0.name == "username" }?.value ?? ""
            let password = fields.first { $0.name == "password" }?.value ?? ""
            let accepted = credentials.accepts(username: username, password: password)
            try await limits.record(.signIn, source: request.sourceIP, succeeded: accepted)
            guard accepted else {
                logger.notice("sign-in failed")
                return .page(
                    401,
                    PageFrame.message(
                        "Sign in", "The dashboard is for the team.", form: form("Wrong username or password.")))
            }
            logger.info("signed in")
            let secure = !request.isPlainHTTP
            return .redirect(
                next,
                cookies: [
                    SessionCookie(credentials: credentials).issue(now: now(), secure: secure),
                    device.issue(now: now(), secure: secure),
                ])
        default:
            return Self.methodNotAllowed
        }
    }

    /// A path on this site to go to after signing in: never another site (`//host`, `https://…`).
    static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.hasPrefix("/\\"),
            !next.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }), next.utf8.count < 2000
        else { return "/" }
        return next
    }

    // MARK: Subscribe and confirm

    private func subscribe(
        _ request: FunctionURLRequest, query: DashboardQuery, filter: DashboardFilter, form guardToken: FormGuard,
        db: PostgresConnection
    ) async throws -> (status: Int, html: HTML, notices: [String]) {
        func form(_ values: [(name: String, value: String)], _ problems: [String]) async throws -> HTML {
            var page = try await SubscribePage.fetch(query, filter, values: values, problems: problems)
            page.formField = guardToken.field
            return page.render()
        }
        guard request.method == "POST" else {
            return (200, try await form(request.queryItems, []), [])
        }
        let fields = request.form
        var (signUp, problems) = SignUp.parse(fields)
        var genreIDs: [Int64] = []
        var artistIDs: [Int64] = []
        if let parsed = signUp {
            let genres = try await SubscriptionRequests.genres(parsed.genres, db: db)
            let artists = try await SubscriptionRequests.artists(
                ids: parsed.artistIDs, pages: parsed.artistPages, db: db)
            problems += genres.unknown.map { "no genre is called '\($0)'" }
            problems += artists.problems
            genreIDs = genres.ids
            artistIDs = artists.ids
            if !problems.isEmpty { signUp = nil }
        }
        guard let signUp else {
            return (400, try await form(fields, problems), [])
        }
        let limits = AttemptLimits(db: db)
        if try await limits.retryAfter(.signUp, source: request.sourceIP) != nil {
            return (
                429,
                try await form(fields, ["too many sign-ups from here; try later"]), []
            )
        }
        try await limits.record(.signUp, source: request.sourceIP, succeeded: true)
        let sent = "A confirmation email is on its way to \(signUp.email): nothing is sent until its link is followed."
        guard let token = try await SubscriptionRequests.create(signUp, tagIDs: genreIDs, artistIDs: artistIDs, db: db)
        else {
            logger.notice("sign-up not mailed: the address has had its confirmation emails for the day")
            return (200, try await form([], []), [sent])
        }
        let genreNames = try await db.query(
            "SELECT name FROM tag WHERE id = ANY(\(genreIDs)::bigint[]) ORDER BY name"
        ).map { try $0.decode("name", as: String.self) }
        let artistNames = try await db.query(
            "SELECT name, page_url FROM artist WHERE id = ANY(\(artistIDs)::bigint[]) ORDER BY name, page_url"
        ).map { "\(try $0.decode("name", as: String.self)) (\(DashboardQuery.host(try $0.decode("page_url"))))" }
        let link = request.origin + "/confirm?" + Form.encode([("token", token)])
        let message = SubscriptionRequests.email(
            from: mailFrom, to: signUp, link: link, genres: genreNames, artists: artistNames)
        do {
            let id = try await mailer.send(message)
            try await SubscriptionRequests.markMailed(token, db: db)
            logger.info("confirmation mailed", metadata: ["messageId": "\(id)"])
        } catch {
            logger.error("the confirmation email could not be sent: \(error)")
            return (
                503,
                try await form(fields, ["the confirmation email could not be sent; try again"]), []
            )
        }
        return (200, try await form([], []), [sent])
    }

    private func confirm(_ request: FunctionURLRequest, db: PostgresConnection) async throws -> FunctionURLResponse {
        guard let token = request.query("token"), !token.isEmpty, token.utf8.count <= 128 else {
            return .page(
                400, PageFrame.message("No request named", "This link has no token: use the link of the email."))
        }
        let outcome: ConfirmOutcome
        switch request.method {
        case "GET", "HEAD": outcome = try await SubscriptionRequests.pending(token, db: db)
        case "POST": outcome = try await SubscriptionRequests.confirm(token, db: db)
        default: return Self.methodNotAllowed
        }
        switch outcome {
        case .confirmed(let email) where request.method == "POST":
            logger.info("subscription confirmed")
            return .page(
                200, PageFrame.message("Subscribed", "\(email) is subscribed. Every email has a link to stop it."))
        case .confirmed(let email):
            return .page(
                200,
                PageFrame.button(
                    "Confirm?", "Send what was asked for to \(email)?",
                    action: "/confirm?" + Form.encode([("token", token)]), label: "Confirm"))
        case .already(let email):
            return .page(200, PageFrame.message("Subscribed", "\(email) had already confirmed this request."))
        case .expired:
            return .page(
                410,
                PageFrame.message(
                    "Link expired",
                    "This link was valid for \(SubscriptionRequests.validDays) days; sign up again for a new one."))
        case .unknown:
            return .page(404, PageFrame.message("Unknown link", "No request has this link; it may have been mistyped."))
        }
    }
}

extension Optional {
    /// The wrapped value transformed by an async function.
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
