"""File systems the loss-map store writes to: local, HDFS (pyarrow), or Spark's Hadoop FS.

The store needs few operations, all through :class:`StoreFileSystem`: write a
file, read a file, list a folder, make a folder, delete a tree, and an
**atomic, non-overwriting rename of a folder**, which is how an entry becomes
visible (POSIX ``rename`` of a folder onto an existing non-empty folder fails;
HDFS ``rename`` is atomic and fails when the target exists).

* local paths and ``hdfs://`` URIs use ``pyarrow.fs`` (HDFS needs libhdfs and a
  Hadoop client configured: ``HADOOP_HOME``, ``CLASSPATH``, ``ARROW_LIBHDFS_DIR``);
* with a Spark session, the JVM's Hadoop ``FileSystem`` of that session is used
  (the way SWAN users reach HDFS), for any URI Spark understands.
"""

import os
import pathlib

import pyarrow.fs as pafs

from ..errors import StoreError

__all__ = ["StoreFileSystem", "ArrowStoreFileSystem", "SparkStoreFileSystem", "resolve_filesystem"]


class StoreFileSystem:
    """Interface of the few file operations the store uses (paths are strings)."""

    def write_bytes(self, path, data):  # pragma: no cover - interface
        raise NotImplementedError

    def read_bytes(self, path):  # pragma: no cover - interface
        """Content of file ``path``; raises FileNotFoundError if it does not exist."""
        raise NotImplementedError

    def list_dir(self, path):  # pragma: no cover - interface
        """Names (not paths) in folder ``path``; empty if it does not exist."""
        raise NotImplementedError

    def list_subdirs(self, path):  # pragma: no cover - interface
        """Names of the folders (not files) in folder ``path``; empty if it does not exist."""
        raise NotImplementedError

    def make_dirs(self, path):  # pragma: no cover - interface
        raise NotImplementedError

    def delete_tree(self, path):  # pragma: no cover - interface
        raise NotImplementedError

    def rename_dir(self, source, target):  # pragma: no cover - interface
        """Atomically rename folder ``source`` to ``target``; False if ``target`` exists."""
        raise NotImplementedError

    def modified_seconds(self, path):  # pragma: no cover - interface
        """Modification time of ``path`` [s since the epoch]."""
        raise NotImplementedError

    @staticmethod
    def join(*parts):
        return "/".join(str(p).rstrip("/") for p in parts)


class ArrowStoreFileSystem(StoreFileSystem):
    """``pyarrow.fs`` file system (local disk or HDFS)."""

    def __init__(self, filesystem):
        self.filesystem = filesystem
        self._local = isinstance(filesystem, pafs.LocalFileSystem)

    def write_bytes(self, path, data):
        with self.filesystem.open_output_stream(path) as stream:
            stream.write(data)

    def read_bytes(self, path):
        with self.filesystem.open_input_stream(path) as stream:
            return stream.read()

    def list_dir(self, path):
        selector = pafs.FileSelector(path, allow_not_found=True)
        return sorted(info.base_name for info in self.filesystem.get_file_info(selector))

    def list_subdirs(self, path):
        selector = pafs.FileSelector(path, allow_not_found=True)
        return sorted(info.base_name for info in self.filesystem.get_file_info(selector)
                      if info.type == pafs.FileType.Directory)

    def make_dirs(self, path):
        self.filesystem.create_dir(path, recursive=True)

    def delete_tree(self, path):
        info = self.filesystem.get_file_info(path)
        if info.type == pafs.FileType.Directory:
            self.filesystem.delete_dir(path)
        elif info.type == pafs.FileType.File:
            self.filesystem.delete_file(path)

    def rename_dir(self, source, target):
        if self._local:
            # os.rename, not pyarrow's move: it refuses (ENOTEMPTY/EEXIST) to
            # replace an existing non-empty folder, which makes the commit safe.
            try:
                os.rename(source, target)
            except OSError:
                if os.path.exists(target):
                    return False
                raise
            return True
        if self.filesystem.get_file_info(target).type != pafs.FileType.NotFound:
            return False
        self.filesystem.move(source, target)  # HDFS rename: atomic
        return True

    def modified_seconds(self, path):
        mtime = self.filesystem.get_file_info(path).mtime
        return mtime.timestamp() if mtime is not None else 0.0


