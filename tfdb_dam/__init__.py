"""TFDB DAM: the foreign-information asset library of Thừa Thiên Huế province."""

__version__ = "0.1.0"
