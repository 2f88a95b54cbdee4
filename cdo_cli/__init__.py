"""cdo: tools for Guangdong cities' Chief Data Officer (首席数据官) schemes."""

__version__ = "0.1.0"
