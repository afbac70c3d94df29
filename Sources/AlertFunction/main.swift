import Alerts
import RuntimeShim

let help = FunctionHelp(
    "Tests every genre and artist for a rise of its share of Bandcamp's sales, records the signals, and tells "
        + "the subscribers who follow them (email as they happen or in a daily digest, or the SNS topic).",
    events: [
        .init(
            "EventBridge's scheduled event (hourly): the windows ending at that hour; the digest at "
                + "ALERT_DIGEST_HOUR.",
            example: "--event events/alert-scheduled.json"),
        .init(
            "The windows ending at an hour; digest true or false sends the digests or not whatever the hour.",
            example: #"{"at": "2026-11-22T06:00:00Z"}   or   {"at": "2026-11-22T07:00:00Z", "digest": true}"#),
    ])

await Lambda.main(help: help) { try AlertHandler.start($0) }
