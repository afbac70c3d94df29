# EventBridge: Extract on a rate, Load on every new raw object and on an hourly sweep, Report daily and on every
# analysis asked for under requests/analysis/, Alert hourly, Backfill on every dataset put under backfill/ and
# every 15 minutes until it is done, Charts on every export put under charts/ and a daily sweep. Each target
# retries for up to an hour and sends what it could not deliver to the failure queue; each permission lets only
# its own rule invoke the function.

locals {
  schedules = {
    extract    = { schedule = var.extract_schedule, function = module.extract, what = "poll the sales feed" }
    load-sweep = { schedule = var.load_sweep_schedule, function = module.load, what = "load raw objects whose event was lost" }
    report     = { schedule = var.report_schedule, function = module.report, what = "the daily report for the day before" }
    alert      = { schedule = var.alert_schedule, function = module.alert, what = "hourly trend tests" }
    backfill   = { schedule = var.backfill_schedule, function = module.backfill, what = "go on with datasets not yet loaded" }
    charts     = { schedule = var.charts_sweep_schedule, function = module.charts, what = "import chart exports whose event was lost" }
  }
  # S3 "Object Created" under each prefix starts its function (the bucket sends its events to EventBridge:
  # storage.tf).
  object_rules = {
    load     = { prefix = "raw/", function = module.load, what = "each new raw object" }
    backfill = { prefix = "backfill/", function = module.backfill, what = "each dataset to backfill" }
    charts   = { prefix = "charts/", function = module.charts, what = "each chart export" }
    report   = { prefix = "requests/analysis/", function = module.report, what = "each analysis asked for" }
  }
}

resource "aws_cloudwatch_event_rule" "schedule" {
  for_each            = local.schedules
  name                = "${var.name}-${each.key}"
  description         = "${each.value.function.name}: ${each.value.what}"
  schedule_expression = each.value.schedule
}

resource "aws_cloudwatch_event_target" "schedule" {
  for_each = local.schedules
  rule     = aws_cloudwatch_event_rule.schedule[each.key].name
  arn      = each.value.function.arn

  retry_policy {
    maximum_event_age_in_seconds = 3600
    maximum_retry_attempts       = 10
  }
  dead_letter_config {
    arn = aws_sqs_queue.failures.arn
  }
}

resource "aws_lambda_permission" "schedule" {
  for_each      = local.schedules
  statement_id  = "EventBridge-${each.key}"
  action        = "lambda:InvokeFunction"
  function_name = each.value.function.name
  principal     = "events.amazonaws.com"
  source_arn    = aws_cloudwatch_event_rule.schedule[each.key].arn
}

resource "aws_cloudwatch_event_rule" "objects" {
  for_each    = local.object_rules
  name        = "${var.name}-${each.key}-objects"
  description = "${each.value.function.name}: ${each.value.what}"
  event_pattern = jsonencode({
    source        = ["aws.s3"]
    "detail-type" = ["Object Created"]
    detail = {
      bucket = { name = [aws_s3_bucket.data.bucket] }
      object = { key = [{ prefix = each.value.prefix }] }
    }
  })
}

resource "aws_cloudwatch_event_target" "objects" {
  for_each = local.object_rules
  rule     = aws_cloudwatch_event_rule.objects[each.key].name
  arn      = each.value.function.arn

  retry_policy {
    maximum_event_age_in_seconds = 21600
    maximum_retry_attempts       = 20
  }
  dead_letter_config {
    arn = aws_sqs_queue.failures.arn
  }
}

resource "aws_lambda_permission" "objects" {
  for_each      = local.object_rules
  statement_id  = "EventBridge-${each.key}-objects"
  action        = "lambda:InvokeFunction"
  function_name = each.value.function.name
  principal     = "events.amazonaws.com"
  source_arn    = aws_cloudwatch_event_rule.objects[each.key].arn
}

# Load's rule was a single resource before the backfill and the charts had theirs.
moved {
  from = aws_cloudwatch_event_rule.load_objects
  to   = aws_cloudwatch_event_rule.objects["load"]
}

moved {
  from = aws_cloudwatch_event_target.load_objects
  to   = aws_cloudwatch_event_target.objects["load"]
}

moved {
  from = aws_lambda_permission.load_objects
  to   = aws_lambda_permission.objects["load"]
}
