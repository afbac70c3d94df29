import Testing

@testable import Configuration

@Suite("Settings from the environment")
struct SettingsTests {
    let lambda = ["AWS_LAMBDA_RUNTIME_API": "127.0.0.1:9001", "AWS_LAMBDA_FUNCTION_NAME": "load"]

    @Test("on a laptop every setting has a default that needs no cloud")
    func localDefaults() throws {
        let settings = try Settings.load(
            environment: ["BANDCAMP_TRACKER_HOME": "/repo"], needs: Set(Settings.Need.allCases),
            workingDirectory: "/work")
        #expect(settings.objectStore == .folder(path: "/repo/.local/objects"))
        #expect(settings.databaseURL == "postgresql://bandcamp_tracker@127.0.0.1:54329/bandcamp_tracker")
        #expect(settings.mailer == .outbox(path: "/repo/.local/outbox"))
        #expect(settings.notifier == .outbox(path: "/repo/.local/outbox"))
        #expect(settings.bandcampBaseURL == "https://bandcamp.com")
        #expect(settings.loadSweepDays == 2 && settings.backfillChunkRows == 50_000 && settings.alertDigestHour == 7)
        #expect(settings.unsubscribeURL == nil && settings.dashboardSecretID == nil)
    }

    @Test("on Lambda a missing setting is an error that names every variable")
    func noDefaultsOnLambda() {
        let error = #expect(throws: ConfigurationError.self) {
            try Settings.load(
                environment: lambda, needs: [.objectStore, .database, .mail, .notifications], workingDirectory: "/")
        }
        let variables = error?.problems.map(\.variable) ?? []
        #expect(variables == ["OBJECT_STORE_URL", "DATABASE_URL", "MAILER_URL", "MAIL_FROM", "NOTIFIER_URL"])
        #expect(error?.description.contains("OBJECT_STORE_URL is not set") == true)
    }

    @Test("only the settings a function needs are checked")
    func onlyNeeds() throws {
        var environment = lambda
        environment["OBJECT_STORE_URL"] = "s3://bandcamp-tracker-data/pipeline"
        let settings = try Settings.load(
            environment: environment, needs: [.objectStore, .bandcamp], workingDirectory: "/")
        #expect(settings.objectStore == .s3(bucket: "bandcamp-tracker-data", prefix: "pipeline/"))
    }

    @Test(
        "malformed values are named with what is wrong",
        arguments: [
            ("OBJECT_STORE_URL", "ftp://x", "neither file:///path nor s3://bucket/prefix"),
            ("OBJECT_STORE_URL", "s3://Bad_Bucket/x", "not a valid S3 bucket name"),
            ("OBJECT_STORE_URL", "file://relative/path", "absolute file URL"),
            ("DATABASE_URL", "mysql://x", "must start with postgresql://"),
            ("MAILER_URL", "smtp://x", "neither ses: nor file:///path"),
            ("MAIL_FROM", "not-an-address", "is not an email address"),
            ("NOTIFIER_URL", "topic", "neither an SNS topic ARN"),
            ("BANDCAMP_BASE_URL", "bandcamp.com", "must be an http:// or https:// URL"),
            ("BANDCAMP_CONNECT_TO", "a:1:b", "is not HOST:PORT:CONNECT-HOST:CONNECT-PORT"),
            ("BANDCAMP_PAGE_SCHEME", "ftp", "must be https or http"),
            ("LOAD_SWEEP_DAYS", "0", "is not a number of days from 1 to 3660"),
            ("LOAD_SWEEP_DAYS", "two", "is not a number of days"),
            ("BACKFILL_CHUNK_ROWS", "-5", "is not a number of rows from 1 to 10000000"),
            ("ALERT_DIGEST_HOUR", "25", "is not an hour (UTC) from 0 to 23"),
            ("UNSUBSCRIBE_URL", "ftp://example.com/u", "is not an http:// or https:// URL"),
        ])
    func malformed(variable: String, value: String, complaint: String) {
        let error = #expect(throws: ConfigurationError.self) {
            try Settings.load(
                environment: [variable: value], needs: Set(Settings.Need.allCases), workingDirectory: "/work")
        }
        #expect(error?.problems.count == 1)
        #expect(error?.problems.first?.variable == variable)
        #expect(error?.problems.first?.message.contains(complaint) == true)
    }

    @Test("on AWS a password in DATABASE_URL is refused: it belongs in Secrets Manager")
    func passwordOnAWS() {
        var environment = lambda
        environment["DATABASE_URL"] = "postgresql://tracker:hunter2@db.internal:5432/tracker"
        let error = #expect(throws: ConfigurationError.self) {
            try Settings.load(environment: environment, needs: [.database], workingDirectory: "/")
        }
        #expect(error?.problems.first?.message.contains("DATABASE_SECRET_ARN") == true)
        #expect(error?.description.contains("hunter2") == false)
    }

    @Test("on AWS the database connection is encrypted: sslmode=require unless the URL asks for more")
    func tlsOnAWS() throws {
        var environment = lambda
        environment["DATABASE_URL"] = "postgresql://tracker@db.internal:5432/tracker"
        let plain = try Settings.load(environment: environment, needs: [.database], workingDirectory: "/")
        #expect(plain.databaseURL == "postgresql://tracker@db.internal:5432/tracker?sslmode=require")
        environment["DATABASE_URL"] =
            "postgresql://tracker@db.internal/tracker?sslmode=verify-full&sslrootcert=/opt/rds.pem"
        let strict = try Settings.load(environment: environment, needs: [.database], workingDirectory: "/")
        #expect(strict.databaseURL == environment["DATABASE_URL"])
        environment["DATABASE_URL"] = "postgresql://tracker@db.internal/tracker?sslmode=prefer"
        let error = #expect(throws: ConfigurationError.self) {
            try Settings.load(environment: environment, needs: [.database], workingDirectory: "/")
        }
        #expect(error?.description.contains("TLS is required") == true)
    }

    @Test("AWS settings are read as given")
    func awsSettings() throws {
        var environment = lambda
        environment["OBJECT_STORE_URL"] = "s3://bandcamp-tracker-data"
        environment["DATABASE_URL"] = "postgresql://tracker@db.internal:5432/tracker?sslmode=verify-full"
        environment["DATABASE_SECRET_ARN"] = "arn:aws:secretsmanager:eu-west-2:123456789012:secret:rds!db-1"
        environment["MAILER_URL"] = "ses:"
        environment["MAIL_FROM"] = "Bandcamp Tracker <reports@example.com>"
        environment["NOTIFIER_URL"] = "arn:aws:sns:eu-west-2:123456789012:bandcamp-tracker-alerts"
        environment["BANDCAMP_BASE_URL"] = "http://127.0.0.1:8080/"
        environment["BANDCAMP_CONNECT_TO"] = "artist.bandcamp.com:443:127.0.0.1:8443, x.example:80:127.0.0.1:8080"
        environment.merge(
            [
                "DASHBOARD_SECRET_ARN": "arn:aws:secretsmanager:eu-west-2:123456789012:secret:dashboard",
                "DASHBOARD_CREDENTIALS_FILE": "/tmp/credentials.json", "LOAD_SWEEP_DAYS": "3", "ALERT_DIGEST_HOUR": "0",
                "UNSUBSCRIBE_URL": "https://abc.lambda-url.eu-west-2.on.aws/",
            ]
        ) { _, new in new }
        let settings = try Settings.load(
            environment: environment, needs: Set(Settings.Need.allCases), workingDirectory: "/work")
        #expect(settings.databaseSecretID == "arn:aws:secretsmanager:eu-west-2:123456789012:secret:rds!db-1")
        #expect(settings.mailer == .ses)
        #expect(settings.notifier == .sns(topicARN: "arn:aws:sns:eu-west-2:123456789012:bandcamp-tracker-alerts"))
        #expect(settings.bandcampBaseURL == "http://127.0.0.1:8080")
        #expect(
            settings.bandcampConnectTo == ["artist.bandcamp.com:443:127.0.0.1:8443", "x.example:80:127.0.0.1:8080"])
        #expect(settings.dashboardSecretID == "arn:aws:secretsmanager:eu-west-2:123456789012:secret:dashboard")
        #expect(settings.dashboardCredentialsFile == nil, "a local file never stands in for the secret on Lambda")
        #expect(settings.loadSweepDays == 3 && settings.alertDigestHour == 0)
        #expect(settings.unsubscribeURL == "https://abc.lambda-url.eu-west-2.on.aws/")
    }

    @Test("on Lambda the dashboard needs its sign-in secret; locally its pages may be open")
    func dashboardSignIn() throws {
        var environment = lambda
        environment["DATABASE_URL"] = "postgresql://tracker@db.internal:5432/tracker"
        let error = #expect(throws: ConfigurationError.self) {
            try Settings.load(environment: environment, needs: [.database, .dashboardSignIn], workingDirectory: "/")
        }
        #expect(error?.problems.map(\.variable) == ["DASHBOARD_SECRET_ARN"])
        let local = try Settings.load(
            environment: ["DASHBOARD_CREDENTIALS_FILE": "/tmp/c.json"], needs: [.dashboardSignIn],
            workingDirectory: "/work")
        #expect(local.dashboardSecretID == nil && local.dashboardCredentialsFile == "/tmp/c.json")
    }

    @Test("a setting a function does not need is not read, however malformed")
    func unneededNotRead() throws {
        let settings = try Settings.load(
            environment: ["ALERT_DIGEST_HOUR": "noon", "LOAD_SWEEP_DAYS": "x"], needs: [.database],
            workingDirectory: "/work")
        #expect(settings.alertDigestHour == 7 && settings.loadSweepDays == 2)
    }

    @Test("a password is kept out of DATABASE_URL on AWS, however it is written, and out of every log line")
    func passwordInQuery() {
        var environment = lambda
        environment["DATABASE_URL"] = "postgresql://tracker@db.internal/tracker?sslmode=require&password=hunter2"
        let error = #expect(throws: ConfigurationError.self) {
            try Settings.load(environment: environment, needs: [.database], workingDirectory: "/")
        }
        #expect(error?.problems.first?.message.contains("DATABASE_SECRET_ARN") == true)
        #expect(
            Settings.redacted("postgresql://tracker:hunter2@db/x?sslmode=require&PASSWORD=hunter2")
                == "postgresql://tracker:***@db/x?sslmode=require&password=***")
        #expect(Settings.redacted("postgresql://tracker@db/x") == "postgresql://tracker@db/x")
    }
}
