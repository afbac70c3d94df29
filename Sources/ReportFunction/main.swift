import Report
import RuntimeShim

let help = FunctionHelp(
    "Builds a day's PDF report (who broke out, then the day's figures), stores it under reports/daily/ and mails "
        + "it to every subscriber who has not had it, and exports the day's sales for the lake; or builds the "
        + "analysis PDF of a range.",
    events: [
        .init(
            "EventBridge's scheduled event (06:00 UTC): the report of the day before, its sales' export, and any "
                + "analysis asked for and not yet built.",
            example: "--event events/report-scheduled.json"),
        .init(
            "The report of a day (resend: mail those who had it again too).",
            example: #"{"date": "2025-06-10"}   or   {"date": "2025-06-10", "resend": true}"#),
        .init(
            "Export a day's sales, once, as gzip JSON Lines under exports/sales/date=YYYY-MM-DD/.",
            example: #"{"command": "export-sales", "date": "2025-06-10"}"#),
        .init(
            "The analysis of a range of days, stored under reports/analysis/.",
            example: #"{"command": "analysis", "from": "2020-09-09", "to": "2020-10-02"}"#),
        .init(
            "EventBridge's S3 Object Created under requests/analysis/ (the dashboard's request): that analysis, then "
                + "the request deleted.",
            example: "--event events/report-analysis-requested.json"),
    ])

await Lambda.main(help: help) { try ReportHandler.start($0) }
