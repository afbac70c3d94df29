# The lake: ReportFunction's daily run exports the day's sales, once, as gzip JSON Lines under
# exports/sales/date=YYYY-MM-DD/ (one object per item sold, the warehouse's columns, genres as an array). A Glue
# table over them finds each day by partition projection (no crawler, no partitions to add), and an Athena
# workgroup queries a year of history without touching RDS, its results encrypted with the project's key.

resource "aws_glue_catalog_database" "lake" {
  name        = replace("${var.name}_lake", "-", "_")
  description = "Exports of the warehouse for analysts (Athena)"
}

resource "aws_glue_catalog_table" "sales" {
  name          = "sales"
  database_name = aws_glue_catalog_database.lake.name
  description   = "Every item sold, one row each, a partition a UTC day (exports/sales/date=YYYY-MM-DD/)"
  table_type    = "EXTERNAL_TABLE"
  parameters = {
    "classification"                = "json"
    "compressionType"               = "gzip"
    "projection.enabled"            = "true"
    "projection.date.type"          = "date"
    "projection.date.format"        = "yyyy-MM-dd"
    "projection.date.range"         = "2020-01-01,NOW"
    "projection.date.interval"      = "1"
    "projection.date.interval.unit" = "DAYS"
    "storage.location.template"     = "s3://${aws_s3_bucket.data.bucket}/exports/sales/date=$${date}/"
  }
  partition_keys {
    name = "date"
    type = "string"
  }
  storage_descriptor {
    location      = "s3://${aws_s3_bucket.data.bucket}/exports/sales/"
    input_format  = "org.apache.hadoop.mapred.TextInputFormat"
    output_format = "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat"
    ser_de_info {
      serialization_library = "org.openx.data.jsonserde.JsonSerDe"
    }
    dynamic "columns" {
      for_each = [
        ["sale_key", "string"], ["sold_at", "string"], ["utc_date", "double"], ["item_type", "string"],
        ["item_description", "string"], ["release_url", "string"], ["release_title", "string"],
        ["release_kind", "string"], ["artist_page", "string"], ["artist_name", "string"], ["currency", "string"],
        ["amount_paid", "double"], ["price_asked", "double"], ["amount_paid_usd", "double"],
        ["price_asked_usd", "double"], ["overpaid_usd", "double"], ["paid_to_price_ratio", "double"],
        ["buyer_country_code", "string"], ["buyer_country", "string"], ["additional_count", "int"],
        ["genres", "array<string>"],
      ]
      content {
        name = columns.value[0]
        type = columns.value[1]
      }
    }
  }
}

resource "aws_athena_workgroup" "lake" {
  name          = "${var.name}-lake"
  description   = "Queries of the sales exports"
  force_destroy = true
  configuration {
    enforce_workgroup_configuration    = true
    publish_cloudwatch_metrics_enabled = true
    result_configuration {
      output_location = "s3://${aws_s3_bucket.data.bucket}/athena-results/"
      encryption_configuration {
        encryption_option = "SSE_KMS"
        kms_key_arn       = aws_kms_key.data.arn
      }
    }
  }
}
