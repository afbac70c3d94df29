# Alarms and a dashboard on what the functions report of each run: one line each in CloudWatch's Embedded Metric
# Format (namespace bandcamp-tracker, dimension Function), turned into metrics by CloudWatch Logs. Every alarm
# goes to the operations topic; the README's "Alarms" says what each means and what to do.

locals {
  metrics_namespace = "bandcamp-tracker"
  # Each alarm: the metric and its function, the statistic over a period, how many periods, the threshold and
  # which side of it alarms, what missing data means, and what the operator should do.
  run_alarms = {
    load-rejected = {
      statistic = "Sum", period = 3600, periods = 1, threshold = 0, comparison = "GreaterThanThreshold",
      missing   = "notBreaching",
      metric    = "ItemsRejected", function = "Load",
      what      = "Load refused feed items: each is in the load_reject table with its object key and reason; fix the parser or the data, then load the object again."
    }
    load-failed = {
      statistic = "Sum", period = 3600, periods = 1, threshold = 0, comparison = "GreaterThanThreshold",
      missing   = "notBreaching",
      metric    = "ObjectsFailed", function = "Load",
      what      = "Load found a raw object malformed (not gzip, not a feed window or page record): its reason is in load_ledger; the object is kept, nothing of it stored."
    }
    backfill-failed = {
      statistic = "Sum", period = 3600, periods = 1, threshold = 0, comparison = "GreaterThanThreshold",
      missing   = "notBreaching",
      metric    = "ObjectsFailed", function = "Backfill",
      what      = "A backfill dataset failed (its reason is in the backfill table): fix the file and send it again."
    }
    charts-failed = {
      statistic = "Sum", period = 3600, periods = 1, threshold = 0, comparison = "GreaterThanThreshold",
      missing   = "notBreaching",
      metric    = "ObjectsFailed", function = "Charts",
      what      = "A chart export was refused (its reason is in the ledger): check the file's columns and date."
    }
    report-deliveries = {
      statistic = "Sum", period = 3600, periods = 1, threshold = 0, comparison = "GreaterThanThreshold",
      missing   = "notBreaching",
      metric    = "DeliveriesFailed", function = "Report",
      what      = "Report emails failed (SES refused them; reasons in report_delivery): fix the sender or address, then run Report for that day again (it mails only those)."
    }
    alert-deliveries = {
      statistic = "Sum", period = 3600, periods = 1, threshold = 0, comparison = "GreaterThanThreshold",
      missing   = "notBreaching",
      metric    = "DeliveriesFailed", function = "Alert",
      what      = "Alert deliveries failed (reasons in alert_delivery): fix SES or SNS; the next hourly run sends them again, up to 5 attempts."
    }
    # The feed stopped moving: Extract's cursor is over 30 minutes behind now, or Extract reported nothing for
    # 30 minutes (it runs every few minutes).
    feed-lag = {
      metric    = "FeedLagSeconds", function = "Extract", statistic = "Maximum", period = 900, periods = 2,
      threshold = 1800, comparison = "GreaterThanThreshold", missing = "breaching",
      what      = "The sales feed is more than 30 minutes behind (or Extract has not run for 30 minutes): check Extract's errors and log, and Bandcamp's feed; the next run catches up from its cursor."
    }
    # Release pages waiting for a retry have stayed many for six hours.
    pages-pending = {
      metric    = "PagesPending", function = "Extract", statistic = "Minimum", period = 3600, periods = 6,
      threshold = 500, comparison = "GreaterThanThreshold", missing = "notBreaching",
      what      = "Over 500 release pages have waited for six hours: read Extract's log for the pages' errors (429s: slow it down; timeouts: give it more time)."
    }
    # No report for 25 hours: the 06:00 run of today did not build one by 07:00.
    no-report = {
      metric    = "ReportsBuilt", function = "Report", statistic = "Sum", period = 3600, periods = 25,
      threshold = 1, comparison = "LessThanThreshold", missing = "breaching",
      what      = "No daily report was built in 25 hours (today's was due at 06:00 UTC): check Report's errors, then run it for the day ({\"date\": \"YYYY-MM-DD\"})."
    }
  }
}

resource "aws_cloudwatch_metric_alarm" "run" {
  for_each            = local.run_alarms
  alarm_name          = "${var.name}-${each.key}"
  alarm_description   = each.value.what
  namespace           = local.metrics_namespace
  metric_name         = each.value.metric
  dimensions          = { Function = each.value.function }
  statistic           = each.value.statistic
  period              = each.value.period
  evaluation_periods  = each.value.periods
  datapoints_to_alarm = each.value.periods
  threshold           = each.value.threshold
  comparison_operator = each.value.comparison
  treat_missing_data  = each.value.missing
  alarm_actions       = [aws_sns_topic.operations.arn]
  ok_actions          = [aws_sns_topic.operations.arn]
}

resource "aws_cloudwatch_dashboard" "operations" {
  dashboard_name = "${var.name}-operations"
  dashboard_body = jsonencode({
    widgets = [
      for index, widget in [
        { title = "Feed lag (s)", metrics = [["FeedLagSeconds", "Extract", "Maximum"]] },
        { title = "Windows and items stored", metrics = [["WindowsStored", "Extract", "Sum"], ["ItemsStored", "Extract", "Sum"]] },
        { title = "Release pages", metrics = [["PagesFetched", "Extract", "Sum"], ["PagesGone", "Extract", "Sum"], ["PagesPending", "Extract", "Maximum"]] },
        { title = "Sales loaded", metrics = [["SalesLoaded", "Load", "Sum"], ["SalesAlreadyStored", "Load", "Sum"], ["SalesLoaded", "Backfill", "Sum"]] },
        { title = "Refused and failed", metrics = [["ItemsRejected", "Load", "Sum"], ["ObjectsFailed", "Load", "Sum"], ["ObjectsFailed", "Backfill", "Sum"], ["ObjectsFailed", "Charts", "Sum"]] },
        { title = "Reports and alerts", metrics = [["ReportsBuilt", "Report", "Sum"], ["ReportsMailed", "Report", "Sum"], ["AlertsRaised", "Alert", "Sum"], ["AlertsSent", "Alert", "Sum"], ["DeliveriesFailed", "Report", "Sum"], ["DeliveriesFailed", "Alert", "Sum"]] },
        { title = "Run time (ms)", metrics = [["RunMilliseconds", "Extract", "p95"], ["RunMilliseconds", "Load", "p95"], ["RunMilliseconds", "Report", "p95"], ["RunMilliseconds", "Alert", "p95"]] },
        ] : {
        type   = "metric"
        x      = (index % 2) * 12
        y      = floor(index / 2) * 6
        width  = 12
        height = 6
        properties = {
          title   = widget.title
          region  = local.region
          period  = 300
          view    = "timeSeries"
          metrics = [for m in widget.metrics : [local.metrics_namespace, m[0], "Function", m[1], { stat = m[2] }]]
        }
      }
    ]
  })
}
