import Extract
import RuntimeShim

let help = FunctionHelp(
    "Follows Bandcamp's sales feed from its cursor into raw feed windows (raw/salesfeed/, one gzip JSON object a "
        + "window), then reads the pages of releases not seen before (raw/releases/), a few at a time.",
    events: [
        .init(
            "EventBridge's scheduled event (every few minutes): follow the feed up to now.",
            example: "--event events/extract-scheduled.json")
    ])

await Lambda.main(help: help) { try ExtractHandler.start($0) }
