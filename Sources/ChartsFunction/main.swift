import RuntimeShim
import Warehouse

let help = FunctionHelp(
    "Imports Spotify's chart exports (CSV under charts/), once per chart and date, for the dashboard's charts "
        + "page.",
    events: [
        .init(
            "EventBridge's S3 Object Created under charts/: import that export.",
            example: "--event events/charts-object-created.json"),
        .init(
            "Import one export by its key.",
            example: #"{"command": "import", "key": "charts/regional-global-weekly-2023-06-01.csv"}"#),
        .init(
            "Import every export not yet imported (the scheduled event does the same).",
            example: #"{"command": "sweep"}   or   --event events/charts-scheduled.json"#),
    ])

await Lambda.main(help: help) { try ChartsHandler.start($0) }
