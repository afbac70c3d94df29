import RuntimeShim
import Warehouse

let help = FunctionHelp(
    "Loads Components' dataset of Bandcamp sales (CSV under backfill/) in resumable chunks, through Load's own "
        + "path: a chunk commits with its progress, so a killed run goes on where it stopped.",
    events: [
        .init(
            "EventBridge's S3 Object Created under backfill/: load that dataset.",
            example: "--event events/backfill-object-created.json"),
        .init(
            "Load one dataset by its key.",
            example: #"{"command": "backfill", "key": "backfill/components/bandcamp-sales.csv"}"#),
        .init(
            "Go on with every dataset not yet loaded (the scheduled event does the same).",
            example: #"{"command": "continue"}   or   --event events/backfill-scheduled.json"#),
    ])

await Lambda.main(help: help) { try BackfillHandler.start($0) }
