# The eight functions. Each has a role of its own whose policy below names exactly what it touches; the
# module adds only its own log group, the failure queue, the project key and (in the VPC) its network
# interfaces. Memory buys CPU on Lambda (a full vCPU at 1,769 MB); the choices are explained in the README.

# The shared libraries of every function (lib/, found through the bootstraps' RPATH /opt/lib) and the report's
# fonts (fonts/, /opt/fonts), as scripts/package makes them: each function's own zip is then only its bootstrap.
locals {
  layers = {
    libraries = "Shared libraries of the bandcamp-tracker functions (libcurl, libxml2, libpq, libharu, ...)"
    fonts     = "The report PDF's fonts (DejaVu Sans, Droid Sans Fallback) and their licences"
  }
}

resource "aws_lambda_layer_version" "shared" {
  for_each                 = local.layers
  layer_name               = "${var.name}-${each.key}"
  description              = each.value
  filename                 = "${var.package_dir}/${each.key}-layer.zip"
  source_code_hash         = filebase64sha256("${var.package_dir}/${each.key}-layer.zip")
  compatible_runtimes      = ["provided.al2023"]
  compatible_architectures = ["x86_64"]
}

locals {
  libraries = [aws_lambda_layer_version.shared["libraries"].arn]
  shared = {
    failure_queue_arn  = aws_sqs_queue.failures.arn
    kms_key_arn        = aws_kms_key.data.arn
    log_retention_days = var.log_retention_days
    alarm_topic_arn    = aws_sns_topic.operations.arn
  }
  in_vpc = {
    subnet_ids         = aws_subnet.private[*].id
    security_group_ids = [aws_security_group.functions.id]
  }
  object_store = "s3://${aws_s3_bucket.data.bucket}"
  database = {
    DATABASE_URL        = local.database_url
    DATABASE_SECRET_ARN = local.database_secret_arn
  }
  mail = {
    MAILER_URL      = "ses:"
    MAIL_FROM       = var.mail_from
    UNSUBSCRIBE_URL = aws_lambda_function_url.public["unsubscribe"].function_url
    DASHBOARD_URL   = aws_lambda_function_url.public["dashboard"].function_url
  }
  ses_identities = "arn:${local.partition}:ses:${local.region}:${local.account_id}:identity/*"
  concurrency    = var.reserved_concurrency
}

# Statements that more than one function needs.

data "aws_iam_policy_document" "database_password" {
  statement {
    sid       = "DatabasePassword"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [local.database_secret_arn]
  }
}

# Mail only from our own address (ses:FromAddress), from any identity of this account and region: in the SES
# sandbox the recipients are identities too.
data "aws_iam_policy_document" "send_mail" {
  statement {
    sid       = "MailFromOurAddress"
    actions   = ["ses:SendEmail", "ses:SendRawEmail"]
    resources = [local.ses_identities]
    condition {
      test     = "StringEquals"
      variable = "ses:FromAddress"
      values   = [local.mail_address]
    }
  }
}

# --- Extract: the feed into raw objects, release pages enriched. Outside the VPC (it needs the internet).

data "aws_iam_policy_document" "extract" {
  statement {
    sid       = "RawAndState"
    actions   = ["s3:GetObject", "s3:PutObject"]
    resources = ["${aws_s3_bucket.data.arn}/raw/*", "${aws_s3_bucket.data.arn}/state/*"]
  }
  statement {
    # Without it a HEAD of a release page not fetched yet answers 403, not 404.
    sid       = "KnowWhatIsMissing"
    actions   = ["s3:ListBucket"]
    resources = [aws_s3_bucket.data.arn]
  }
}

module "extract" {
  source               = "./modules/function"
  name                 = "${var.name}-extract"
  description          = "Bandcamp's sales feed into raw objects; release pages enriched"
  package              = "${var.package_dir}/ExtractFunction.zip"
  layers               = local.libraries
  memory_mb            = 512
  timeout_seconds      = 120
  policy_json          = data.aws_iam_policy_document.extract.json
  reserved_concurrency = local.concurrency ? 1 : null
  retry_attempts       = 0
  environment = {
    OBJECT_STORE_URL  = local.object_store
    BANDCAMP_BASE_URL = "https://bandcamp.com"
  }
  shared = local.shared
}

# --- Load: raw objects into PostgreSQL, exactly once.

