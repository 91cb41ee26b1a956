"""``python -m crawlers.demo``: serve the demo market until Ctrl-C."""

from __future__ import annotations

import argparse
import sys
import threading

from .server import SECTIONS, DemoMarket


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m crawlers.demo",
        description="Serve heishi's demo black market on 127.0.0.1 until Ctrl-C.")
    parser.add_argument("--port", type=int, default=8642, help="port (0 picks a free one)")
    parser.add_argument("--seed", type=int, default=7, help="content seed (default 7)")
    parser.add_argument("--bench-pages", type=int, metavar="N",
                        help="also serve /bench/, a generated forum of N list pages")
    args = parser.parse_args(argv)
    market = None
    try:
        market = DemoMarket(port=args.port, seed=args.seed, listing_pages=args.bench_pages)
        base = market.start()
        print(f"demo market at {base}/  (Ctrl-C to stop)")
        for section in SECTIONS:
            if section != "bench" or args.bench_pages:
                print(f"  {base}/{section}/", flush=True)
        threading.Event().wait()
    except (OSError, ValueError) as exc:
        print(f"demo market: cannot serve on port {args.port}: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        pass
    finally:
        if market is not None:
            market.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
