"""TACT, the Transformative Activity Cluster Toolbox."""

__version__ = "0.1.0"
