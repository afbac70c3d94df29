"""What the deployment promises, checked on the parsed configuration: every function has its trigger and its
own role, and no role can do more than its function needs. Each check returns a list of problems (empty when
all is well), so that a test can also show that a broken configuration is caught."""

import json
import re

FUNCTION_MODULE = "./modules/function"

# What each function may do beyond its module's common policy (own logs, failure queue, project key), and on
# which objects of the bucket.
ALLOWED_ACTIONS = {
    "extract": {"s3:GetObject", "s3:PutObject", "s3:ListBucket"},
    "load": {"s3:GetObject", "s3:ListBucket", "secretsmanager:GetSecretValue"},
    "report": {
        "s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:ListBucket", "secretsmanager:GetSecretValue",
        "ses:SendEmail", "ses:SendRawEmail",
    },
    "alert": {"secretsmanager:GetSecretValue", "ses:SendEmail", "ses:SendRawEmail", "sns:Publish"},
    "unsubscribe": {"secretsmanager:GetSecretValue"},
    "dashboard": {
        "s3:GetObject", "s3:PutObject", "s3:ListBucket", "secretsmanager:GetSecretValue", "ses:SendEmail",
        "ses:SendRawEmail",
    },
    "backfill": {"s3:GetObject", "s3:ListBucket", "secretsmanager:GetSecretValue"},
    "charts": {"s3:GetObject", "s3:ListBucket", "secretsmanager:GetSecretValue"},
}
ALLOWED_OBJECT_PREFIXES = {
    "extract": {"raw/", "state/"},
    "load": {"raw/"},
    "report": {"reports/", "exports/", "requests/analysis/"},
    "alert": set(),
    "unsubscribe": set(),
    "dashboard": {"reports/", "requests/analysis/"},
    "backfill": {"backfill/"},
    "charts": {"charts/"},
}
# Functions that need the database run in the VPC; Extract (internet, S3 only) does not.
IN_VPC = {"load", "report", "alert", "unsubscribe", "dashboard", "backfill", "charts"}
# How each is started.
SCHEDULED = {"extract", "load", "report", "alert", "backfill", "charts"}
# The functions started by S3 "Object Created", and under which prefix.
ON_OBJECTS = {"load": "raw/", "backfill": "backfill/", "charts": "charts/", "report": "requests/analysis/"}
BY_URL = {"unsubscribe", "dashboard"}
MANAGED_POLICIES = {"AWSLambdaVPCAccessExecutionRole", "AWSXrayWriteOnlyAccess"}


def functions(model):
    return {name: body for name, body in model["module"].items() if body.get("source") == FUNCTION_MODULE}


def _reference(expression):
    """'${data.aws_iam_policy_document.load.json}' -> 'data.aws_iam_policy_document.load.json'."""
    match = re.fullmatch(r"\$\{(.*)\}", expression or "")
    return match.group(1) if match else None


def _document_statements(model, reference, seen=()):
    """The statements of 'data.aws_iam_policy_document.NAME.json', with those of the documents it is built
    on (source_policy_documents); None when it is not a document of this configuration."""
    match = re.fullmatch(r"data\.aws_iam_policy_document\.([\w-]+)\.json", reference or "")
    documents = model["data"].get("aws_iam_policy_document", {})
    if not match or match.group(1) not in documents or match.group(1) in seen:
        return None
    document = documents[match.group(1)]
    found = list(document.get("statement", []))
    for source in _as_list(document.get("source_policy_documents", [])):
        inherited = _document_statements(model, _reference(source), seen + (match.group(1),))
        if inherited is None:
            return None
        found += inherited
    return found


def statements(model, function):
    """The statements of a function's own policy, or None when it is not made of documents of ours."""
    return _document_statements(model, _reference(functions(model)[function].get("policy_json")))


def _as_list(value):
    return value if isinstance(value, list) else [value]


