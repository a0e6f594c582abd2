#!/usr/bin/env bash
# Times `servicenorm deadline --input` on 1,000,000 seeded rows, on one core.
# Target: under 1 second wall time, parsing and output included.
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${ROWS:-1000000}
csv=${TMPDIR:-/tmp}/servicenorm-batch-$rows.csv
cargo build --release -p servicenorm --quiet
[ -f "$csv" ] || python3 scripts/gen_batch_csv.py --rows "$rows" --seed 42 > "$csv"
bin=target/release/servicenorm
for term in "2 werkdagen" "2 kantooruren"; do
  echo "== $rows rows, term \"$term\", one core (taskset -c 0)"
  # Check the output once: a header plus one line per row.
  lines=$(taskset -c 0 "$bin" deadline --term "$term" --input "$csv" | wc -l)
  [ "$lines" -eq $((rows + 1)) ] || { echo "expected $((rows + 1)) lines, got $lines" >&2; exit 1; }
  for run in 1 2 3; do
    /usr/bin/env time -f "run $run: %e s wall, %M KB max resident" \
      taskset -c 0 "$bin" deadline --term "$term" --input "$csv" > /dev/null
  done
done
