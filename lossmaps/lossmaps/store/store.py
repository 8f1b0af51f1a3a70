"""``LossMapStore``: a searchable folder of loss maps, local or on HDFS.

Layout under the root::

    entries/<id>/metadata.json      the record (see serialisation)
    entries/<id>/losses.parquet     canonical losses table (+ record in its schema)
    entries/<id>/<table>.parquet    further tables of simulated maps
    _tmp/<id>.<random>/             entries being written
    _tmp/deleted.<id>.<random>/     entries being deleted (tombstones)
    quarantine/<id>/                damaged entries moved aside by repair()

Commit protocol: a writer fills its own folder under ``_tmp/`` and then renames
it to ``entries/<id>`` in one atomic rename, so readers see an entry complete
or not at all; concurrent writers never share a file (ids are unique), and a
failed write leaves no entry (its temporary folder is deleted, or, if the
process died, is ignored and removed by :meth:`LossMapStore.clean_temporary`).
There is no shared index file to lock: a search reads the small records.

Damage: the record holds a SHA-256 of every Parquet file, checked on load and
by :meth:`LossMapStore.verify`; a search skips (and reports in
``table.attrs['skipped']`` and a :class:`~lossmaps.errors.LossMapsWarning`)
entries whose record is unreadable, and silently the ones deleted while it
ran. A delete renames the entry to a tombstone first, so a reader sees it
whole or not at all, and works on a damaged entry.
"""

import difflib
import hashlib
import json
import time
import uuid
import warnings

import pandas as pd

from ..errors import EntryNotFoundError, LossMapsWarning, StoreError, StoreFormatError
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
QUARANTINE = "quarantine"
# keys every record must hold for search and load (serialisation.lossmap_record)
RECORD_KEYS = ("format_version", "kind", "lmtype", "date", "tables", "enum_columns")