def check_functions_exist(model):
    found = set(functions(model))
    expected = set(ALLOWED_ACTIONS)
    problems = []
    if found - expected:
        problems.append(f"functions without an entry in ALLOWED_ACTIONS (what may they do?): {sorted(found - expected)}")
    if expected - found:
        problems.append(f"functions missing from the configuration: {sorted(expected - found)}")
    return problems


def check_roles(model):
    """Each function's policy: only its allowed actions, no wildcard action or resource, objects only under
    its prefixes, and every statement an Allow (a Deny here would hide nothing but confuse)."""
    problems = []
    for function in sorted(functions(model)):
        found = statements(model, function)
        if found is None:
            problems.append(f"{function}: policy_json is not a data.aws_iam_policy_document of this configuration")
            continue
        allowed = ALLOWED_ACTIONS.get(function, set())
        for statement in found:
            sid = statement.get("sid", "?")
            actions = set(_as_list(statement.get("actions", [])))
            resources = _as_list(statement.get("resources", []))
            if statement.get("effect", "Allow") != "Allow":
                problems.append(f"{function}/{sid}: only Allow statements belong in a function's role")
            for action in sorted(actions):
                if "*" in action:
                    problems.append(f"{function}/{sid}: wildcard action {action}")
                elif action not in allowed:
                    problems.append(f"{function}/{sid}: {action} is more than {function} needs")
            if statement.get("not_actions") or statement.get("not_resources"):
                problems.append(f"{function}/{sid}: NotAction/NotResource grant everything else")
            for resource in resources:
                if resource.strip() in ("*", "arn:aws:*", ""):
                    problems.append(f"{function}/{sid}: resource {resource!r} is everything")
                object_match = re.fullmatch(r"\$\{aws_s3_bucket\.data\.arn\}/(.*)", resource)
                if object_match:
                    path = object_match.group(1)
                    prefixes = ALLOWED_OBJECT_PREFIXES.get(function, set())
                    if not any(path == prefix + "*" for prefix in prefixes):
                        problems.append(f"{function}/{sid}: objects {path!r} are outside {sorted(prefixes)}")
            for action in actions:
                if action.startswith("ses:") and not statement.get("condition"):
                    problems.append(f"{function}/{sid}: {action} without a sender (ses:FromAddress) condition")
    return problems


def check_common_role(module_model):
    """The function module's own policy and attachments: its log group, the failure queue, the key; managed
    policies only those two."""
    problems = []
    common = module_model["data"]["aws_iam_policy_document"]["common"]["statement"]
    for statement in common:
        for action in _as_list(statement.get("actions", [])):
            if "*" in action:
                problems.append(f"module common/{statement.get('sid')}: wildcard action {action}")
        for resource in _as_list(statement.get("resources", [])):
            if "*" == resource.strip() or not resource.startswith("${"):
                problems.append(f"module common/{statement.get('sid')}: resource {resource!r} is not one of ours")
    for name, attachment in module_model["resource"].get("aws_iam_role_policy_attachment", {}).items():
        policy = attachment.get("policy_arn", "").rsplit("/", 1)[-1]
        if policy not in MANAGED_POLICIES:
            problems.append(f"module attaches managed policy {policy} ({name})")
    function = module_model["resource"]["aws_lambda_function"]["this"]
    if function.get("runtime") != "provided.al2023" or function.get("handler") != "bootstrap":
        problems.append("module: the function is not a bootstrap on provided.al2023")
    if "${aws_iam_role.this.arn}" != function.get("role"):
        problems.append("module: the function does not use its own role")
    return problems


def _module_of(entry):
    """'module.load' of an entry whose function is '${module.load}', else None."""
    match = re.fullmatch(r"\$\{module\.([\w-]+)\}", entry.get("function", ""))
    return match.group(1) if match else None


def _schedule_functions(model):
    return {_module_of(entry) for entry in model["locals"].get("schedules", {}).values()} - {None}


