# The two public function URLs. Anyone can reach a function URL, so each function guards itself:
# - unsubscribe: the link in every email must work without signing in (RFC 8058 one-click POSTs come from mail
#   providers); the subscriber's random token in the URL is the credential, and the function can do nothing but
#   find that subscriber and unsubscribe them.
# - dashboard: every page needs a sign-in (credentials in the dashboard secret, a signed HttpOnly Secure cookie,
#   failed attempts limited per source in the database); only its confirmation and unsubscribe links work without.

locals {
  public_urls = {
    unsubscribe = module.unsubscribe.name
    dashboard   = module.dashboard.name
  }
}

resource "aws_lambda_function_url" "public" {
  #checkov:skip=CKV_AWS_258:Public on purpose: links in emails cannot sign requests (the token is the credential) and the dashboard has its own sign-in.
  for_each           = local.public_urls
  function_name      = each.value
  authorization_type = "NONE"
}

resource "aws_lambda_permission" "public_url" {
  #checkov:skip=CKV_AWS_301:Public on purpose, as the function URLs above.
  #checkov:skip=CKV_AWS_364:A function URL has no source ARN; the statement is limited to URL invocations by the auth type NONE condition.
  for_each               = local.public_urls
  statement_id           = "FunctionURLAllowPublicAccess"
  action                 = "lambda:InvokeFunctionUrl"
  function_name          = each.value
  principal              = "*"
  function_url_auth_type = "NONE"
}

# Since October 2025 a function URL also needs lambda:InvokeFunction, limited to invocations through the URL
# (condition lambda:InvokedViaFunctionUrl). Provider 5.x cannot write that condition, so the AWS CLI adds it
# (the statement id makes it idempotent; it goes with the function on destroy). With provider 6.x this is
# aws_lambda_permission { invoked_via_function_url = true }.
resource "terraform_data" "invoke_via_url" {
  for_each         = local.public_urls
  triggers_replace = [each.value, aws_lambda_function_url.public[each.key].url_id]

  provisioner "local-exec" {
    command = <<-EOT
      aws lambda add-permission --region ${local.region} --function-name ${each.value} \
        --statement-id FunctionURLInvokeViaURL --action lambda:InvokeFunction --principal '*' \
        --invoked-via-function-url --output text >/dev/null 2>add-permission-${each.key}.err \
      || grep -q ResourceConflictException add-permission-${each.key}.err \
      || { cat add-permission-${each.key}.err >&2; rm -f add-permission-${each.key}.err; exit 1; }
      rm -f add-permission-${each.key}.err
    EOT
  }
}
