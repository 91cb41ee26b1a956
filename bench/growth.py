"""How each pass over a post grows with the number of contacts in it (issue 13).

    .venv/bin/python bench/growth.py [--contacts N]

A seller can paste thousands of phone numbers, card numbers or handles into one post. Every
pass heishi makes over a post (extraction, redaction, contacts, contact masking,
normalisation, index tokens, jargon ranking) must stay linear: this prints, per pass and kind
of contact, the time for N contacts, for 10 N, and their ratio (target: at most 15; quadratic
work would show about 100). ``tests/hostile/test_growth.py`` asserts the same ratios.
"""

from __future__ import annotations

import argparse
import gc
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from index.tokens import index_tokens  # noqa: E402
from nlp import clear_caches, extract, redact  # noqa: E402
from nlp.contacts import find_contacts  # noqa: E402
from nlp.normalize import normalize  # noqa: E402
from nlp.redact import luhn_ok  # noqa: E402
from nlp.scan import mask_contacts  # noqa: E402
from nlp.suggest import suggest_terms  # noqa: E402

FACTOR, TARGET = 10, 15


def card(rng: random.Random) -> str:
    """A Luhn-valid UnionPay-looking card number."""
    body = f"622202{rng.randrange(10**11, 10**12)}"
    total = sum(int(c) if i % 2 else (2 * int(c) - 9 if int(c) > 4 else 2 * int(c))
                for i, c in enumerate(reversed(body)))
    number = body + str(-total % 10)
    assert luhn_ok(number)
    return number


CONTACTS = {
    "phones": lambda rng, i: f"1{rng.choice('3589')}{rng.randrange(10**8, 10**9)}",
    "spaced phones": lambda rng, i: f"138 {rng.randrange(1000, 9999)} {rng.randrange(1000, 9999)}",
    "cards": lambda rng, i: card(rng),
    "marked qq": lambda rng, i: f"Q {rng.randrange(10**8, 10**9)}",
    "handles": lambda rng, i: f"@user_{i}abc",
    "links": lambda rng, i: f"site{i}.com/x",
}
PASSES = {
    "extract": extract,
    "redact": lambda text: redact(text, b"key"),
    "contacts": find_contacts,
    "mask": mask_contacts,
    "normalize": normalize,
    "index tokens": index_tokens,
    "suggest": lambda text: suggest_terms([text], top=5, min_posts=1),
}


def post_of(kind: str, n: int, seed: int = 0) -> str:
    rng = random.Random(f"{kind} {n} {seed}")
    return "出微信老号 400元 联系 " + " ".join(CONTACTS[kind](rng, i) for i in range(n))


def best_time(function, kind: str, n: int, repeat: int) -> float:
    """The best of ``repeat`` runs, each on other numbers (no cache may favour one size), with
    the garbage collector off as timeit has it (a collection's cost depends on the heap)."""
    times = []
    for seed in range(1, repeat + 1):
        text = post_of(kind, n, seed)
        clear_caches()
        gc.collect()
        gc.disable()
        try:
            start = time.perf_counter()
            function(text)
            times.append(time.perf_counter() - start)
        finally:
            gc.enable()
    return min(times)


def base_size(function, kind: str, smallest: int = 500, floor: float = 0.02) -> int:
    """A number of contacts whose post takes long enough (``floor`` seconds) to be timed
    through the noise of a shared machine (cheap passes get bigger posts), at most 16 times
    ``smallest``."""
    n = smallest
    while n < 16 * smallest and best_time(function, kind, n, 1) < floor:
        n *= 2
    return n


def growth(function, kind: str, n: int) -> tuple[float, float]:
    """Times for ``n`` and ``FACTOR * n`` contacts (best of five and of two runs)."""
    return best_time(function, kind, n, 5), best_time(function, kind, n * FACTOR, 2)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--contacts", type=int, default=500,
                        help="smallest N (default 500; doubled until a post takes 20 ms)")
    args = parser.parse_args()
    worst = 0.0
    print(f"{'pass':<13}{'contacts':<15}{'N':>8}{'t(N) s':>10}{'t(10N) s':>10}{'ratio':>7}")
    for name, function in PASSES.items():
        function(post_of("phones", 100))  # load the lexicon, jieba
        for kind in CONTACTS:
            n = base_size(function, kind, args.contacts)
            small, large = growth(function, kind, n)
            ratio = large / small
            worst = max(worst, ratio)
            print(f"{name:<13}{kind:<15}{n:>8}{small:>10.4f}{large:>10.4f}{ratio:>7.1f}",
                  flush=True)
    print(f"worst ratio {worst:.1f} (target <= {TARGET}; linear is {FACTOR}, "
          f"quadratic ~{FACTOR**2})")
    return 0 if worst <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