def _check_rule_map(resources, name, local, label):
    """Rules made with for_each over a local map of {function = module.X, ...}: one rule per entry, each
    targeting its entry's function, each permission letting only its own rule invoke."""
    problems = []
    each = f"${{local.{local}}}"
    rule = resources.get("aws_cloudwatch_event_rule", {}).get(name, {})
    if rule.get("for_each") != each:
        problems.append(f"the {label} rules are not one per entry of local.{local}")
    target = resources.get("aws_cloudwatch_event_target", {}).get(name, {})
    if target.get("for_each") != each or target.get("arn") != "${each.value.function.arn}":
        problems.append(f"the {label} rules' targets do not invoke each entry's function")
    permission = resources.get("aws_lambda_permission", {}).get(name, {})
    if (
        permission.get("for_each") != each
        or permission.get("principal") != "events.amazonaws.com"
        or f"aws_cloudwatch_event_rule.{name}[each.key].arn" not in permission.get("source_arn", "")
    ):
        problems.append(f"each {label} rule's permission must let only its own rule invoke its function")
    return problems


def check_triggers(model):
    """Every function has its trigger, and every trigger may invoke only through its own rule."""
    problems = []
    resources = model["resource"]
    rules = resources.get("aws_cloudwatch_event_rule", {})
    permissions = resources.get("aws_lambda_permission", {})

    scheduled = _schedule_functions(model)
    if scheduled != SCHEDULED:
        problems.append(f"scheduled functions are {sorted(scheduled)}, expected {sorted(SCHEDULED)}")
    problems += _check_rule_map(resources, "schedule", "schedules", "schedule")
    if "schedule_expression" not in rules.get("schedule", {}):
        problems.append("the schedule rules have no schedule_expression")

    problems += _check_rule_map(resources, "objects", "object_rules", "S3")
    pattern = rules.get("objects", {}).get("event_pattern", "")
    for needed in ("aws.s3", "Object Created", "aws_s3_bucket.data.bucket", "each.value.prefix"):
        if needed not in pattern:
            problems.append(f"the S3 rules' pattern lacks {needed!r}")
    started = {_module_of(entry): entry.get("prefix") for entry in model["locals"].get("object_rules", {}).values()}
    if started != ON_OBJECTS:
        problems.append(f"S3 events start {started}, expected {ON_OBJECTS}")
    if resources.get("aws_s3_bucket_notification", {}).get("data", {}).get("eventbridge") is not True:
        problems.append("the bucket does not send its events to EventBridge")

    urls = resources.get("aws_lambda_function_url", {})
    served = [target for url in urls.values() for target in url_targets(model, url)]
    for function in sorted(BY_URL):
        if f"${{module.{function}.name}}" not in served:
            problems.append(f"{function}: no function URL")
    for name, url in urls.items():
        for target in url_targets(model, url):
            match = re.fullmatch(r"\$\{module\.([\w-]+)\.name\}", target)
            if not match or match.group(1) not in BY_URL:
                problems.append(f"function URL {name} exposes a function that should not be public")

    for name, permission in permissions.items():
        if permission.get("principal") == "*" and permission.get("action") != "lambda:InvokeFunctionUrl":
            problems.append(f"permission {name} lets anyone {permission.get('action')}")
        if permission.get("principal") == "*" and permission.get("function_url_auth_type") != "NONE":
            problems.append(f"permission {name} is public beyond the function URL")
        if permission.get("principal", "").endswith(".amazonaws.com") and not permission.get("source_arn"):
            problems.append(f"permission {name} lets any {permission.get('principal')} resource invoke")

    triggered = scheduled | set(ON_OBJECTS) | set(BY_URL)
    for function in sorted(set(functions(model)) - triggered):
        problems.append(f"{function}: nothing starts it")
    return problems


def url_targets(model, body):
    """The functions a function URL serves: its function_name, or, made with for_each over a local map and
    function_name = each.value, every value of that map."""
    name = body.get("function_name", "")
    if name != "${each.value}":
        return [name]
    source = re.fullmatch(r"\$\{local\.([\w-]+)\}", body.get("for_each", "") or "")
    values = model["locals"].get(source.group(1)) if source else None
    return list(values.values()) if isinstance(values, dict) else [name]


