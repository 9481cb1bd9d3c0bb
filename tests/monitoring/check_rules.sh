#!/usr/bin/env bash
# The monitoring of deploy/monitoring/ holds up: the alert rules load (promtool check rules),
# their unit tests pass (promtool test rules: each alert fires when it should, and only then),
# and every query of the Grafana dashboard is valid PromQL (each put in a recording rule for
# promtool to parse). That every metric they name is one a node exports is checked against a
# running node by the MonitoringNames test. Run by the suite (ctest: MonitoringRules).
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
command -v promtool >/dev/null || { echo "check_rules: promtool is missing (deploy/install-deps.sh installs prometheus)" >&2; exit 1; }
cd "$root/deploy/monitoring"
promtool check rules puente-alerts.yml
promtool test rules puente-alerts.test.yml

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
node -e '
  const dashboard = require(process.argv[1]);
  const exprs = [];
  const walk = (panels) => panels.forEach((p) => {
    (p.targets || []).forEach((t) => exprs.push(t.expr));
    walk(p.panels || []);
  });
  walk(dashboard.panels);
  if (exprs.length === 0) throw new Error("the dashboard has no queries");
  const rules = exprs.map((e, i) => `      - record: dashboard:query_${i}\n        expr: ${JSON.stringify(e)}`);
  console.log("groups:\n  - name: dashboard\n    rules:\n" + rules.join("\n"));
' "$PWD/grafana-dashboard.json" >"$work/dashboard-queries.yml"
promtool check rules "$work/dashboard-queries.yml"