data "aws_iam_policy_document" "load" {
  source_policy_documents = [data.aws_iam_policy_document.database_password.json]
  statement {
    sid       = "ReadRaw"
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.data.arn}/raw/*"]
  }
  statement {
    sid       = "SweepRaw"
    actions   = ["s3:ListBucket"]
    resources = [aws_s3_bucket.data.arn]
  }
}

module "load" {
  source               = "./modules/function"
  name                 = "${var.name}-load"
  description          = "Raw objects into the PostgreSQL warehouse, exactly once"
  package              = "${var.package_dir}/LoadFunction.zip"
  layers               = local.libraries
  memory_mb            = 1024
  timeout_seconds      = 900
  policy_json          = data.aws_iam_policy_document.load.json
  network              = local.in_vpc
  reserved_concurrency = local.concurrency ? 4 : null
  environment = merge(local.database, {
    OBJECT_STORE_URL = local.object_store
    LOAD_SWEEP_DAYS  = "2"
  })
  shared = local.shared
}

# --- Backfill: Components' dataset (CSV under backfill/) into the warehouse, in resumable chunks.

data "aws_iam_policy_document" "backfill" {
  source_policy_documents = [data.aws_iam_policy_document.database_password.json]
  statement {
    sid       = "ReadDatasets"
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.data.arn}/backfill/*"]
  }
  statement {
    sid       = "ListDatasets"
    actions   = ["s3:ListBucket"]
    resources = [aws_s3_bucket.data.arn]
  }
}

module "backfill" {
  source               = "./modules/function"
  name                 = "${var.name}-backfill"
  description          = "Components' dataset into the warehouse, chunk by chunk, resumable"
  package              = "${var.package_dir}/BackfillFunction.zip"
  layers               = local.libraries
  memory_mb            = 1024
  timeout_seconds      = 900
  policy_json          = data.aws_iam_policy_document.backfill.json
  network              = local.in_vpc
  reserved_concurrency = local.concurrency ? 1 : null
  environment = merge(local.database, {
    OBJECT_STORE_URL    = local.object_store
    BACKFILL_CHUNK_ROWS = "50000"
  })
  shared = local.shared
}

# --- Charts: Spotify's chart exports (CSV under charts/) into the chart tables.

data "aws_iam_policy_document" "charts" {
  source_policy_documents = [data.aws_iam_policy_document.database_password.json]
  statement {
    sid       = "ReadCharts"
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.data.arn}/charts/*"]
  }
  statement {
    sid       = "ListCharts"
    actions   = ["s3:ListBucket"]
    resources = [aws_s3_bucket.data.arn]
  }
}

module "charts" {
  source               = "./modules/function"
  name                 = "${var.name}-charts"
  description          = "Spotify chart exports into the chart tables, once per chart and date"
  package              = "${var.package_dir}/ChartsFunction.zip"
  layers               = local.libraries
  memory_mb            = 512
  timeout_seconds      = 300
  policy_json          = data.aws_iam_policy_document.charts.json
  network              = local.in_vpc
  reserved_concurrency = local.concurrency ? 2 : null
  environment = merge(local.database, {
    OBJECT_STORE_URL = local.object_store
  })
  shared = local.shared
}

# --- Report: the day's PDF, stored and mailed.

data "aws_iam_policy_document" "report" {
  source_policy_documents = [
    data.aws_iam_policy_document.database_password.json,
    data.aws_iam_policy_document.send_mail.json,
  ]
  statement {
    sid       = "WriteReports"
    actions   = ["s3:PutObject"]
    resources = ["${aws_s3_bucket.data.arn}/reports/*"]
  }
  # The daily sales export: written once (a head first, so a rerun replaces nothing).
  statement {
    sid       = "WriteSalesExports"
    actions   = ["s3:GetObject", "s3:PutObject"]
    resources = ["${aws_s3_bucket.data.arn}/exports/*"]
  }
  # Analyses asked for from the dashboard: each request read, and deleted once its PDF is stored; the daily run
  # lists those whose event was lost.
  statement {
    sid       = "TakeAnalysisRequests"
    actions   = ["s3:GetObject", "s3:DeleteObject"]
    resources = ["${aws_s3_bucket.data.arn}/requests/analysis/*"]
  }
  statement {
    sid       = "ListAnalysisRequests"
    actions   = ["s3:ListBucket"]
    resources = [aws_s3_bucket.data.arn]
    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["requests/analysis/*"]
    }
  }
}

module "report" {
  source               = "./modules/function"
  name                 = "${var.name}-report"
  description          = "The daily PDF report, stored and mailed to subscribers"
  package              = "${var.package_dir}/ReportFunction.zip"
  layers               = [for layer in ["libraries", "fonts"] : aws_lambda_layer_version.shared[layer].arn]
  memory_mb            = 1024
  timeout_seconds      = 300
  policy_json          = data.aws_iam_policy_document.report.json
  network              = local.in_vpc
  reserved_concurrency = local.concurrency ? 1 : null
  environment = merge(local.database, local.mail, {
    OBJECT_STORE_URL = local.object_store
  })
  shared = local.shared
}

# --- Alert: the hourly trend tests; alerts by email and SNS.

data "aws_iam_policy_document" "alert" {
  source_policy_documents = [
    data.aws_iam_policy_document.database_password.json,
    data.aws_iam_policy_document.send_mail.json,
  ]
  statement {
    sid       = "NotifySubscribers"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.alerts.arn]
  }
}

module "alert" {
  source               = "./modules/function"
  name                 = "${var.name}-alert"
  description          = "Hourly trend tests on genres and artists; alerts by email and SNS"
  package              = "${var.package_dir}/AlertFunction.zip"
  layers               = local.libraries
  memory_mb            = 1024
  timeout_seconds      = 300
  policy_json          = data.aws_iam_policy_document.alert.json
  network              = local.in_vpc
  reserved_concurrency = local.concurrency ? 1 : null
  environment = merge(local.database, local.mail, {
    NOTIFIER_URL      = aws_sns_topic.alerts.arn
    ALERT_DIGEST_HOUR = tostring(var.alert_digest_hour)
  })
  shared = local.shared
}

# --- Unsubscribe: the page behind the link in every email (a function URL, see urls.tf).

data "aws_iam_policy_document" "unsubscribe" {
  source_policy_documents = [data.aws_iam_policy_document.database_password.json]
}

module "unsubscribe" {
  source               = "./modules/function"
  name                 = "${var.name}-unsubscribe"
  description          = "One-click unsubscribe (RFC 8058) behind a function URL"
  package              = "${var.package_dir}/UnsubscribeFunction.zip"
  layers               = local.libraries
  memory_mb            = 256
  timeout_seconds      = 15
  policy_json          = data.aws_iam_policy_document.unsubscribe.json
  network              = local.in_vpc
  reserved_concurrency = local.concurrency ? 5 : null
  environment          = local.database
  shared               = local.shared
}

# --- Dashboard: the pages, the sign-in and the sign-up behind a function URL (see urls.tf). Its sign-in
# credentials are a secret of their own, which the operator writes (README): never in the configuration or state.

resource "aws_secretsmanager_secret" "dashboard" {
  #checkov:skip=CKV2_AWS_57:A person's sign-in password, changed by the team (README), not by a rotation function.
  name        = "${var.name}/dashboard-sign-in"
  description = "The dashboard's sign-in: {\"username\": ..., \"password\": ...} (12 characters or more)"
  kms_key_id  = aws_kms_key.data.arn
}

data "aws_iam_policy_document" "dashboard" {
  source_policy_documents = [
    data.aws_iam_policy_document.database_password.json,
    data.aws_iam_policy_document.send_mail.json,
  ]
  statement {
    sid       = "SignInCredentials"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [aws_secretsmanager_secret.dashboard.arn]
  }
  # The Reports page: the stored PDFs listed, and each downloaded by a presigned link that this role signs.
  statement {
    sid       = "ReadReports"
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.data.arn}/reports/*"]
  }
  statement {
    sid       = "ListReports"
    actions   = ["s3:ListBucket"]
    resources = [aws_s3_bucket.data.arn]
    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["reports/*"]
    }
  }
  # The analysis PDF of a range, asked for from /analysis: the request written (and looked for), never read.
  statement {
    sid       = "AskForAnalyses"
    actions   = ["s3:GetObject", "s3:PutObject"]
    resources = ["${aws_s3_bucket.data.arn}/requests/analysis/*"]
  }
}

module "dashboard" {
  source               = "./modules/function"
  name                 = "${var.name}-dashboard"
  description          = "The dashboard and its sign-up page behind a function URL"
  package              = "${var.package_dir}/DashboardFunction.zip"
  layers               = local.libraries
  memory_mb            = 1024
  timeout_seconds      = 30
  policy_json          = data.aws_iam_policy_document.dashboard.json
  network              = local.in_vpc
  reserved_concurrency = local.concurrency ? 5 : null
  retry_attempts       = 0
  # Not local.mail: its UNSUBSCRIBE_URL is a function URL of urls.tf, as the dashboard's own is (a cycle); the
  # dashboard serves /unsubscribe itself and its confirmation emails carry no unsubscribe link.
  environment = merge(local.database, {
    MAILER_URL           = "ses:"
    MAIL_FROM            = var.mail_from
    DASHBOARD_SECRET_ARN = aws_secretsmanager_secret.dashboard.arn
    OBJECT_STORE_URL     = local.object_store
  })
  shared = local.shared
}
