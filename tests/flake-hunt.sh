#!/usr/bin/env bash
# Runs test projects several times in a row and counts the failures of each test, to find the tests that fail only now
# and then. Each project is built once, then run N times (--no-build); each run's results are read from its trx file.
#
#   tests/flake-hunt.sh [-n RUNS] [-f FILTER] [-o FOLDER] PROJECT...
#
#   -n RUNS    runs per project (10)
#   -f FILTER  a dotnet test --filter expression, applied to every project (none: every test)
#   -o FOLDER  where the trx files and the table are kept (a new temporary folder)
#
# Prints one table: project, runs, failed runs, and for each test that ever failed, how many runs it failed in, with the
# first line of its first failure. Exits 1 when any test failed in any run, 0 otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."

runs=10
filter=""
out=""
while getopts "n:f:o:" option; do
  case "$option" in
    n) runs=$OPTARG ;;
    f) filter=$OPTARG ;;
    o) out=$OPTARG ;;
    *) sed -n '4,11p' "$0"; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
if [ "$#" -eq 0 ] || ! [ "$runs" -ge 1 ] 2>/dev/null; then
  sed -n '4,11p' "$0"
  exit 2
fi
out=${out:-$(mktemp -d -t flake-hunt.XXXXXX)}
mkdir -p "$out"
table="$out/table.txt"
: >"$table"

# "failed<TAB>test name<TAB>first line of the message" for each failed test of one trx file. A trx file writes each
# UnitTestResult's attributes on one line, and its error message after it.
failures() {
  awk '
    /<UnitTestResult / {
      name = $0; sub(/.* testName="/, "", name); sub(/".*/, "", name)
      outcome = $0; sub(/.* outcome="/, "", outcome); sub(/".*/, "", outcome)
      if (outcome == "Failed") { failed[name] = 1; current = name; order[++n] = name } else { current = "" }
    }
    /<Message>/ && current != "" && !(current in message) {
      line = $0; sub(/.*<Message>/, "", line); sub(/<\/Message>.*/, "", line); message[current] = line
    }
    END { for (i = 1; i <= n; i++) printf "failed\t%s\t%s\n", order[i], message[order[i]] }
  ' "$1"
}

status=0
for project in "$@"; do
  name=$(basename "$project")
  echo "== $name: build"
  dotnet build "$project" -v q -nologo >"$out/$name.build.log" 2>&1 || { cat "$out/$name.build.log"; exit 1; }
  failedRuns=0
  : >"$out/$name.failures.tsv"
  for run in $(seq 1 "$runs"); do
    trx="$name.$run.trx"
    args=(test "$project" --no-build -nologo --logger "trx;LogFileName=$trx" --results-directory "$out")
    [ -n "$filter" ] && args+=(--filter "$filter")
    set +e
    dotnet "${args[@]}" >"$out/$name.$run.log" 2>&1
    code=$?
    set -e
    summary=$(grep -E '(Passed|Failed)!' "$out/$name.$run.log" | tail -1 | sed -E 's/ +- .*//; s/^ +//')
    if [ ! -f "$out/$trx" ]; then
      # No results at all: the host crashed or the run was aborted; that is a failure of the run itself.
      printf 'failed\t(the run: no results, exit code %s)\t%s\n' "$code" "$(tail -1 "$out/$name.$run.log")" >>"$out/$name.failures.tsv"
      failedRuns=$((failedRuns + 1))
    else
      found=$(failures "$out/$trx")
      if [ -n "$found" ] || [ "$code" -ne 0 ]; then
        failedRuns=$((failedRuns + 1))
        [ -n "$found" ] && echo "$found" >>"$out/$name.failures.tsv"
        [ -z "$found" ] && printf 'failed\t(the run: exit code %s, no failed test)\t%s\n' "$code" "$summary" >>"$out/$name.failures.tsv"
      fi
    fi
    echo "   run $run/$runs: ${summary:-no summary (exit code $code)}"
  done

  {
    echo "$name: $runs runs, $failedRuns with failures"
    if [ -s "$out/$name.failures.tsv" ]; then
      status=1
      awk -F '\t' -v runs="$runs" '
        { count[$2]++; if (!($2 in first)) { first[$2] = $3; order[++n] = $2 } }
        END { for (i = 1; i <= n; i++) printf "  %d/%d  %s\n        %s\n", count[order[i]], runs, order[i], substr(first[order[i]], 1, 200) }
      ' "$out/$name.failures.tsv"
    fi
  } | tee -a "$table"
done

echo "== table ($table)"
cat "$table"
exit "$status"
