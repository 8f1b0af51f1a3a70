"""A searchable store of loss maps (Parquet plus metadata, local or HDFS).

Placeholder until the loss-map store lands in this subpackage.
"""

__all__ = []
