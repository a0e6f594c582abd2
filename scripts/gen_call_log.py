#!/usr/bin/env python3
"""A synthetic telephony call log in the shape of mappings/voorbeelden/telefonie.csv:
`;`-separated, Windows-1252, dates as 21-11-2026 14:03:22, decimal commas.
No real numbers or names: only call ids, times and counts.

    scripts/gen_call_log.py --rows 1000000 > /tmp/gesprekken.csv
"""

import argparse
import random
import sys
from datetime import datetime, timedelta


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--start", default="2026-03-02")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    out = sys.stdout.buffer
    out.write("Gespreks-ID;Binnenkomst;Wachttijd (sec);Aangenomen;Aantal keer doorverbonden;Gespreksduur (sec);Wachtrij\r\n".encode("cp1252"))
    moment = datetime.fromisoformat(args.start) + timedelta(hours=8)
    queues = ["Algemeen", "Burgerzaken", "Belastingen", "Wmo"]
    lines = []
    for i in range(args.rows):
        moment += timedelta(seconds=rng.randint(1, 20))
        if moment.hour >= 17:
            moment = (moment + timedelta(days=1)).replace(hour=8, minute=0, second=0)
            while moment.weekday() >= 5:
                moment += timedelta(days=1)
        wait = rng.expovariate(1 / 18)
        answered = rng.random() > 0.06
        transfers = rng.choice([0, 0, 0, 0, 1, 1, 2, 3]) if answered else 0
        duration = f"{rng.uniform(30, 900):.1f}".replace(".", ",") if answered else "0"
        wait_text = f"{wait:.1f}".replace(".", ",")
        lines.append(
            f"G-{i + 1:07d};{moment:%d-%m-%Y %H:%M:%S};{wait_text};"
            f"{'Ja' if answered else 'Nee'};{transfers};{duration};{rng.choice(queues)}\r\n"
        )
        if len(lines) >= 10_000:
            out.write("".join(lines).encode("cp1252"))
            lines.clear()
    out.write("".join(lines).encode("cp1252"))


if __name__ == "__main__":
    main()
