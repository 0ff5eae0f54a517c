"""File storage: content-addressed originals and renditions (see filestore)."""

from tfdb_dam.storage.filestore import FileStore, StagedFile, hash_file

__all__ = ["FileStore", "StagedFile", "hash_file"]