def environment_names(model, environment):
    """The variable names a function's environment can hold: a literal map's keys, or, for an expression
    such as merge(local.database, {NAME = ...}), the names written in it and the keys of the locals it uses."""
    if isinstance(environment, dict):
        return set(environment)
    names = set(re.findall(r"\b([A-Z][A-Z0-9_]*)\s*=", environment or ""))
    for local in re.findall(r"\blocal\.([\w-]+)", environment or ""):
        value = model["locals"].get(local)
        if isinstance(value, dict):
            names |= {name for name in value if re.fullmatch(r"[A-Z][A-Z0-9_]*", name)}
    return names


def check_placement(model):
    problems = []
    for function, body in sorted(functions(model).items()):
        in_vpc = bool(body.get("network"))
        if function in IN_VPC and not in_vpc:
            problems.append(f"{function}: uses the database but is not in the VPC")
        if function not in IN_VPC and in_vpc:
            problems.append(f"{function}: in the VPC though it needs the internet")
        for name in sorted(environment_names(model, body.get("environment"))):
            if re.search(r"PASSWORD|SECRET_KEY|TOKEN", name) and not name.endswith("_ARN"):
                problems.append(f"{function}: environment variable {name} looks like a secret")
    return problems


def check_data_at_rest(model):
    problems = []
    resources = model["resource"]
    block = resources["aws_s3_bucket_public_access_block"]["data"]
    for setting in ("block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"):
        if block.get(setting) is not True:
            problems.append(f"bucket: {setting} is not true")
    bucket_policy = json.dumps(model["data"]["aws_iam_policy_document"]["bucket"])
    if "aws:SecureTransport" not in bucket_policy:
        problems.append("bucket: no TLS-only statement")
    database = resources["aws_db_instance"]["main"]
    if database.get("publicly_accessible") is not False:
        problems.append("database: publicly accessible")
    if database.get("storage_encrypted") is not True:
        problems.append("database: not encrypted")
    if database.get("manage_master_user_password") is not True or "password" in database:
        problems.append("database: the password must be managed by RDS in Secrets Manager, never in Terraform")
    force_ssl = [p for p in resources["aws_db_parameter_group"]["main"].get("parameter", []) if p.get("name") == "rds.force_ssl"]
    if not force_ssl or str(force_ssl[0].get("value")) != "1":
        problems.append("database: rds.force_ssl is not 1")
    return problems


def emitted_metrics(sources):
    """(function, metric) pairs the Swift code emits: in each file, every RunMetrics(function: "F") with every
    .add("M", ...) of that file."""
    import re

    pairs = set()
    for path in sources.rglob("*.swift"):
        text = path.read_text(encoding="utf-8")
        functions = re.findall(r'RunMetrics\(function: "(\w+)"\)', text)
        metrics = re.findall(r'\.add\("(\w+)"', text)
        if 'addRunTime(' in text:
            metrics.append("RunMilliseconds")
        pairs.update((function, metric) for function in functions for metric in metrics)
    return pairs


def check_metric_alarms(model, emitted):
    """Every alarm and dashboard widget on the project's namespace reads a metric a function emits, under that
    function's dimension: an alarm on a name nobody writes would never fire."""
    problems = []
    locals_ = model.get("locals", {})
    alarms = model.get("resource", {}).get("aws_cloudwatch_metric_alarm", {})
    wanted = []
    for name, alarm in alarms.items():
        if alarm.get("namespace") != "${local.metrics_namespace}":
            continue
        if alarm.get("for_each") == "${local.run_alarms}":
            for key, value in locals_.get("run_alarms", {}).items():
                wanted.append((f"alarm {key}", value["function"], value["metric"]))
        else:
            wanted.append((f"alarm {name}", alarm["dimensions"]["Function"], alarm["metric_name"]))
    if not wanted:
        problems.append("no alarm reads the functions' metrics")
    for what, function, metric in wanted:
        if (function, metric) not in emitted:
            problems.append(f"{what}: {function} emits no {metric}")
    return problems
