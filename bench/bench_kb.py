"""
Knowledge-base search quality: recall@5 and MRR of labelled queries, per backend.

    .venv/bin/python bench/bench_kb.py [--postgres URL] [--no-synonyms]

The corpus is the bundled sample's lessons plus the starter library; the queries
and their relevant lessons are in bench/kb_queries.yaml (labelled by hand, before
the engine was tuned). recall@5 of a query = relevant lessons in the top 5 divided
by min(5, number of relevant lessons); MRR = mean of 1/rank of the first relevant
lesson. Backends: pure Python, SQLite FTS5 (a database file), PostgreSQL (when a
URL is given). Goal: recall@5 >= 0.8.
"""

from __future__ import annotations

import argparse
import platform
import sqlite3
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from pmo_kit.data.portfolio import Portfolio, load_portfolio, save_portfolio
from pmo_kit.kb import lessons_frame, open_knowledge_base, starter_lessons

if TYPE_CHECKING:
    from pmo_kit.kb.base import KnowledgeBase

QUERIES = Path(__file__).with_name("kb_queries.yaml")


def labelled() -> list[tuple[str, set[str]]]:
    data = yaml.safe_load(QUERIES.read_text(encoding="utf-8"))
    return [(q["query"], set(q["relevant"])) for q in data["queries"]]


def measure(kb: KnowledgeBase, queries: list[tuple[str, set[str]]]) -> dict[str, float]:
    recall = mrr = 0.0
    misses: list[str] = []
    started = time.perf_counter()
    for query, relevant in queries:
        top = kb.search(query, limit=5).lesson_ids
        found = len(relevant & set(top))
        recall += found / min(5, len(relevant))
        first = next((i for i, x in enumerate(top, 1) if x in relevant), None)
        mrr += 1 / first if first else 0.0
        if found == 0:
            misses.append(query)
    n = len(queries)
    elapsed = time.perf_counter() - started
    return {
        "recall@5": recall / n,
        "mrr": mrr / n,
        "ms_per_query": 1000 * elapsed / n,
        "misses": misses,  # type: ignore[dict-item]
    }


def corpus_portfolio() -> Portfolio:
    import pandas as pd

    sample = load_portfolio()
    lessons = pd.concat(
        [sample.lessons, lessons_frame(starter_lessons())], ignore_index=True
    ).astype({"date": "datetime64[ns]"})
    return replace(sample, lessons=lessons, path=None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--postgres", help="a PostgreSQL URL to measure as well")
    parser.add_argument("--no-synonyms", action="store_true")
    args = parser.parse_args()
    if args.no_synonyms:
        from pmo_kit.kb import text

        text.SYNONYMS.clear()
    queries = labelled()
    corpus = corpus_portfolio()
    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "kb"
        save_portfolio(corpus, folder)
        results["python"] = measure(
            open_knowledge_base(folder, engine="python"), queries
        )
        results["folder (in-memory FTS5)"] = measure(
            open_knowledge_base(folder), queries
        )
        url = f"sqlite:///{tmp}/kb.db"
        save_portfolio(corpus, url)
        kb = open_knowledge_base(url)
        results[kb.backend] = measure(kb, queries)
        if args.postgres:
            save_portfolio(corpus, args.postgres)
            kb = open_knowledge_base(args.postgres)
            results[kb.backend] = measure(kb, queries)
    print(
        f"{len(queries)} queries, {len(corpus.lessons)} lessons, synonyms "
        f"{'off' if args.no_synonyms else 'on'}; Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}, {platform.machine()}"
    )
    for name, r in results.items():
        print(
            f"{name:26s} recall@5 {r['recall@5']:.3f}  MRR {r['mrr']:.3f}  "
            f"{r['ms_per_query']:.1f} ms/query  no hit: {r['misses']}"
        )
    sys.exit(0)


if __name__ == "__main__":
    main()