class SparkStoreFileSystem(StoreFileSystem):
    """Hadoop ``FileSystem`` of a Spark session's JVM (HDFS, or ``file:`` locally)."""

    def __init__(self, spark, root):
        jvm = spark._jvm
        self._jvm = jvm
        self._path = jvm.org.apache.hadoop.fs.Path
        conf = spark._jsc.hadoopConfiguration()
        self.filesystem = self._path(root).getFileSystem(conf)

    def write_bytes(self, path, data):
        stream = self.filesystem.create(self._path(path), False)
        try:
            stream.write(bytearray(data))
        finally:
            stream.close()

    def read_bytes(self, path):
        try:
            stream = self.filesystem.open(self._path(path))
        except Exception as error:  # py4j wraps Java's FileNotFoundException in Py4JJavaError
            if "FileNotFound" in type(error).__name__ + str(error)[:200]:
                raise FileNotFoundError(f"no such file: {path}") from None
            raise
        try:
            return bytes(self._jvm.org.apache.commons.io.IOUtils.toByteArray(stream))
        finally:
            stream.close()

    def list_dir(self, path):
        target = self._path(path)
        if not self.filesystem.exists(target):
            return []
        return sorted(status.getPath().getName() for status in self.filesystem.listStatus(target))

    def list_subdirs(self, path):
        target = self._path(path)
        if not self.filesystem.exists(target):
            return []
        return sorted(status.getPath().getName() for status in self.filesystem.listStatus(target)
                      if status.isDirectory())

    def make_dirs(self, path):
        self.filesystem.mkdirs(self._path(path))

    def delete_tree(self, path):
        self.filesystem.delete(self._path(path), True)

    def rename_dir(self, source, target):
        target_path = self._path(target)
        if self.filesystem.exists(target_path):
            return False
        return bool(self.filesystem.rename(self._path(source), target_path))

    def modified_seconds(self, path):
        return self.filesystem.getFileStatus(self._path(path)).getModificationTime() / 1000.0


def _arrow_from_uri(uri):
    """pyarrow's file system for ``uri`` (one place, so tests can stand in for HDFS)."""
    return pafs.FileSystem.from_uri(uri)


def resolve_filesystem(root, spark=None, filesystem=None):
    """File system and root path (str) of a store.

    Parameters
    ----------
    root : str or pathlib.Path
        Local folder, or a URI (``hdfs://namenode:8020/path``, ``file:///...``).
    spark : pyspark.sql.SparkSession, optional
        Use the session's Hadoop file system.
    filesystem : pyarrow.fs.FileSystem, optional
        A configured pyarrow file system; ``root`` is then a path in it.

    Raises
    ------
    StoreError
        If the URI needs a file system that is not configured (e.g. HDFS without
        libhdfs), with what to configure.
    """
    if spark is not None and filesystem is not None:
        raise ValueError("give either spark or filesystem, not both")
    if spark is not None:
        return SparkStoreFileSystem(spark, str(root)), str(root).rstrip("/")
    if filesystem is not None:
        return ArrowStoreFileSystem(filesystem), str(root).rstrip("/")
    text = str(root)
    if "://" not in text:
        return ArrowStoreFileSystem(pafs.LocalFileSystem()), str(pathlib.Path(text).resolve())
    try:
        arrow_fs, path = _arrow_from_uri(text)
    except (OSError, ValueError) as error:  # pyarrow raises ArrowInvalid (ValueError) / OSError
        reason = str(error).splitlines()[0][:200]  # libhdfs lists every path it tried
        raise StoreError(
            f"root={text!r}: cannot open this file system with pyarrow ({reason}); for HDFS "
            "configure the Hadoop client (HADOOP_HOME, CLASSPATH, ARROW_LIBHDFS_DIR) or pass "
            "spark=<SparkSession> to use Spark's Hadoop file system"
        ) from None
    return ArrowStoreFileSystem(arrow_fs), path.rstrip("/")
