#!/usr/bin/env bash
# Nightly memscan scan for cron: scan with the config, compare with the newest completed run in the
# reports folder (the baseline), keep every run's HTML and SARIF there, and exit 1 on regressions
# (new leaks, a rise in membership-inference AUC) so cron's MAILTO or a wrapper can alert.
#
#   MEMSCAN_CONFIG   scan config (default ./memscan.yaml)
#   MEMSCAN_REPORTS  reports folder (default ./reports)
#   MEMSCAN_GATES    regression gates, space-separated (default "new-leaks>0 auc-delta>0.05")
#   MEMSCAN_PUBLISH  optional folder to copy the latest report.html, results.sarif and history.html to
#   MEMSCAN          the memscan command (default "npx memscan")
#
# crontab (03:17 every night):
#   17 3 * * * cd /srv/memscan && ./memscan-nightly.sh >> /var/log/memscan.log 2>&1
set -uo pipefail

config=${MEMSCAN_CONFIG:-memscan.yaml}
reports=${MEMSCAN_REPORTS:-reports}
read -r -a gates <<< "${MEMSCAN_GATES:-new-leaks>0 auc-delta>0.05}"
read -r -a memscan <<< "${MEMSCAN:-npx memscan}"

mkdir -p "$reports"
baseline=$("${memscan[@]}" history "$reports" --latest 2>/dev/null || true)

args=(scan --config "$config" --out "$reports" --format json md html junit sarif --no-progress)
if [ -n "$baseline" ]; then
  args+=(--baseline "$baseline")
  for g in "${gates[@]}"; do args+=(--fail-on "$g"); done
  echo "memscan: comparing with baseline $baseline"
else
  echo "memscan: no earlier completed run in $reports; this run becomes the baseline"
fi

"${memscan[@]}" "${args[@]}"
code=$?

run=$(ls -td "$reports"/*/ 2>/dev/null | head -1)
if [ -n "${MEMSCAN_PUBLISH:-}" ] && [ -n "$run" ]; then
  mkdir -p "$MEMSCAN_PUBLISH"
  cp "${run}report.html" "${run}results.sarif" "$MEMSCAN_PUBLISH/" 2>/dev/null
  "${memscan[@]}" history "$reports" --format html --out "$MEMSCAN_PUBLISH/history.html"
fi
echo "memscan: run ${run:-?} exited $code (0 clean, 1 gate failed, 2 config error, 3 runtime failure)"
exit "$code"
