#!/usr/bin/env bash
# Lint and types, run by `make test` before the suite (style.md #9): ruff format --check, ruff check and
# mypy with django-stubs, introduced module by module — the modules listed here are clean and stay so.
# Add an app's modules here once they pass.
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
CHECKED=(
  zhibu/core/backup.py
  zhibu/core/management/commands/backup.py
  zhibu/core/management/commands/restore.py
  zhibu/core/hooks.py
  zhibu/core/keys.py
  zhibu/core/passwords.py
  zhibu/core/punctuation.py
  zhibu/core/checks.py
  zhibu/core/audit_display.py
  zhibu/core/audit_actions.py
  zhibu/orgs/audit_actions.py
  zhibu/plans/audit_actions.py
  zhibu/orglife/audit_actions.py
  zhibu/development/audit_actions.py
  zhibu/development/rules/__init__.py
  zhibu/development/rules/steps.py
  zhibu/development/rules/rulesets.py
  zhibu/development/rules/parse.py
  zhibu/development/rules/result.py
  zhibu/development/rules/check.py
  zhibu/development/rules/outcomes.py
  zhibu/dues/audit_actions.py
  zhibu/workdays/audit_actions.py
  zhibu/core/idempotency.py
  zhibu/core/uploads.py
  zhibu/core/uploadhandler.py
  zhibu/core/xlsx.py
  zhibu/plans/parser.py
  zhibu/plans/targets.py
  zhibu/plans/vocabulary.py
  zhibu/plans/text.py
  zhibu/plans/months.py
  zhibu/plans/reader.py
  zhibu/plans/render.py
  zhibu/plans/check.py
  zhibu/core/documents/__init__.py
  zhibu/core/documents/checks.py
  zhibu/core/documents/dates.py
  zhibu/core/documents/layout.py
  zhibu/core/documents/pdf.py
  zhibu/core/documents/text.py
  zhibu/core/documents/web.py
  zhibu/rectify/rules.py
  zhibu/rectify/models.py
  zhibu/rectify/audit_actions.py
  zhibu/rectify/services.py
  zhibu/rectify/selectors.py
  zhibu/rectify/views.py
  zhibu/rectify/urls.py
  zhibu/rectify/exports.py
  zhibu/rectify/forms.py
  zhibu/rectify/panels.py
  zhibu/rectify/reminders.py
  zhibu/rectify/demo.py
  zhibu/rectify/bench.py
  zhibu/rectify/tests/access_cases.py
  zhibu/elections/apps.py
  zhibu/elections/audit_actions.py
  zhibu/elections/demo.py
  zhibu/elections/documents.py
  zhibu/elections/forms.py
  zhibu/elections/management/commands/election.py
  zhibu/elections/models.py
  zhibu/elections/panels.py
  zhibu/elections/reminders.py
  zhibu/elections/rules.py
  zhibu/elections/selectors.py
  zhibu/elections/services.py
  zhibu/elections/strokes.py
  zhibu/elections/strokes_data.py
  zhibu/elections/urls.py
  zhibu/elections/views.py
  zhibu/elections/yearend.py
  zhibu/elections/tests/access_cases.py
  zhibu/notices/apps.py
  zhibu/notices/audit_actions.py
  zhibu/notices/bench.py
  zhibu/notices/demo.py
  zhibu/notices/forms.py
  zhibu/notices/models.py
  zhibu/notices/obligations.py
  zhibu/notices/panels.py
  zhibu/notices/reminders.py
  zhibu/notices/rules.py
  zhibu/notices/selectors.py
  zhibu/notices/services.py
  zhibu/notices/urls.py
  zhibu/notices/views.py
  zhibu/notices/tests/access_cases.py
  zhibu/stats/apps.py
  zhibu/stats/audit_actions.py
  zhibu/stats/bench.py
  zhibu/stats/exports.py
  zhibu/stats/forms.py
  zhibu/stats/rules.py
  zhibu/stats/selectors.py
  zhibu/stats/services.py
  zhibu/stats/urls.py
  zhibu/stats/views.py
  zhibu/stats/tests/access_cases.py
)
status=0
echo "=== lint: ruff format --check, ruff check, mypy (${#CHECKED[@]} modules) ==="
"$BIN/ruff" format --check --quiet "${CHECKED[@]}" || { echo "ruff format: run .venv/bin/ruff format on the files above" >&2; status=1; }
"$BIN/ruff" check --quiet "${CHECKED[@]}" || status=1
"$BIN/mypy" "${CHECKED[@]}" || status=1
exit $status
