"""``LossMapStore``: a searchable folder of loss maps, local or on HDFS.

Layout under the root::

    entries/<id>/metadata.json      the record (see serialisation)
    entries/<id>/losses.parquet     canonical losses table (+ record in its schema)
    entries/<id>/<table>.parquet    further tables of simulated maps
    _tmp/<id>.<random>/             entries being written

Commit protocol: a writer fills its own folder under ``_tmp/`` and then renames
it to ``entries/<id>`` in one atomic rename, so readers see an entry complete
or not at all; concurrent writers never share a file (ids are unique), and a
failed write leaves no entry (its temporary folder is deleted, or, if the
process died, is ignored and removed by :meth:`LossMapStore.clean_temporary`).
There is no shared index file to lock: a search reads the small records.
"""

import difflib
import json
import time
import uuid

import pandas as pd

from ..errors import EntryNotFoundError, StoreError, StoreFormatError
from .filesystems import resolve_filesystem
from .search import matches, records_table, validate_criteria
from .serialisation import (
    lossmap_record,
    lossmap_tables,
    parquet_to_frame,
    restore_lossmap,
    table_to_parquet,
)

__all__ = ["LossMapStore"]

ENTRIES = "entries"
TEMPORARY = "_tmp"
RECORD = "metadata.json"


def _slug(record):
    stamp = pd.Timestamp(record["date"]).tz_convert("UTC").strftime("%Y%m%dT%H%M%S")
    return f"{record['lmtype']}-{stamp}-{uuid.uuid4().hex[:12]}"


class LossMapStore:
    """Save, search and load loss maps (simulated or measured) with all their metadata.

    Parameters
    ----------
    root : str or pathlib.Path
        Folder of the store: a local path, or a URI such as
        ``hdfs://namenode:8020/user/me/lossmaps``; created on first save.
    spark : pyspark.sql.SparkSession, optional
        Reach ``root`` through the session's Hadoop file system (HDFS on SWAN).
    filesystem : pyarrow.fs.FileSystem, optional
        A configured pyarrow file system (e.g. ``pyarrow.fs.HadoopFileSystem``).

    Examples
    --------
    >>> store = LossMapStore("/tmp/lossmaps-store")                    # doctest: +SKIP
    >>> entry = store.save(ThisLM)                                      # doctest: +SKIP
    >>> store.search(lmtype="B1H", beam_process="FLAT_TOP", betastar=30, year=2023)  # doctest: +SKIP
    >>> ThisLM = store.load(entry)                                      # doctest: +SKIP
    """

    def __init__(self, root, spark=None, filesystem=None):
        self._fs, self.root = resolve_filesystem(root, spark=spark, filesystem=filesystem)

    def _entry_path(self, entry_id, name=None):
        base = self._fs.join(self.root, ENTRIES, entry_id)
        return base if name is None else self._fs.join(base, name)

    # -- writing ------------------------------------------------------------------------
    def save(self, lossmap, date=None):
        """Store ``lossmap`` as a new entry and return its id.

        Parameters
        ----------
        lossmap : LossMap
            A loaded simulated or measured loss map.
        date : time, optional
            Date the search uses (default: window start of a measured map, else now).

        Returns
        -------
        str
            The new entry's id.
        """
        saved_at = pd.Timestamp.now(tz="UTC")
        record = lossmap_record(lossmap, saved_at, date)
        tables = lossmap_tables(lossmap)
        record["id"] = entry_id = _slug(record)
        payloads, record["enum_columns"] = {}, {}
        for name, frame in tables.items():
            payloads[name], record["enum_columns"][name] = table_to_parquet(
                frame, record if name == "losses" else None)
        record["tables"] = sorted(payloads)
        self._commit(entry_id, payloads, record)
        return entry_id

    def _commit(self, entry_id, payloads, record):
        temporary = self._fs.join(self.root, TEMPORARY, f"{entry_id}.{uuid.uuid4().hex}")
        self._fs.make_dirs(self._fs.join(self.root, ENTRIES))
        self._fs.make_dirs(temporary)
        try:
            for name, data in payloads.items():
                self._fs.write_bytes(self._fs.join(temporary, f"{name}.parquet"), data)
            # The record is written last: a folder with a record is complete.
            self._fs.write_bytes(self._fs.join(temporary, RECORD), json.dumps(record, indent=1).encode())
            if not self._fs.rename_dir(temporary, self._entry_path(entry_id)):
                raise StoreError(f"an entry with id {entry_id!r} already exists; nothing was written")
        except BaseException:
            self._fs.delete_tree(temporary)
            raise

    def delete(self, entry_id):
        """Remove one entry (its folder is renamed away first, so it vanishes atomically)."""
        self._record(entry_id)
        doomed = self._fs.join(self.root, TEMPORARY, f"deleted.{entry_id}.{uuid.uuid4().hex}")
        self._fs.make_dirs(self._fs.join(self.root, TEMPORARY))
        if self._fs.rename_dir(self._entry_path(entry_id), doomed):
            self._fs.delete_tree(doomed)

    def clean_temporary(self, older_than=3600.0):
        """Delete leftovers of writers that died, older than ``older_than`` [s]; returns their count."""
        folder = self._fs.join(self.root, TEMPORARY)
        now, removed = time.time(), 0
        for name in self._fs.list_dir(folder):
            path = self._fs.join(folder, name)
            if now - self._fs.modified_seconds(path) >= older_than:
                self._fs.delete_tree(path)
                removed += 1
        return removed

    # -- reading ------------------------------------------------------------------------
    def ids(self):
        """Ids of the complete entries (list of str)."""
        return self._fs.list_dir(self._fs.join(self.root, ENTRIES))

    def _record(self, entry_id):
        try:
            data = self._fs.read_bytes(self._entry_path(entry_id, RECORD))
        except OSError as error:  # every StoreFileSystem raises FileNotFoundError for a missing file
            ids = self.ids()
            if entry_id in ids:
                raise StoreFormatError(f"entry {entry_id!r} has no readable record ({error})") from None
            close = difflib.get_close_matches(entry_id, ids, n=3)
            raise EntryNotFoundError(entry_id, self.root, close) from None
        return json.loads(data)

    def records(self):
        """All entry records (list of dict)."""
        return [self._record(entry_id) for entry_id in self.ids()]

    def search(self, **criteria):
        """Entries matching all criteria, as a table (one row per entry, by date).

        Criteria are listed in :mod:`lossmaps.store.search`; e.g.
        ``search(lmtype='B1H', beam_process='FLAT_TOP', betastar=30, year=2023)``.

        Returns
        -------
        pandas.DataFrame
            Columns ``id``, ``kind``, ``lmtype``, ``machine``, ``particle``,
            ``energy`` [GeV], ``betastar`` [cm], ``beam_process``, ``date`` (local
            CERN time), ``description``... Pass an ``id`` (or a row) to :meth:`load`.
        """
        normal = validate_criteria(criteria)
        return records_table([r for r in self.records() if matches(r, normal)])

    def load(self, entry):
        """The loss map of an entry.

        Parameters
        ----------
        entry : str or pandas.Series
            Entry id, or a row of :meth:`search`.
        """
        entry_id = entry["id"] if isinstance(entry, pd.Series) else entry
        if not isinstance(entry_id, str):
            raise TypeError(f"entry must be an id (str) or a search row, got {type(entry).__name__}")
        record = self._record(entry_id)
        tables = {
            name: parquet_to_frame(self._fs.read_bytes(self._entry_path(entry_id, f"{name}.parquet")),
                                   record["enum_columns"].get(name, {}))
            for name in record["tables"]
        }
        return restore_lossmap(record, tables)
