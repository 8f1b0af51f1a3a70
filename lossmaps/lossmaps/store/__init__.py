"""A searchable store of loss maps (Parquet plus metadata, local or on HDFS).

:class:`LossMapStore` saves any loaded loss map (simulated or measured) with
its metadata, searches the stored records and loads entries back. Writes are
atomic (write aside, then one rename), so concurrent writers never corrupt the
store and a failed write leaves no entry.
"""

from ..errors import EntryNotFoundError, StoreError, StoreFormatError
from .serialisation import FORMAT_VERSION
from .store import LossMapStore

__all__ = ["LossMapStore", "StoreError", "EntryNotFoundError", "StoreFormatError", "FORMAT_VERSION"]
