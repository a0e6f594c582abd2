#!/usr/bin/env bash
# Times `servicenorm report` end to end (parse, judge, aggregate) on demo data
# for the BUCH catalog, on one core, with its peak memory.
# Targets: at least 2 million events per second, under 200 MB.
#   FROM/TO  the demo period (default: from 2026-01-01, the day the catalog takes
#            effect, to 2029-04-30: about 1 million cases)
set -euo pipefail
cd "$(dirname "$0")/.."
from=${FROM:-2026-01-01}
to=${TO:-2029-04-30}
target=${CARGO_TARGET_DIR:-target}
cargo build --release -p servicenorm --quiet
bin=$target/release/servicenorm
events=${TMPDIR:-/tmp}/servicenorm-demo-buch-$from-$to.csv
if [ ! -f "$events" ]; then
  /usr/bin/env time -f "demo-data: %e s" "$bin" demo-data --catalog catalogs/buch.toml \
    --from "$from" --to "$to" --seed 1 > "$events"
fi
count=$(($(wc -l < "$events") - 1))
cases=$(cut -d, -f2 "$events" | tail -n +2 | sort -u | wc -l)
echo "== $count events, $cases cases ($from to $to)"
for run in 1 2 3; do
  /usr/bin/env time -o /tmp/servicenorm-report-time -f "%e %M" \
    taskset -c 0 "$bin" report --catalog catalogs/buch.toml --events "$events" --per quarter > /dev/null
  read -r seconds kb < /tmp/servicenorm-report-time
  rate=$(python3 -c "print(f'{$count / $seconds / 1e6:.2f}')")
  echo "run $run: $seconds s wall, $rate million events/s, $((kb / 1024)) MB peak"
done