def _digest(data):
    return hashlib.sha256(data).hexdigest()


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
        record["checksums"] = {name: _digest(data) for name, data in payloads.items()}
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
        """Remove one entry, damaged or not.

        The folder is first renamed to a tombstone under ``_tmp/`` (one atomic
        rename: readers see the entry whole or not at all), then removed.

        Raises
        ------
        EntryNotFoundError
            If no entry has this id (with close matches).
        """
        if not isinstance(entry_id, str) or entry_id not in self.ids():
            close = difflib.get_close_matches(str(entry_id), self.ids(), n=3)
            raise EntryNotFoundError(entry_id, self.root, close)
        doomed = self._fs.join(self.root, TEMPORARY, f"deleted.{entry_id}.{uuid.uuid4().hex}")
        self._fs.make_dirs(self._fs.join(self.root, TEMPORARY))
        if not self._fs.rename_dir(self._entry_path(entry_id), doomed):
            raise EntryNotFoundError(entry_id, self.root)  # deleted meanwhile by another process
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
        """Ids of the entries (list of str): the folders of ``entries/``.

        Stray files there are not entries (:meth:`verify` lists them).
        """
        folder = self._fs.join(self.root, ENTRIES)
        for attempt in range(5):
            try:
                return [name for name in self._fs.list_subdirs(folder) if not name.startswith(".")]
            except FileNotFoundError:  # a child vanished (deleted) while listing: list again
                if attempt == 4:
                    raise
        return []

    def _record(self, entry_id):
        """The checked record of ``entry_id``.

        Raises
        ------
        EntryNotFoundError
            No such entry (or deleted meanwhile).
        StoreFormatError
            The entry exists but its record is missing, not JSON, or lacks keys.
        """
        path = self._entry_path(entry_id, RECORD)
        try:
            data = self._fs.read_bytes(path)
        except OSError as error:  # every StoreFileSystem raises FileNotFoundError for a missing file
            ids = self.ids()
            if entry_id in ids:
                raise StoreFormatError(f"entry {entry_id!r} is damaged: no readable {RECORD} "
                                       f"({error}); repair() quarantines it") from None
            close = difflib.get_close_matches(entry_id, ids, n=3)
            raise EntryNotFoundError(entry_id, self.root, close) from None
        try:
            record = json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise StoreFormatError(f"entry {entry_id!r} is damaged: {path} is not UTF-8 JSON "
                                   f"({error}); repair() quarantines it") from None
        missing = [k for k in RECORD_KEYS if not isinstance(record, dict) or k not in record]
        if missing:
            raise StoreFormatError(f"entry {entry_id!r} is damaged: {path} lacks "
                                   f"{', '.join(missing)}; repair() quarantines it")
        try:
            pd.Timestamp(record["date"]).tz_convert("UTC")
        except (TypeError, ValueError) as error:
            raise StoreFormatError(f"entry {entry_id!r} is damaged: {path} has date "
                                   f"{record['date']!r} ({error})") from None
        return record

    def _readable_records(self):
        """Records of the readable entries and ``{id: reason}`` of the damaged ones.

        Entries deleted while reading are left out silently: they are gone.
        """
        records, skipped = [], {}
        for entry_id in self.ids():
            try:
                records.append(self._record(entry_id))
            except EntryNotFoundError:
                continue
            except StoreFormatError as error:
                skipped[entry_id] = str(error)
        return records, skipped

    def records(self):
        """Records of all readable entries (list of dict); damaged ones are skipped, with a
        :class:`~lossmaps.errors.LossMapsWarning` naming them."""
        records, skipped = self._readable_records()
        _warn_skipped(skipped)
        return records

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
        records, skipped = self._readable_records()
        found, bad = [], dict(skipped)
        for record in records:
            try:
                if matches(record, normal):
                    found.append(record)
            except (TypeError, ValueError, KeyError) as error:  # a record with odd values
                bad[record.get("id", "?")] = f"record cannot be matched ({error})"
        _warn_skipped(bad)
        table = records_table(found)
        table.attrs["skipped"] = bad
        return table

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
        tables = {name: self._table(entry_id, record, name) for name in record["tables"]}
        try:
            return restore_lossmap(record, tables)
        except StoreFormatError:
            raise
        except (KeyError, TypeError, ValueError) as error:
            raise StoreFormatError(f"entry {entry_id!r} is damaged: its record or tables do not "
                                   f"make a loss map ({type(error).__name__}: {error})") from None

    def _table(self, entry_id, record, name):
        """Table ``name`` of an entry, its checksum verified."""
        path = self._entry_path(entry_id, f"{name}.parquet")
        try:
            data = self._fs.read_bytes(path)
        except OSError:
            if entry_id not in self.ids():
                raise EntryNotFoundError(entry_id, self.root) from None  # deleted meanwhile
            raise StoreFormatError(f"entry {entry_id!r} is damaged: {path} is missing") from None
        expected = (record.get("checksums") or {}).get(name)
        if expected is not None and _digest(data) != expected:
            raise StoreFormatError(f"entry {entry_id!r} is damaged: {path} does not match its "
                                   "SHA-256 in the record; repair() quarantines it")
        try:
            return parquet_to_frame(data, (record["enum_columns"] or {}).get(name, {}))
        except Exception as error:  # pyarrow: ArrowInvalid, OSError...; enums: ValueError
            raise StoreFormatError(f"entry {entry_id!r} is damaged: {path} is not a readable "
                                   f"table ({type(error).__name__}: {str(error)[:160]})") from None

    # -- damage ---------------------------------------------------------------------------
    def verify(self):
        """Damaged entries and stray files, without changing anything.

        Every record is parsed and every table read back and checked against
        its SHA-256.

        Returns
        -------
        dict of str -> str
            ``{id or file name: reason}``; empty when the store is sound.
        """
        problems = {}
        folder = self._fs.join(self.root, ENTRIES)
        entries = set(self.ids())
        for name in self._fs.list_dir(folder):
            if name not in entries:
                problems[name] = "a stray file in entries/ (not an entry folder)"
        for entry_id in sorted(entries):
            try:
                self.load(entry_id)
            except EntryNotFoundError:
                continue  # deleted meanwhile
            except StoreFormatError as error:
                problems[entry_id] = str(error)
        return problems

    def repair(self):
        """Move what :meth:`verify` finds into ``quarantine/`` (nothing is deleted).

        Returns
        -------
        dict of str -> str
            ``{id or file name: reason}`` of what was moved.
        """
        moved = {}
        target_folder = self._fs.join(self.root, QUARANTINE)
        self._fs.make_dirs(target_folder)
        for name, reason in self.verify().items():
            source = self._fs.join(self.root, ENTRIES, name)
            target = self._fs.join(target_folder, f"{name}.{uuid.uuid4().hex[:8]}")
            try:
                if self._fs.rename_dir(source, target):
                    moved[name] = reason
            except OSError:
                continue  # gone meanwhile
        return moved


def _warn_skipped(skipped):
    if skipped:
        shown = "; ".join(f"{k}: {v}" for k, v in list(skipped.items())[:3])
        warnings.warn(f"{len(skipped)} damaged store entr{'y' if len(skipped) == 1 else 'ies'} "
                      f"skipped ({shown}); LossMapStore.repair() quarantines them",
                      LossMapsWarning, stacklevel=3)
