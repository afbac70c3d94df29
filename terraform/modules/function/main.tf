# One function on the provided.al2023 runtime: its role (its own, nothing shared), its log group, its failure
# handling and its alarms. What it may do is the caller's policy_json, plus only what every function needs:
# writing to its own log group, sending a failed event to the failure queue, and, in a VPC, managing its
# network interfaces.

locals {
  in_vpc    = var.network != null
  log_group = "/aws/lambda/${var.name}"
}

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}

resource "aws_iam_role" "this" {
  name                 = var.name
  description          = "Execution role of ${var.name}"
  assume_role_policy   = data.aws_iam_policy_document.assume.json
  max_session_duration = 3600
}

data "aws_iam_policy_document" "common" {
  statement {
    sid       = "OwnLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.this.arn}:*"]
  }
  statement {
    sid       = "FailedEvents"
    actions   = ["sqs:SendMessage"]
    resources = [var.shared.failure_queue_arn]
  }
  statement {
    sid       = "EncryptedEnvironmentAndQueue"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = [var.shared.kms_key_arn]
  }
}

resource "aws_iam_role_policy" "common" {
  name   = "common"
  role   = aws_iam_role.this.id
  policy = data.aws_iam_policy_document.common.json
}

resource "aws_iam_role_policy" "function" {
  name   = "function"
  role   = aws_iam_role.this.id
  policy = var.policy_json
}

# Lambda creates, describes and deletes the function's network interfaces with these (AWS's managed policy;
# ec2:CreateNetworkInterface cannot be narrowed to a resource).
resource "aws_iam_role_policy_attachment" "vpc" {
  count      = local.in_vpc ? 1 : 0
  role       = aws_iam_role.this.name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"
}

# Active tracing: X-Ray's write-only managed policy (PutTraceSegments and PutTelemetryRecords, which take no
# resource).
resource "aws_iam_role_policy_attachment" "xray" {
  role       = aws_iam_role.this.name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/AWSXrayWriteOnlyAccess"
}

resource "aws_cloudwatch_log_group" "this" {
  #checkov:skip=CKV_AWS_338:Kept log_retention_days (30 by default): these are operational logs, not an audit trail, and a year of them costs more than the rest of the deployment.
  name              = local.log_group
  retention_in_days = var.shared.log_retention_days
  kms_key_id        = var.shared.kms_key_arn
}

resource "aws_lambda_function" "this" {
  #checkov:skip=CKV_AWS_116:Asynchronous failures go to the on-failure destination below (the event, the error and the response), which supersedes a dead-letter queue.
  #checkov:skip=CKV_AWS_272:Code signing needs an AWS Signer profile and signed S3 objects; the zips are built reproducibly by scripts/package from a reviewed commit (sha256 in dist/packages.tsv).
  #checkov:skip=CKV_AWS_117:Only ExtractFunction runs outside the VPC: it needs the internet (Bandcamp) and S3, and no database; a NAT gateway for it would cost ~$33 a month.
  function_name    = var.name
  description      = var.description
  role             = aws_iam_role.this.arn
  runtime          = "provided.al2023"
  handler          = "bootstrap"
  architectures    = ["x86_64"]
  filename         = var.package
  source_code_hash = filebase64sha256(var.package)
  layers           = var.layers
  memory_size      = var.memory_mb
  timeout          = var.timeout_seconds
  kms_key_arn      = var.shared.kms_key_arn

  reserved_concurrent_executions = var.reserved_concurrency == null ? -1 : var.reserved_concurrency

  environment {
    variables = var.environment
  }

  dynamic "vpc_config" {
    for_each = local.in_vpc ? [1] : []
    content {
      subnet_ids         = var.network.subnet_ids
      security_group_ids = var.network.security_group_ids
    }
  }

  logging_config {
    log_format            = "JSON"
    log_group             = aws_cloudwatch_log_group.this.name
    application_log_level = "INFO"
    system_log_level      = "WARN"
  }

  tracing_config {
    mode = "Active"
  }

  depends_on = [aws_iam_role_policy.common, aws_iam_role_policy_attachment.vpc]
}

resource "aws_lambda_function_event_invoke_config" "this" {
  function_name                = aws_lambda_function.this.function_name
  maximum_retry_attempts       = var.retry_attempts
  maximum_event_age_in_seconds = var.maximum_event_age_seconds

  destination_config {
    on_failure {
      destination = var.shared.failure_queue_arn
    }
  }
}

resource "aws_cloudwatch_metric_alarm" "errors" {
  alarm_name          = "${var.name}-errors"
  alarm_description   = "${var.name} failed an invocation (its log group: ${local.log_group})."
  namespace           = "AWS/Lambda"
  metric_name         = "Errors"
  dimensions          = { FunctionName = aws_lambda_function.this.function_name }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [var.shared.alarm_topic_arn]
  ok_actions          = [var.shared.alarm_topic_arn]
}

resource "aws_cloudwatch_metric_alarm" "throttles" {
  alarm_name          = "${var.name}-throttles"
  alarm_description   = "${var.name} was throttled: its reserved concurrency was all in use."
  namespace           = "AWS/Lambda"
  metric_name         = "Throttles"
  dimensions          = { FunctionName = aws_lambda_function.this.function_name }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 3
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [var.shared.alarm_topic_arn]
}

resource "aws_cloudwatch_metric_alarm" "duration" {
  alarm_name          = "${var.name}-near-timeout"
  alarm_description   = "${var.name} ran for more than 80% of its ${var.timeout_seconds} s limit."
  namespace           = "AWS/Lambda"
  metric_name         = "Duration"
  dimensions          = { FunctionName = aws_lambda_function.this.function_name }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 1
  threshold           = var.timeout_seconds * 1000 * 0.8
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [var.shared.alarm_topic_arn]
}
