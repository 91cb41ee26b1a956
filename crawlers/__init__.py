"""Turn the outside world into posts: sources, spiders, evidence and the crawl pipeline.

- ``sources.yaml`` (read by :mod:`crawlers.sources`) describes every watched site;
- :mod:`crawlers.spiders` builds one Scrapy spider per source (``scrapy crawl <source>``);
- :mod:`crawlers.pipelines` keeps the evidence, extracts offers and stores posts;
- :mod:`crawlers.runner` crawls many sources in one process (``heishi crawl``, ``heishi demo``).

This package hands posts to ``nlp`` and ``index``; it never imports ``ops``.
"""
