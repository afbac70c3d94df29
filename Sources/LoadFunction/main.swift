import RuntimeShim
import Warehouse

let help = FunctionHelp(
    "Loads raw objects into the warehouse, each sale once whatever the retries, overlaps and kills, with the "
        + "summaries the dashboard, report and alerts read; migrates the schema at every cold start.",
    events: [
        .init(
            "EventBridge's S3 Object Created for a raw object: load it.",
            example: "--event events/s3-object-created.json"),
        .init(
            "Load one object by its key.",
            example: #"{"command": "load", "key": "raw/salesfeed/2025/06/10/00/1749513600-1749514200.json.gz"}"#),
        .init(
            "Load every raw object of the last N days (all days without days) not yet in the ledger; the "
                + "scheduled sweep is the same.",
            example: #"{"command": "sweep", "days": 2}   or   --event events/load-sweep.json"#),
        .init("Only bring the schema up to date.", example: #"{"command": "migrate"}"#),
        .init("Work every summary out again from the sales.", example: #"{"command": "rebuild-summaries"}"#),
    ])

await Lambda.main(help: help) { try LoadHandler.start($0) }
