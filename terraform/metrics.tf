# Alarms and a dashboard on what the functions report of each run: one line each in CloudWatch's Embedded Metric
# Format (namespace bandcamp-tracker, dimension Function), turned into metrics by CloudWatch Logs. Every alarm
# goes to the operations topic; the README's "Alarms" says what each means and what to do.

locals {
  metrics_namespace = "bandcamp-tracker"
  # Alarms on a sum over the last hour that must stay at zero: the metric, the function, and what to do.
  zero_alarms = {
    load-rejected = {
      metric = "ItemsRejected", function = "Load",
      what   = "Load refused feed items: each is in the load_reject table with its object key and reason; fix the parser or the data, then load the object again."
    }
    load-failed = {
      metric = "ObjectsFailed", function = "Load",
      what   = "Load found a raw object malformed (not gzip, not a feed window or page record): its reason is in load_ledger; the object is kept, nothing of it stored."
    }
    backfill-failed = {
      metric = "ObjectsFailed", function = "Backfill",
      what   = "A backfill dataset failed (its reason is in the backfill table): fix the file and send it again."
    }
    charts-failed = {
      metric = "ObjectsFailed", function = "Charts",
      what   = "A chart export was refused (its reason is in the ledger): check the file's columns and date."
    }
    report-deliveries = {
      metric = "DeliveriesFailed", function = "Report",
      what   = "Report emails failed (SES refused them; reasons in report_delivery): fix the sender or address, then run Report for that day again (it mails only those)."
    }
    alert-deliveries = {
      metric = "DeliveriesFailed", function = "Alert",
      what   = "Alert deliveries failed (reasons in alert_delivery): fix SES or SNS; the next hourly run sends them again, up to 5 attempts."
    }
  }
}

resource "aws_cloudwatch_metric_alarm" "zero" {
  for_each            = local.zero_alarms
  alarm_name          = "${var.name}-${each.key}"
  alarm_description   = each.value.what
  namespace           = local.metrics_namespace
  metric_name         = each.value.metric
  dimensions          = { Function = each.value.function }
  statistic           = "Sum"
  period              = 3600
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.operations.arn]
  ok_actions          = [aws_sns_topic.operations.arn]
}

# The feed stopped moving: Extract's cursor is more than 30 minutes behind now, or Extract reported nothing for
# 30 minutes (it runs every few minutes).
resource "aws_cloudwatch_metric_alarm" "feed_lag" {
  alarm_name          = "${var.name}-feed-lag"
  alarm_description   = "The sales feed is more than 30 minutes behind (or Extract has not run for 30 minutes): check Extract's errors and log, and Bandcamp's feed; the next run catches up from its cursor."
  namespace           = local.metrics_namespace
  metric_name         = "FeedLagSeconds"
  dimensions          = { Function = "Extract" }
  statistic           = "Maximum"
  period              = 900
  evaluation_periods  = 2
  threshold           = 1800
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "breaching"
  alarm_actions       = [aws_sns_topic.operations.arn]
  ok_actions          = [aws_sns_topic.operations.arn]
}

# Release pages waiting for a retry have stayed many for six hours: Bandcamp is refusing the pages, or Extract
# has no time left to read them.
resource "aws_cloudwatch_metric_alarm" "pages_pending" {
  alarm_name          = "${var.name}-pages-pending"
  alarm_description   = "Over 500 release pages have waited for six hours: read Extract's log for the pages' errors (429s: slow it down; timeouts: give it more time)."
  namespace           = local.metrics_namespace
  metric_name         = "PagesPending"
  dimensions          = { Function = "Extract" }
  statistic           = "Minimum"
  period              = 3600
  evaluation_periods  = 6
  threshold           = 500
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.operations.arn]
  ok_actions          = [aws_sns_topic.operations.arn]
}

# No report for 25 hours: the 06:00 run of today did not build one by 07:00.
resource "aws_cloudwatch_metric_alarm" "no_report" {
  alarm_name          = "${var.name}-no-report"
  alarm_description   = "No daily report was built in 25 hours (today's was due at 06:00 UTC): check Report's errors, then run it for the day ({\"date\": \"YYYY-MM-DD\"})."
  namespace           = local.metrics_namespace
  metric_name         = "ReportsBuilt"
  dimensions          = { Function = "Report" }
  statistic           = "Sum"
  period              = 3600
  evaluation_periods  = 25
  datapoints_to_alarm = 25
  threshold           = 1
  comparison_operator = "LessThanThreshold"
  treat_missing_data  = "breaching"
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
