"""Benchmarks for newslake (issue #8).

``bench.generate`` writes a realistic synthetic news corpus (JSON Lines, HTML pages, WARC)
with a fixed seed and a ground-truth sidecar in ``_truth/``; see ``python -m bench.generate -h``.
"""
