"""The Elasticsearch backend of the store.

``connection`` reaches the cluster, ``mappings`` names indices and templates, ``documents``
builds what is written, ``queries`` builds what is asked and reads the answers, ``store`` ties
them into :class:`ElasticStore`. Everything but ``store`` is pure data in, data out.
"""

from index.elastic.store import ElasticStore

__all__ = ["ElasticStore"]
