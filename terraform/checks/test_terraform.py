"""The Terraform configuration keeps its promises (run by scripts/check-terraform)."""

import copy
import unittest

import policy_checks as checks
import terraform_model


class TerraformTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.model = terraform_model.load()
        cls.module = terraform_model.load(terraform_model.ROOT / "modules" / "function")

    def assertNoProblems(self, problems):
        self.assertEqual(problems, [], "\n".join(problems))

    def test_every_function_is_deployed(self):
        self.assertNoProblems(checks.check_functions_exist(self.model))

    def test_every_function_has_its_trigger(self):
        self.assertNoProblems(checks.check_triggers(self.model))

    def test_no_role_is_broader_than_its_function_needs(self):
        self.assertNoProblems(checks.check_roles(self.model))
        self.assertNoProblems(checks.check_common_role(self.module))

    def test_functions_run_where_they_should_and_carry_no_secret(self):
        self.assertNoProblems(checks.check_placement(self.model))

    def test_data_at_rest_is_private_and_encrypted(self):
        self.assertNoProblems(checks.check_data_at_rest(self.model))

    def test_every_metric_alarm_reads_a_metric_a_function_emits(self):
        emitted = checks.emitted_metrics(terraform_model.ROOT.parent / "Sources")
        self.assertIn(("Extract", "FeedLagSeconds"), emitted)
        self.assertNoProblems(checks.check_metric_alarms(self.model, emitted))

    def test_an_alarm_on_a_metric_nobody_emits_is_caught(self):
        def misspell(model):
            model["locals"]["run_alarms"]["feed-lag"]["metric"] = "FeedLag"

        emitted = checks.emitted_metrics(terraform_model.ROOT.parent / "Sources")
        problems = checks.check_metric_alarms(self.broken(misspell), emitted)
        self.assertTrue(any("Extract emits no FeedLag" in p for p in problems), problems)

    # The checks catch what they are for: each broken copy of the configuration is reported.

    def broken(self, change):
        model = copy.deepcopy(self.model)
        change(model)
        return model

    def test_a_wildcard_action_is_caught(self):
        def widen(model):
            model["data"]["aws_iam_policy_document"]["load"]["statement"][0]["actions"] = ["s3:*"]

        problems = checks.check_roles(self.broken(widen))
        self.assertTrue(any("wildcard action s3:*" in p for p in problems), problems)

    def test_an_action_a_function_does_not_need_is_caught(self):
        def extra(model):
            model["data"]["aws_iam_policy_document"]["load"]["statement"][0]["actions"].append("sns:Publish")

        problems = checks.check_roles(self.broken(extra))
        self.assertTrue(any("sns:Publish is more than load needs" in p for p in problems), problems)

    def test_a_shared_statement_is_checked_for_every_function_built_on_it(self):
        def widen(model):
            model["data"]["aws_iam_policy_document"]["database_password"]["statement"][0]["actions"] = [
                "secretsmanager:*"
            ]

        problems = checks.check_roles(self.broken(widen))
        for function in ("load", "report", "alert", "unsubscribe", "dashboard", "backfill", "charts"):
            self.assertTrue(any(p.startswith(f"{function}/") and "secretsmanager:*" in p for p in problems), problems)

    def test_objects_outside_a_functions_prefix_are_caught(self):
        def everywhere(model):
            model["data"]["aws_iam_policy_document"]["report"]["statement"][0]["resources"] = ["${aws_s3_bucket.data.arn}/*"]

        problems = checks.check_roles(self.broken(everywhere))
        self.assertTrue(any("outside" in p for p in problems), problems)

    def test_a_resource_of_everything_is_caught(self):
        def star(model):
            model["data"]["aws_iam_policy_document"]["alert"]["statement"][-1]["resources"] = ["*"]

        problems = checks.check_roles(self.broken(star))
        self.assertTrue(any("is everything" in p for p in problems), problems)

    def test_a_missing_trigger_is_caught(self):
        def unscheduled(model):
            del model["locals"]["schedules"]["report"]

        problems = checks.check_triggers(self.broken(unscheduled))
        self.assertTrue(any("report" in p for p in problems), problems)

    def test_a_permission_without_its_rule_is_caught(self):
        def open_permission(model):
            del model["resource"]["aws_lambda_permission"]["objects"]["source_arn"]

        problems = checks.check_triggers(self.broken(open_permission))
        self.assertTrue(any("must let only its own rule invoke" in p for p in problems), problems)

    def test_a_function_on_the_wrong_prefix_is_caught(self):
        def wrong_prefix(model):
            model["locals"]["object_rules"]["charts"]["prefix"] = "raw/"

        problems = checks.check_triggers(self.broken(wrong_prefix))
        self.assertTrue(any("S3 events start" in p for p in problems), problems)

    def test_a_public_database_is_caught(self):
        def public(model):
            model["resource"]["aws_db_instance"]["main"]["publicly_accessible"] = True

        self.assertIn("database: publicly accessible", checks.check_data_at_rest(self.broken(public)))

    def test_a_database_function_outside_the_vpc_is_caught(self):
        def outside(model):
            del model["module"]["alert"]["network"]

        self.assertIn("alert: uses the database but is not in the VPC", checks.check_placement(self.broken(outside)))

    def test_the_environment_is_read_through_merge_and_locals(self):
        self.assertEqual(
            checks.environment_names(self.model, self.model["module"]["alert"]["environment"]),
            {"DATABASE_URL", "DATABASE_SECRET_ARN", "MAILER_URL", "MAIL_FROM", "UNSUBSCRIBE_URL", "DASHBOARD_URL",
             "NOTIFIER_URL", "ALERT_DIGEST_HOUR"},
        )

    def test_a_secret_in_a_shared_environment_is_caught(self):
        def password(model):
            model["locals"]["database"]["DATABASE_PASSWORD"] = "${var.password}"

        problems = checks.check_placement(self.broken(password))
        for function in ("load", "report", "alert", "unsubscribe", "dashboard", "backfill", "charts"):
            self.assertIn(f"{function}: environment variable DATABASE_PASSWORD looks like a secret", problems)

    def test_a_function_without_rules_for_it_is_caught(self):
        def new_function(model):
            model["module"]["playlists"] = dict(model["module"]["unsubscribe"])

        problems = checks.check_functions_exist(self.broken(new_function)) + checks.check_triggers(self.broken(new_function))
        self.assertTrue(any("playlists" in p for p in problems), problems)

    def test_a_function_made_public_by_the_url_map_is_caught(self):
        def exposed(model):
            model["locals"]["public_urls"]["load"] = "${module.load.name}"

        problems = checks.check_triggers(self.broken(exposed))
        self.assertIn("function URL public exposes a function that should not be public", problems)

    def test_a_public_function_without_its_url_is_caught(self):
        def hidden(model):
            del model["locals"]["public_urls"]["dashboard"]

        problems = checks.check_triggers(self.broken(hidden))
        self.assertIn("dashboard: no function URL", problems)


if __name__ == "__main__":
    unittest.main()
