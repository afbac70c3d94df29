import Dashboard
import RuntimeShim

let help = FunctionHelp(
    "Serves the dashboard behind a function URL: the overview, genres, artists, geography, analysis, charts, "
        + "alerts and the sign-up, every page signed in (DASHBOARD_SECRET_ARN; locally optional).",
    events: [
        .init(
            "A function URL request (payload format 2.0); on a laptop, serve HTTP instead.",
            example: "--serve 127.0.0.1:8080   (scripts/dashboard)")
    ])

await Lambda.main(help: help) { try await DashboardHandler.start($0) }
