# EventBridge: Extract on a rate, Load on every new raw object and on an hourly sweep, Report daily, Alert
# hourly. Each target retries for up to an hour and sends what it could not deliver to the failure queue;
# each permission lets only its own rule invoke the function.

locals {
  schedules = {
    extract    = { schedule = var.extract_schedule, function = module.extract, what = "poll the sales feed" }
    load-sweep = { schedule = var.load_sweep_schedule, function = module.load, what = "load raw objects whose event was lost" }
    report     = { schedule = var.report_schedule, function = module.report, what = "the daily report for the day before" }
    alert      = { schedule = var.alert_schedule, function = module.alert, what = "hourly trend tests" }
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

# S3 "Object Created" under raw/ (the bucket sends its events to EventBridge: storage.tf).
resource "aws_cloudwatch_event_rule" "load_objects" {
  name        = "${var.name}-load-objects"
  description = "${module.load.name}: each new raw object"
  event_pattern = jsonencode({
    source        = ["aws.s3"]
    "detail-type" = ["Object Created"]
    detail = {
      bucket = { name = [aws_s3_bucket.data.bucket] }
      object = { key = [{ prefix = "raw/" }] }
    }
  })
}

resource "aws_cloudwatch_event_target" "load_objects" {
  rule = aws_cloudwatch_event_rule.load_objects.name
  arn  = module.load.arn

  retry_policy {
    maximum_event_age_in_seconds = 21600
    maximum_retry_attempts       = 20
  }
  dead_letter_config {
    arn = aws_sqs_queue.failures.arn
  }
}

resource "aws_lambda_permission" "load_objects" {
  statement_id  = "EventBridge-load-objects"
  action        = "lambda:InvokeFunction"
  function_name = module.load.name
  principal     = "events.amazonaws.com"
  source_arn    = aws_cloudwatch_event_rule.load_objects.arn
}
