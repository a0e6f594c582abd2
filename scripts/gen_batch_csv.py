#!/usr/bin/env python3
"""Write a seeded CSV of synthetic contacts for `servicenorm deadline --input`.

    python3 scripts/gen_batch_csv.py --rows 1000000 --seed 42 > /tmp/batch.csv

Columns: id,from. The ids are synthetic case numbers, the starts spread over
2025-2027 with offsets as a front-office system writes them (mostly local time
with +01:00/+02:00, some UTC). The same seed gives the same bytes.
"""

import argparse
import random
import sys
from datetime import datetime, timedelta, timezone

START = datetime(2025, 1, 1, tzinfo=timezone.utc)
SPAN_SECONDS = 3 * 365 * 86400


def is_summer_time(utc: datetime) -> bool:
    """Europe/Amsterdam: summer time from the last Sunday of March 01:00 UTC
    until the last Sunday of October 01:00 UTC."""

    def last_sunday(month: int) -> datetime:
        day = datetime(utc.year, month, 31, 1, tzinfo=timezone.utc)
        return day - timedelta(days=(day.weekday() + 1) % 7)

    return last_sunday(3) <= utc < last_sunday(10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()

    rng = random.Random(args.seed)
    out = sys.stdout
    out.write("id,from\n")
    lines = []
    for n in range(args.rows):
        utc = START + timedelta(seconds=rng.randrange(SPAN_SECONDS))
        if rng.random() < 0.2:
            stamp = utc.strftime("%Y-%m-%dT%H:%M:%SZ")
        else:
            offset = 2 if is_summer_time(utc) else 1
            local = utc + timedelta(hours=offset)
            stamp = local.strftime("%Y-%m-%dT%H:%M:%S") + f"+0{offset}:00"
        lines.append(f"Z-{n:08d},{stamp}\n")
        if len(lines) >= 10_000:
            out.write("".join(lines))
            lines.clear()
    out.write("".join(lines))


if __name__ == "__main__":
    main()
